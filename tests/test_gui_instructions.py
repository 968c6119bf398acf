"""A delegate's instruction feed in the desktop app: a flash instruction raises a
notification, the Acknowledge button sends the ack, the capital's board follows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.instructions import Draft, Stage
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant
from app.services.instructions import Instructions
from app.services.notices import InstructionsChanged
from app.services.sessions import Sessions
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn
from tests.peers import ThreadedPeer


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
        participants=(Participant(delegate.user_id, Role.DELEGATE, "geneva"),),
    )
    info = peer.run(Sessions(peer.account.client).convene(blueprint))
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

    controller.page.select(0)
    assert controller.page.ack_button.isEnabled()
    qtbot.mouseClick(controller.page.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _capital_stage(peer, space) is Stage.ACKNOWLEDGED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not model.row(0).open, timeout=WAIT_MS)
    assert not model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
