"""A delegate's instruction feed in the desktop app: a flash instruction raises a
notification, the Acknowledge button sends the ack, the capital's board follows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.core.instructions import Draft, Stage
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant
from app.services.instructions import Instructions
from app.services.notices import InstructionsChanged
from app.services.sessions import Sessions
from app.ui.shell.main_window import MainWindow
from app.ui.widgets import ReasonDialog
from tests.fixtures_gui import WAIT_MS, SignIn
from tests.peers import ThreadedPeer

BIDI = {0x2066: None, 0x2068: None, 0x2069: None}


def _capital_stage(peer: ThreadedPeer, space_id: str) -> Stage | None:
    boards = [
        n.feed
        for n in list(peer.notices)
        if isinstance(n, InstructionsChanged) and n.desk.space_id == space_id
    ]
    rows = boards[-1].rows if boards else ()
    return rows[0].stage if rows else None


def test_delegate_acknowledges_a_flash_instruction_from_the_feed(
    qtbot,
    window: MainWindow,
    peer: ThreadedPeer,
    signed_in: SignIn,
) -> None:
    delegate, _facilitator = signed_in("omar", "fac")

    blueprint = Blueprint(
        "Ceasefire corridor",
        "escalation",
        "Africa/Cairo",
        exercise=True,
        delegations=(Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),),
        participants=(Participant(delegate.user_id, Role.DELEGATE, "geneva", name="Omar Khalil"),),
    )
    info = peer.run(Sessions.of(peer.account).convene(blueprint))
    space, geneva = info.space_id, info.room(RoomKind.DELEGATION, "geneva")
    invitations = window.workspace.invitations
    qtbot.waitUntil(lambda: invitations.list.count() > 0, timeout=WAIT_MS)
    window.bridge.join(space, True)

    # The delegate opens the delegation room; the Instructions page follows its session.
    rooms = window.workspace.rooms
    qtbot.waitUntil(lambda: rooms.row_of(geneva) >= 0, timeout=WAIT_MS)
    window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(geneva)))
    controller = window.instructions
    window.workspace.pages.setCurrentWidget(controller.page)
    qtbot.waitUntil(
        lambda: (
            (shown := controller.latest(space)) is not None and shown.desk.my_delegation == "geneva"
        ),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: controller.page.space_id == space, timeout=WAIT_MS)

    draft = Draft("Hold the corridor line", "Do not concede.", "flash", action=("geneva",))
    peer.run(peer.account.feature(Instructions).issue(space, draft))
    model = controller.page.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.row(0).open, timeout=WAIT_MS)
    assert model.index(0, 0).data() == "FLASH"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()  # unmistakably open
    shown = controller.notifier.shown
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=WAIT_MS)  # its own notice, maybe later
    assert "EXERCISE" in shown[0] and "Hold the corridor line" in shown[0]
    qtbot.waitUntil(lambda: _capital_stage(peer, space) is Stage.RECEIVED, timeout=WAIT_MS)

    # Not acknowledged yet: the flash instruction alerts again (here every 0.2 s).
    assert controller.realert.pending() == ["Hold the corridor line"]
    controller.realert.intervals["flash"] = 0.2
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=WAIT_MS)
    assert "Still not acknowledged" in shown[1] and "EXERCISE" in shown[1]

    # It is listed among what needs attention; choosing it opens its room's Instructions.
    attention = controller.attention
    qtbot.waitUntil(attention.isVisible, timeout=WAIT_MS)
    assert "1" in attention.text() and "Hold the corridor line" in attention.items[0].text
    window.workspace.pages.setCurrentIndex(0)
    window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(space)))
    attention.list.itemClicked.emit(attention.list.item(0))
    assert window.workspace.pages.currentWidget() is controller.page
    assert window.workspace.room_list.currentIndex().row() == rooms.row_of(geneva)

    controller.page.select(0)
    assert controller.page.ack_button.isEnabled()
    qtbot.mouseClick(controller.page.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _capital_stage(peer, space) is Stage.ACKNOWLEDGED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not model.row(0).open, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: controller.realert.pending() == [], timeout=WAIT_MS)  # no more
    qtbot.waitUntil(lambda: not attention.isVisible(), timeout=WAIT_MS)
    assert not model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    # Its history names who acknowledged it (the session's name), not their @id.
    detail = controller.page.detail
    history = "Acknowledged — Omar Khalil — "
    qtbot.waitUntil(lambda: history in detail.toPlainText().translate(BIDI), timeout=WAIT_MS)
    assert delegate.user_id not in detail.toPlainText()

    # "Unable" needs a reason: an empty one can neither close the window nor send nothing.
    qtbot.mouseClick(controller.page.unable_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.page.findChild(ReasonDialog) is not None, timeout=WAIT_MS)
    ask = controller.page.findChild(ReasonDialog)
    ok = ask.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ask.isVisible() and not ok.isEnabled() and ask.hint.isVisible()
    qtbot.keyClicks(ask.text, "   ")
    assert not ok.isEnabled()
    qtbot.keyClicks(ask.text, "The other side left the room")
    assert ok.isEnabled() and not ask.hint.isVisible()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _capital_stage(peer, space) is Stage.UNABLE, timeout=WAIT_MS)

    # The session overview: the capital's and the delegation's clocks, and the board.
    overview = window.overview
    window.workspace.pages.setCurrentWidget(overview)
    assert overview.title.text() == "Ceasefire corridor" and overview.banner.isVisible()
    clocks = [overview.clocks.itemAt(i).widget().text() for i in range(overview.clocks.count())]
    assert "Capital" in clocks and "Geneva talks" in clocks
    assert any(text.replace("\u2068", "").startswith("Europe/Zurich") for text in clocks)
    desks = [overview.desks.itemAt(i).widget().text() for i in range(overview.desks.count())]
    bare = desks[1].translate({0x2068: None, 0x2069: None})
    assert desks[0] == "Geneva talks" and bare == "0 open · 0 overdue · 1 in all"
