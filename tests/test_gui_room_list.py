"""The room list as a session tree that holds still: rows never move with activity (a
click must land where the pointer went), and activity shows as unread badges."""

from __future__ import annotations

from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.sessions import Sessions
from app.ui.rooms.room_list_model import UnreadRole
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, sign_in
from tests.fixtures_homeserver import MakeAccount
from tests.peers import ThreadedPeer


def _names(window: MainWindow) -> list[str]:
    rooms = window.workspace.rooms
    return [rooms.index(r).data().strip() for r in range(rooms.rowCount())]


def test_session_rooms_stand_under_their_session_and_never_move(
    qtbot,
    window: MainWindow,
    peer: ThreadedPeer,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
) -> None:
    facilitator, official = make_account("fac"), make_account("amal")
    peer.run(peer.backend.login(homeserver.url, facilitator.user_id, facilitator.password))
    sign_in(qtbot, window, homeserver, official)
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
