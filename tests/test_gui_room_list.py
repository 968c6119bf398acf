"""The room list as a session tree that holds still: rows never move with activity (a
click must land where the pointer went), and activity shows as unread badges."""

from __future__ import annotations

from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant
from app.services.sessions import Sessions
from app.ui.rooms.room_list_model import MentionRole, PreviewRole, TimeRole, UnreadRole
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn
from tests.peers import ThreadedPeer


def _names(window: MainWindow) -> list[str]:
    rooms = window.workspace.rooms
    return [rooms.index(r).data().strip() for r in range(rooms.rowCount())]


def test_session_rooms_stand_under_their_session_and_never_move(
    qtbot, window: MainWindow, peer: ThreadedPeer, signed_in: SignIn
) -> None:
    official, _facilitator = signed_in("amal", "fac")
    blueprint = Blueprint(
        "Zeta crisis",
        "evacuation",
        "Africa/Cairo",
        delegations=(
            Delegation("geneva", "Geneva talks", "Europe/Zurich"),
            Delegation("doha", "Corridor talks", "Asia/Qatar"),
        ),
        participants=(Participant(official.user_id, Role.OFFICIAL),),
    )
    info = peer.run(Sessions.of(peer.account).convene(blueprint))
    qtbot.waitUntil(lambda: window.workspace.invitations.list.count() > 0, timeout=WAIT_MS)
    window.bridge.join(info.space_id, True)
    window.bridge.create_room("Alpha chat")  # a plain room: after the sessions, by name

    expected = [
        "Zeta crisis",
        "Operations",
        "Restricted",
        "Geneva talks",
        "Corridor talks",
        "Outreach",
        "Alpha chat",
    ]
    qtbot.waitUntil(lambda: _names(window) == expected, timeout=WAIT_MS)

    rooms = window.workspace.rooms
    window.workspace.room_list.setCurrentIndex(rooms.index(expected.index("Alpha chat")))
    outreach = info.room(RoomKind.OUTREACH)
    for n in range(3):  # activity in another room: a badge, not a move
        peer.run(peer.account.send_text(outreach, f"public line {n}"))
    row = rooms.row_of(outreach)
    qtbot.waitUntil(lambda: rooms.index(row).data(UnreadRole) == 3, timeout=WAIT_MS)
    assert _names(window) == expected

    window.workspace.room_list.setCurrentIndex(rooms.index(row))  # reading it clears it
    assert rooms.index(row).data(UnreadRole) == 0
    # Above the timeline the room is named by its session and kind, not the server's
    # neutral name ("Session 4821 · Delegation 1").
    geneva = rooms.row_of(info.room(RoomKind.DELEGATION, "geneva"))
    window.workspace.room_list.setCurrentIndex(rooms.index(geneva))
    assert window.workspace.room_title.text() == "Zeta crisis · Geneva talks"


def test_rows_show_the_last_message_and_a_mention_apart_from_the_count(
    qtbot, window: MainWindow, peer: ThreadedPeer, signed_in: SignIn
) -> None:
    official, _facilitator = signed_in(
        "amal", "fac", window_name="Amal Mansour", peer_name="Karim Haddad"
    )
    blueprint = Blueprint(
        "Mention crisis",
        "evacuation",
        "Africa/Cairo",
        participants=(Participant(official.user_id, Role.OFFICIAL),),
    )
    info = peer.run(Sessions.of(peer.account).convene(blueprint))
    qtbot.waitUntil(lambda: window.workspace.invitations.list.count() > 0, timeout=WAIT_MS)
    window.bridge.join(info.space_id, True)
    operations = info.room(RoomKind.OPERATIONS)
    restricted = info.room(RoomKind.RESTRICTED)
    rooms, room_list = window.workspace.rooms, window.workspace.room_list
    qtbot.waitUntil(lambda: rooms.row_of(restricted) >= 0, timeout=WAIT_MS)
    room_list.setCurrentIndex(rooms.index(rooms.row_of(restricted)))  # reading elsewhere

    peer.run(peer.account.send_text(operations, "Convoy left the northern checkpoint"))
    ops = rooms.index(rooms.row_of(operations))
    qtbot.waitUntil(
        lambda: ops.data(PreviewRole) == "Karim Haddad: Convoy left the northern checkpoint",
        timeout=WAIT_MS,
    )
    assert ops.data(TimeRole) and ops.data(UnreadRole) == 1 and not ops.data(MentionRole)
    heading = rooms.index(rooms.row_of(info.space_id))
    assert room_list.visualRect(ops).height() > room_list.visualRect(heading).height()

    mention = {
        "msgtype": "m.text",
        "body": "Please confirm the figures",
        "m.mentions": {"user_ids": [official.user_id]},
    }
    peer.run(peer.account.send(operations, "m.room.message", mention))
    qtbot.waitUntil(lambda: ops.data(MentionRole) is True, timeout=WAIT_MS)
    assert ops.data(UnreadRole) == 2  # the count goes on; the mention is its own mark

    room_list.setCurrentIndex(ops)  # reading it clears both
    assert not ops.data(MentionRole) and ops.data(UnreadRole) == 0
    peer.run(peer.account.send_text(restricted, "Amal Mansour, can you join the call?"))
    secret = rooms.index(rooms.row_of(restricted))
    qtbot.waitUntil(lambda: secret.data(MentionRole) is True, timeout=WAIT_MS)  # by name
