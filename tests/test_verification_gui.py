"""Emoji verification in the window: Verify… on a participant's row, the dialog shows the
seven emoji with their names, "They match" completes it. The other side is a second
client of the app on the window's backend loop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.roles import Role
from app.core.session import Blueprint, Participant
from app.core.verification import EMOJI, Phase, VerificationView
from app.services.sessions import Sessions
from app.services.verification.notices import VerificationChanged
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn
from tests.peers import ThreadedPeer


def peer_view(peer: ThreadedPeer) -> VerificationView | None:
    views = [n.view for n in list(peer.notices) if isinstance(n, VerificationChanged)]
    return views[-1] if views else None


def test_verify_a_participant_from_the_panel_with_emoji(
    qtbot, window: MainWindow, peer: ThreadedPeer, signed_in: SignIn
) -> None:
    mine, _facilitator = signed_in("verifier", "fac")
    blueprint = Blueprint(
        "Verification drill",
        "other",
        "Asia/Riyadh",
        participants=(Participant(mine.user_id, Role.EXPERT),),
    )
    info = peer.run(Sessions.of(peer.account).convene(blueprint))
    invitations = window.workspace.invitations
    qtbot.waitUntil(lambda: invitations.list.count() > 0, timeout=WAIT_MS)
    invitations.list.setCurrentRow(0)
    invitations.join.click()
    rooms = window.workspace.rooms
    qtbot.waitUntil(lambda: rooms.rowCount() >= 2, timeout=WAIT_MS)
    window.workspace.room_list.setCurrentIndex(rooms.index(0))
    panel = window.workspace.participants
    model = panel.model

    def facilitator_row() -> int:
        users = [model.member(r).user_id for r in range(model.rowCount())]
        return users.index(peer.account.user_id) if peer.account.user_id in users else -1

    qtbot.waitUntil(lambda: facilitator_row() >= 0, timeout=WAIT_MS)
    panel.table.setCurrentIndex(model.index(facilitator_row(), 0))
    # The action sits in the row's context menu (and Session → Verify participant…).
    controller = window.verification
    assert controller.verify_action in panel.table.actions()
    assert panel.table.contextMenuPolicy() is Qt.ContextMenuPolicy.ActionsContextMenu
    controller.verify_action.trigger()
    qtbot.waitUntil(lambda: len(controller.dialogs) == 1, timeout=WAIT_MS)
    (dialog,) = controller.dialogs.values()
    assert dialog.isVisible() and "Waiting for" in dialog.status.text()

    qtbot.waitUntil(lambda: (v := peer_view(peer)) is not None and v.incoming, timeout=WAIT_MS)
    asked = peer_view(peer)
    peer.run(peer.backend.use("verification", lambda v: v.accept(asked.key)))
    qtbot.waitUntil(dialog.match_button.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: peer_view(peer).phase is Phase.SHOWING, timeout=WAIT_MS)
    theirs = peer_view(peer).emoji
    shown = [(symbol.text(), name.text()) for symbol, name in dialog.cells]
    assert shown == [EMOJI[i] for i in theirs]  # the same seven, with their names
    assert all(symbol.isVisible() for symbol, _ in dialog.cells)
    assert dialog.mismatch_button.isVisible()

    qtbot.mouseClick(dialog.match_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Waiting for" in dialog.status.text(), timeout=WAIT_MS)
    peer.run(peer.backend.use("verification", lambda v: v.confirm(asked.key)))
    qtbot.waitUntil(lambda: "Verified" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.close_button.isVisible() and not dialog.match_button.isVisible()
    qtbot.waitUntil(lambda: peer_view(peer).phase is Phase.DONE, timeout=WAIT_MS)
    assert info.title == "Verification drill"
    dialog.close()
    QApplication.processEvents()


def test_someone_asking_to_verify_us_waits_as_a_prompt(
    qtbot, window: MainWindow, peer: ThreadedPeer, signed_in: SignIn
) -> None:
    mine, _asker = signed_in("asked", "asker")
    peer.run(peer.account.create_room("direct", (mine.user_id,)))
    invitations = window.workspace.invitations
    qtbot.waitUntil(lambda: invitations.list.count() > 0, timeout=WAIT_MS)
    invitations.list.setCurrentRow(0)
    invitations.join.click()
    room_joined = window.workspace.rooms
    qtbot.waitUntil(lambda: room_joined.rowCount() == 1, timeout=WAIT_MS)

    def peer_knows_we_joined() -> bool:
        return any(
            e.type == "m.room.member"
            and e.state_key == mine.user_id
            and e.content.get("membership") == "join"
            for e in peer.events()
        )

    qtbot.waitUntil(peer_knows_we_joined, timeout=WAIT_MS)
    key = peer.run(peer.backend.use("verification", lambda v: v.request(mine.user_id)))
    controller = window.verification
    # No window pops up by itself: a button in the status bar waits for the user.
    qtbot.waitUntil(controller.prompt.isVisible, timeout=WAIT_MS)
    assert not controller.dialogs and "asks to verify" in controller.prompt.text()
    qtbot.mouseClick(controller.prompt, Qt.MouseButton.LeftButton)
    (dialog,) = controller.dialogs.values()
    assert dialog.accept_button.isVisible() and "asks to verify" in dialog.status.text()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.match_button.isVisible, timeout=WAIT_MS)
    assert not controller.prompt.isVisible()
    qtbot.mouseClick(dialog.mismatch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "did not match" in dialog.status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: peer_view(peer).phase is Phase.CANCELLED, timeout=WAIT_MS)
    assert peer_view(peer).key == key and peer_view(peer).cancel_code == "m.mismatched_sas"
    assert dialog.close_button.isVisible() and not dialog.match_button.isVisible()
    dialog.close()
