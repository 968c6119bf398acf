"""People, not ids: the names given when accounts are made and when participants are
invited are what the session shows, in its panel and its timeline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from app.core.roles import Role, RoomKind
from app.core.session import Roster
from app.services.notices import RosterChanged
from app.ui.sessions.convene_dialog import ConveneDialog
from app.ui.sessions.participants_panel import MEMBER
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn, answer_form, press_ok, session_invitation
from tests.peers import ThreadedPeer


def _latest_roster(peer: ThreadedPeer) -> Roster | None:
    rosters = [n.roster for n in list(peer.notices) if isinstance(n, RosterChanged)]
    return rosters[-1] if rosters else None


def _convene_and_join(
    qtbot, window: MainWindow, peer: ThreadedPeer, guest: str, name: str
) -> Roster:
    """The window convenes a session through its dialog, naming ``guest``; the peer joins."""

    def convene(dialog: ConveneDialog) -> None:
        qtbot.keyClicks(dialog.title, "Named people")
        dialog.add_participant(guest, Role.EXPERT, name=name)
        press_ok(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    answer_form(window.session_menu.convene_action.trigger, convene)

    assert peer.run(peer.backend.join_session(session_invitation(qtbot, peer).room_id)) is None

    def named() -> bool:
        roster = _latest_roster(peer)
        return roster is not None and any(m.name == name for m in roster.members)

    qtbot.waitUntil(named, timeout=WAIT_MS)
    roster = _latest_roster(peer)
    assert roster is not None
    return roster


def test_names_given_at_invitation_and_account_creation_are_shown(
    qtbot, window: MainWindow, peer: ThreadedPeer, signed_in: SignIn
) -> None:
    facilitator, guest = signed_in("fac", "guest")
    roster = _convene_and_join(qtbot, window, peer, guest.user_id, "Layla Aziz")
    # The guest's own client learnt the name from the encrypted details.
    mine = {m.user_id: m for m in roster.members}
    assert mine[guest.user_id].name == "Layla Aziz"
    assert mine[facilitator.user_id].name.startswith("Fac ")  # the account's display name

    operations = roster.session.room(RoomKind.OPERATIONS)
    assert operations is not None
    peer.run(peer.account.send_text(operations, "On my way to the crossing"))
    rooms = window.workspace.rooms
    qtbot.waitUntil(lambda: rooms.row_of(operations) >= 0, timeout=WAIT_MS)
    window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(operations)))
    timeline = window.workspace.timeline

    def said() -> bool:
        texts = [timeline.row(i).text for i in range(timeline.rowCount())]
        return "On my way to the crossing" in texts

    qtbot.waitUntil(said, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: timeline.name_of(guest.user_id) == "Layla Aziz", timeout=WAIT_MS)
    assert timeline.name_of(facilitator.user_id).startswith("Fac ")
    panel = window.workspace.participants.model
    shown = {panel.member(r).user_id: panel.member(r).name for r in range(panel.rowCount())}
    assert shown[guest.user_id] == "Layla Aziz"


def test_the_participants_panel_shows_people_with_initials_and_the_id_on_hover(
    qtbot, window: MainWindow, peer: ThreadedPeer, signed_in: SignIn
) -> None:
    _facilitator, guest = signed_in("fac", "guest")
    _convene_and_join(qtbot, window, peer, guest.user_id, "Omar Khalil")
    panel = window.workspace.participants
    model = panel.model

    def guest_row() -> int:
        ids = [model.member(r).user_id for r in range(model.rowCount())]
        return ids.index(guest.user_id) if guest.user_id in ids else -1

    qtbot.waitUntil(
        lambda: guest_row() >= 0 and model.member(guest_row()).name == "Omar Khalil",
        timeout=WAIT_MS,
    )
    cell = model.index(guest_row(), MEMBER)
    # The name, isolated so a Latin name keeps its place in a right-to-left row.
    assert cell.data() == "\u2068Omar Khalil\u2069"
    assert guest.user_id not in cell.data()
    picture = cell.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(picture, QPixmap) and not picture.isNull()
    assert picture.toImage().pixelColor(picture.width() // 2, 2).alpha() > 0  # painted
    hover = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert f"\u2066{guest.user_id}\u2069" in hover  # the @id, left-to-right inside Arabic
    assert panel.table.iconSize().height() >= 20
