"""The dialog that asks for the archive's passphrase on a machine without a keyring.

Why a dialog and not the environment variable alone: an app started from a desktop
launcher has no terminal to ask on and no variable set. The typed passphrase goes to the
backend loop through the bridge at once (the key is derived there, never on this
thread); the field is cleared as the dialog closes, nothing is logged or kept here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.notices import ArchivePassphraseNeeded
from app.ui.bridge import Bridge
from app.ui.texts import fill, user_text


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ArchivePassphraseDialog(QDialog):
    """Masked field, "Open archive" and Cancel; says what the passphrase protects and
    that it cannot be recovered, and (after a wrong one) that it did not open. With
    ``choose`` (a first sign-in), the passphrase is typed twice and must match."""

    def __init__(
        self, user_id: str, wrong: bool, choose: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Archive passphrase"))
        self.setMinimumWidth(460)
        self._choose = choose
        if choose:
            text = self.tr(
                "This computer has no system keyring, so the archive that keeps every "
                "message of %1 on this computer will be encrypted with a passphrase you "
                "choose now. It is asked for at each start."
            )
        else:
            text = self.tr(
                "The archive on this computer keeps every message of %1, encrypted "
                "with a passphrase because this computer has no system keyring. "
                "Type the passphrase to open it."
            )
        intro = _wrapped(fill(text, user_text(user_id)))
        warning = _wrapped(
            self.tr(
                "Nobody can recover a forgotten passphrase: without it, the archive on "
                "this computer cannot be opened."
            )
        )
        self.error = QLabel(self.tr("This passphrase does not open the archive.") if wrong else "")
        self.error.setObjectName("passphraseError")
        self.error.setVisible(wrong)
        self.passphrase = _masked(self.tr("Passphrase"))
        self.repeat = _masked(self.tr("Repeat the passphrase"))
        self.repeat.setVisible(choose)
        self.open_button = QPushButton(self.tr("&Open archive"))
        self.open_button.setDefault(True)
        self.open_button.setEnabled(False)
        self.passphrase.textChanged.connect(lambda text: self.open_button.setEnabled(bool(text)))
        buttons = QDialogButtonBox()
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._open)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, warning, self.error, self.passphrase, self.repeat, buttons):
            layout.addWidget(widget)
        self.passphrase.setFocus()

    def _open(self) -> None:
        if self._choose and self.passphrase.text() != self.repeat.text():
            self.error.setText(self.tr("The two passphrases differ."))
            self.error.show()
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self.accept()

    def clear(self) -> None:
        """Forget what was typed as the dialog closes."""
        self.passphrase.clear()
        self.repeat.clear()


def _masked(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class ArchivePassphraseAsker(QObject):
    """Shows the dialog for each ``ArchivePassphraseNeeded`` and answers the backend; a
    child of the window, so the bridge forgets it when the window is gone."""

    def __init__(self, bridge: Bridge, parent: QWidget) -> None:
        super().__init__(parent)
        self._bridge, self._parent = bridge, parent
        self.dialog: ArchivePassphraseDialog | None = None  # the one on screen, if any
        bridge.on(ArchivePassphraseNeeded, self._ask)

    def _ask(self, notice: ArchivePassphraseNeeded) -> None:
        dialog = ArchivePassphraseDialog(notice.user_id, notice.wrong, notice.choose, self._parent)
        dialog.finished.connect(lambda result: self._answer(dialog, notice.user_id, result))
        self.dialog = dialog
        dialog.open()  # window-modal, without a nested event loop

    def _answer(self, dialog: ArchivePassphraseDialog, user_id: str, result: int) -> None:
        accepted = result == QDialog.DialogCode.Accepted.value
        typed = dialog.passphrase.text() if accepted else None
        dialog.clear()
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self._bridge.give_archive_passphrase(user_id, typed)
