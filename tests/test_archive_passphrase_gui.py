"""A window started without ``OOR_ARCHIVE_PASSPHRASE`` (a desktop launcher) on a machine
without a keyring asks for the archive's passphrase in a dialog: a wrong one is refused
in a sentence with the file untouched, the right one opens the archive and its rooms.

The no-keyring path is forced as everywhere in the suite (``OOR_CREDENTIALS=file``, see
conftest); the first sign-in is given the passphrase by the variable, so the account's
key is a passphrase (``archive.salt`` beside the archive)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QDialogButtonBox

from app.core.paths import ARCHIVE_PASSPHRASE_ENV, ARCHIVE_SALT_FILE, DataDir
from app.homeserver import EmbeddedHomeserver
from app.services import notices
from app.store.archive_keys import KEY_FILE
from app.ui.shell.archive_passphrase import ArchivePassphraseDialog
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS, room_names, sign_in_with_a_room, start_window

RIGHT = "نهر الفرات يفيض في الربيع"  # non-ASCII on purpose: the key is scrypt of UTF-8


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dialog_of(window: MainWindow) -> ArchivePassphraseDialog | None:
    dialog = window.archive_passphrase.dialog
    return dialog if dialog is not None and dialog.isVisible() else None


def type_into(dialog: ArchivePassphraseDialog, passphrase: str) -> None:
    dialog.passphrase.setText(passphrase)
    dialog.open_button.click()


@pytest.fixture
def passphrase_account(
    qtbot, tmp_path: Path, homeserver: EmbeddedHomeserver, make_account, monkeypatch
) -> DataDir:
    """A data dir whose stored login's archive is keyed by a passphrase, with one room."""
    data = DataDir(tmp_path / "gui")
    monkeypatch.setenv(ARCHIVE_PASSPHRASE_ENV, RIGHT)
    first = start_window(data)
    sign_in_with_a_room(qtbot, first, homeserver, make_account("vault"), "Flood cell")
    dispose_widget(first)
    monkeypatch.delenv(ARCHIVE_PASSPHRASE_ENV)
    assert data.passphrase_accounts()  # the key is a passphrase, not a key file
    return data


def test_a_passphrase_archive_is_opened_through_the_dialog(
    qtbot, passphrase_account: DataDir
) -> None:
    data = passphrase_account
    account = data.passphrase_accounts()[0]
    archive = account / "archive.sqlite3"
    before = digest(archive)
    assert ARCHIVE_PASSPHRASE_ENV not in os.environ

    logged_in: list[notices.LoggedIn] = []
    window = start_window(data, at_login=logged_in.append)

    qtbot.waitUntil(lambda: dialog_of(window) is not None, timeout=WAIT_MS)
    first = dialog_of(window)
    assert first is not None and not first.error.isVisible()
    assert not first.open_button.isEnabled()  # nothing typed, nothing to open with
    type_into(first, "not the passphrase")

    qtbot.waitUntil(
        lambda: dialog_of(window) is not None and dialog_of(window) is not first,
        timeout=WAIT_MS,
    )
    again = dialog_of(window)
    assert again is not None and again.error.isVisible()
    assert again.error.text() == "This passphrase does not open the archive."
    assert digest(archive) == before  # refused, untouched: never a new empty archive
    assert (account / ARCHIVE_SALT_FILE).is_file()
    assert room_names(window) == []

    type_into(again, RIGHT)
    qtbot.waitUntil(lambda: room_names(window) == ["Flood cell"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(logged_in), timeout=WAIT_MS)
    assert window.pages.currentWidget() is window.workspace
    assert dialog_of(window) is None  # asked by the start-up once, not again by the sign-in
    assert not [p for p in window.problems if p.what == "archive_failed"]
    dispose_widget(window)


def test_cancelling_the_passphrase_leaves_the_sign_in_page_with_a_sentence(
    qtbot, passphrase_account: DataDir
) -> None:
    data = passphrase_account
    archive = data.passphrase_accounts()[0] / "archive.sqlite3"
    before = digest(archive)

    window = start_window(data)
    qtbot.waitUntil(lambda: dialog_of(window) is not None, timeout=WAIT_MS)
    dialog = dialog_of(window)
    assert dialog is not None
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()

    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    assert "no passphrase was given" in window.login.error.text()
    assert dialog_of(window) is None  # one question per start, not one per opening
    assert room_names(window) == []
    assert digest(archive) == before
    dispose_widget(window)


def test_the_first_sign_in_without_a_keyring_chooses_a_passphrase_typed_twice(
    qtbot, tmp_path: Path, homeserver: EmbeddedHomeserver, make_account, monkeypatch
) -> None:
    # A desktop without a keyring (not one where OOR_CREDENTIALS=file chose key files).
    monkeypatch.delenv("OOR_CREDENTIALS")
    monkeypatch.setattr("keyring.get_keyring", fail.Keyring)
    data = DataDir(tmp_path / "gui")
    window = start_window(data)
    account = make_account("chooser")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    window.bridge.login(homeserver.url, account.user_id, account.password)

    qtbot.waitUntil(lambda: dialog_of(window) is not None, timeout=WAIT_MS)
    dialog = dialog_of(window)
    assert dialog is not None and dialog.repeat.isVisible()
    dialog.passphrase.setText(RIGHT)
    dialog.repeat.setText(RIGHT + "x")
    dialog.open_button.click()
    assert dialog.isVisible() and dialog.error.text() == "The two passphrases differ."
    dialog.repeat.setText(RIGHT)
    dialog.open_button.click()

    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=WAIT_MS)
    folder = data.account(account.user_id)
    assert (folder / ARCHIVE_SALT_FILE).is_file()
    assert not (folder / KEY_FILE).exists()  # the key is the passphrase, kept nowhere
    window.bridge.create_room("Flood cell")  # the account has started and keeps a room
    qtbot.waitUntil(lambda: room_names(window) == ["Flood cell"], timeout=WAIT_MS)
    dispose_widget(window)

    # The passphrase chosen is the archive's key: the next start asks for it.
    logged_in: list[notices.LoggedIn] = []
    again = start_window(data, at_login=logged_in.append)
    qtbot.waitUntil(lambda: dialog_of(again) is not None, timeout=WAIT_MS)
    asked = dialog_of(again)
    assert asked is not None and not asked.repeat.isVisible()
    type_into(asked, RIGHT)
    qtbot.waitUntil(lambda: room_names(again) == ["Flood cell"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(logged_in), timeout=WAIT_MS)  # the restore, confirmed
    assert dialog_of(again) is None
    dispose_widget(again)
