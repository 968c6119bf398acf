"""The window of an install from before cross-signing: after the restored login it asks
for the password in the status bar (not a window popping up), refuses a wrong one with
a sentence, keeps the prompt and the menu entry when cancelled, and sets up
cross-signing with the right one, as Synapse's ``/keys/query`` then shows."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.store import CredentialStore
from tests.conftest import dispose_widget
from tests.cross_signing_peer import device_cross_signed, query
from tests.fixtures_gui import WAIT_MS, press_ok, start_window
from tests.fixtures_homeserver import MakeAccount
from tests.old_install import make_old_install_elsewhere


def test_an_old_install_is_asked_for_its_password_and_verifies_its_device(
    qtbot, homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("upgraded")
    root = tmp_path / "gui"
    make_old_install_elsewhere(homeserver.url, account.user_id, account.password, root)
    window = start_window(DataDir(root))
    try:
        controller = window.cross_signing
        qtbot.waitUntil(controller.prompt.isVisible, timeout=WAIT_MS)
        assert controller.dialog is None  # offered, not popped up
        assert controller.action.isEnabled()
        qtbot.mouseClick(controller.prompt, Qt.MouseButton.LeftButton)
        dialog = controller.dialog
        assert dialog is not None and dialog.isVisible()

        qtbot.keyClicks(dialog.password, "not the password")
        press_ok(dialog)
        wrong = "The server did not accept this password. Type it again."
        qtbot.waitUntil(lambda: dialog.error.text() == wrong, timeout=WAIT_MS)
        assert dialog.isVisible() and dialog.password.selectedText() == "not the password"

        dialog.reject()  # cancelled: the password is forgotten, the prompt stays
        assert dialog.password.text() == ""
        assert controller.prompt.isVisible() and controller.action.isEnabled()

        controller.action.trigger()  # Account → Verification of this device…
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.password, account.password)
        press_ok(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not controller.prompt.isVisible(), timeout=WAIT_MS)
        assert not controller.action.isEnabled()
        assert dialog.password.text() == ""

        creds = CredentialStore(root).load()  # the stored login the window restored
        assert creds is not None
        reply = asyncio.run(query(homeserver.url, creds.access_token, creds.user_id))
        assert device_cross_signed(reply, creds.user_id, creds.device_id)
    finally:
        dispose_widget(window)


def test_an_unverified_device_of_an_account_with_keys_is_pointed_to_its_recovery_key(
    qtbot, homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("elsewhere")
    root = tmp_path / "gui"
    make_old_install_elsewhere(
        homeserver.url, account.user_id, account.password, root, keys_elsewhere=True
    )
    window = start_window(DataDir(root))
    try:
        controller = window.cross_signing
        qtbot.waitUntil(controller.prompt.isVisible, timeout=WAIT_MS)
        assert controller.prompt.text() == "This device is not verified…"
        qtbot.mouseClick(controller.prompt, Qt.MouseButton.LeftButton)
        assert controller.dialog is None  # no password asked: the identity exists
        guide = controller.guide
        assert guide is not None and guide.isVisible()
        assert "Enter your recovery key, or verify it by emoji" in guide.text()
        enter = next(b for b in guide.buttons() if b.text() == "Enter recovery key…")
        qtbot.mouseClick(enter, Qt.MouseButton.LeftButton)
        restore = window.recovery.restore_dialog  # the existing recovery-key path
        assert restore is not None and restore.isVisible()
    finally:
        dispose_widget(window)
