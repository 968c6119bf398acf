"""Key recovery in the desktop app: the recovery key shown once on an account's first
sign-in, and a new device that says what it cannot read and reads it after the key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.core import recovery_key
from app.core.instructions import Draft, Stage
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.instructions import Instructions
from app.services.notices import InstructionsChanged
from app.services.recovery import KeyRecovery
from app.services.sessions import Sessions
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, sign_in
from tests.fixtures_homeserver import MakeAccount
from tests.peers import ThreadedPeer


def test_first_sign_in_shows_the_recovery_key_once(
    qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    sign_in(qtbot, window, homeserver, make_account("first"))
    prompt = window.recovery.prompt  # offered in the status bar, not popped up
    qtbot.waitUntil(prompt.isVisible, timeout=WAIT_MS)
    assert window.recovery.set_up_dialog is None
    qtbot.mouseClick(prompt, Qt.MouseButton.LeftButton)
    dialog = window.recovery.set_up_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.passphrase, "one")
    qtbot.keyClicks(dialog.repeat, "two")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.ask_error.text() == "The two passphrases differ."
    dialog.passphrase.clear()
    dialog.repeat.clear()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.key_label.text()), timeout=WAIT_MS)

    shown = dialog.key_label.text()
    lines = shown.split("\n")
    assert all(len(group) == 4 for line in lines for group in line.split(" ")[:-1])
    key = recovery_key.decode(shown)  # a person can type back exactly what is shown
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert recovery_key.decode(QGuiApplication.clipboard().text()) == key
    dialog.reject()  # Escape: the key must not vanish before it is written down
    assert dialog.isVisible() and not dialog.done_button.isEnabled()
    dialog.written.setChecked(True)
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.key_label.text() == ""
    assert not window.recovery.set_up_action.isEnabled() and not prompt.isVisible()
    assert window.recovery.restore_action.isEnabled()


def test_a_new_device_counts_what_it_cannot_read_and_restores_it(
    qtbot,
    *,
    window: MainWindow,
    peer: ThreadedPeer,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
) -> None:
    facilitator, delegate = make_account("fac"), make_account("omar")
    old_device = ThreadedPeer(tmp_path / "old-device", window.bridge.runtime)
    try:
        peer.run(peer.backend.login(homeserver.url, facilitator.user_id, facilitator.password))
        old_device.run(
            old_device.backend.login(homeserver.url, delegate.user_id, delegate.password)
        )
        shown = old_device.run(old_device.account.feature(KeyRecovery).set_up())
        assert shown is not None

        blueprint = Blueprint(
            "Ceasefire corridor",
            "escalation",
            "Africa/Cairo",
            delegations=(Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),),
            participants=(Participant(delegate.user_id, Role.DELEGATE, "geneva"),),
        )
        info = peer.run(Sessions(peer.account.client).convene(blueprint))
        space, geneva = info.space_id, info.room(RoomKind.DELEGATION, "geneva")
        old_device.run(Sessions(old_device.account.client).join(space))
        draft = Draft("Hold the corridor line", "Do not concede.", action=("geneva",))
        peer.run(peer.account.feature(Instructions).issue(space, draft))

        def old_device_received() -> bool:
            feeds = [
                n.feed
                for n in list(old_device.notices)
                if isinstance(n, InstructionsChanged) and n.desk.space_id == space
            ]
            return bool(feeds and feeds[-1].rows and feeds[-1].rows[0].stage is Stage.RECEIVED)

        qtbot.waitUntil(old_device_received, timeout=WAIT_MS)

        def own_ack_echoed() -> bool:  # its "received" is in a room key of its own
            return any(
                e.room_id == geneva
                and e.sender == delegate.user_id
                and e.source.get("type") == "m.room.encrypted"
                for e in old_device.events()
            )

        qtbot.waitUntil(own_ack_echoed, timeout=WAIT_MS)
        sessions = {
            f"{geneva}|{e.source['content']['session_id']}"
            for e in old_device.events()
            if e.room_id == geneva and e.source.get("type") == "m.room.encrypted"
        }
        recovery = old_device.account.feature(KeyRecovery)
        qtbot.waitUntil(lambda: sessions <= recovery.backed_up(), timeout=WAIT_MS)
        old_device.close()

        # The delegate's new laptop: the window.
        sign_in(qtbot, window, homeserver, delegate)
        controller = window.recovery
        qtbot.waitUntil(controller.prompt.isVisible, timeout=WAIT_MS)
        assert "read earlier messages" in controller.prompt.text()
        qtbot.mouseClick(controller.prompt, Qt.MouseButton.LeftButton)
        dialog = controller.restore_dialog
        assert dialog is not None
        dialog.skip_button.click()  # later, from the feed
        rooms = window.workspace.rooms
        qtbot.waitUntil(lambda: rooms.row_of(geneva) >= 0, timeout=WAIT_MS)
        window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(geneva)))
        page = window.instructions.page
        window.workspace.pages.setCurrentWidget(page)
        qtbot.waitUntil(
            lambda: page.space_id == space and page.unreadable.isVisible(), timeout=WAIT_MS
        )
        assert "cannot be read on this device" in page.unreadable.text()
        assert page.model.rowCount() == 0
        page.unreadable.linkActivated.emit("#restore")
        assert dialog.isVisible()

        qtbot.keyClicks(dialog.key, recovery_key.encode(recovery_key.new_key()))
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Nothing was restored" in dialog.result.text(), timeout=WAIT_MS)
        assert page.model.rowCount() == 0

        dialog.key.clear()
        qtbot.keyClicks(dialog.key, shown)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "History restored" in dialog.result.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
        assert not page.unreadable.isVisible()
        assert page.model.row(0).instruction.subject == "Hold the corridor line"
        assert page.model.row(0).stage is Stage.RECEIVED  # the old device's word, read here
    finally:
        if old_device.backend.account is not None:
            old_device.close()
