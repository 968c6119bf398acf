"""The two dialogs of key recovery: making the recovery key (shown once, to be written
down) and typing it in on a new device to read earlier messages.

They only show and collect; the controller sends the commands and hands them the
backend's RecoveryChanged notices. The key is shown in a plain label, never logged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.notices import Recovery, RecoveryChanged
from app.ui.texts import fill, tr

GROUPS_PER_LINE = 4


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def key_lines(key: str) -> str:
    """The key's groups of four, a few per line, as it is best copied onto paper."""
    groups = key.split()
    lines = [groups[i : i + GROUPS_PER_LINE] for i in range(0, len(groups), GROUPS_PER_LINE)]
    return "\n".join(" ".join(line) for line in lines)


class RecoverySetupDialog(QDialog):
    """First sign-in of an account: make the recovery key, then show it once."""

    createRequested = Signal(str)  # passphrase ('' for none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recovery key"))
        self.key_text = ""
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_ask())
        self.pages.addWidget(self._build_show())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def _build_ask(self) -> QWidget:
        page = QWidget()
        intro = _wrapped(
            self.tr(
                "Messages are encrypted. A recovery key lets a new device of yours read "
                "earlier messages; without it, a new laptop reads nothing from before. "
                "The key is shown once: keep it on paper, away from this computer."
            )
        )
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Passphrase (optional):"), self.passphrase)
        form.addRow(self.tr("Repeat passphrase:"), self.repeat)
        self.ask_error = QLabel()
        self.ask_error.setObjectName("recoveryError")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.create_button = QPushButton(self.tr("&Create recovery key"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        buttons = QDialogButtonBox()
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        later = buttons.addButton(self.tr("&Later"), QDialogButtonBox.ButtonRole.RejectRole)
        later.clicked.connect(self.reject)
        layout = QVBoxLayout(page)
        for widget in (intro, self.ask_error, self.busy):
            layout.addWidget(widget)
        layout.insertLayout(1, form)
        layout.addWidget(buttons)
        return page

    def _build_show(self) -> QWidget:
        page = QWidget()
        intro = _wrapped(
            self.tr(
                "Write this recovery key down now. It will not be shown again. Anyone "
                "who has it can read your earlier messages."
            )
        )
        self.key_label = QLabel()
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # Latin in RTL
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(font)
        self.copy_button = QPushButton(self.tr("C&opy"))
        self.copy_button.clicked.connect(self._copy)
        self.written = QCheckBox(self.tr("I have &written it down"))
        self.done_button = QPushButton(self.tr("&Done"))
        self.done_button.setEnabled(False)
        self.written.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self.accept)
        layout = QVBoxLayout(page)
        for widget in (intro, self.key_label, self.copy_button, self.written, self.done_button):
            layout.addWidget(widget)
        return page

    def _create(self) -> None:
        if self.passphrase.text() != self.repeat.text():
            self.ask_error.setText(self.tr("The two passphrases differ."))
            return
        self.ask_error.clear()
        self.create_button.setEnabled(False)
        self.busy.show()
        self.createRequested.emit(self.passphrase.text())

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key_text)
        self.copy_button.setText(self.tr("Copied"))

    def apply(self, notice: RecoveryChanged) -> None:
        if notice.state is Recovery.KEY_CREATED:
            self.key_text = notice.recovery_key
            self.key_label.setText(key_lines(notice.recovery_key))
            self.passphrase.clear()
            self.repeat.clear()
            self.pages.setCurrentIndex(1)
        elif notice.state is Recovery.FAILED:
            self.busy.hide()
            self.create_button.setEnabled(True)
            self.ask_error.setText(failure_text(notice.reason))

    def reject(self) -> None:
        """Once the key is shown, only "I have written it down" closes the dialog."""
        if self.pages.currentIndex() == 0:
            super().reject()

    def accept(self) -> None:
        self.key_text = ""  # forget it as soon as the user is done
        self.key_label.clear()
        super().accept()


class RestoreDialog(QDialog):
    """A new device: type the recovery key (or passphrase) to read earlier messages."""

    restoreRequested = Signal(str)

    def __init__(self, has_passphrase: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restore history"))
        intro = _wrapped(self.tr("Enter your recovery key to read earlier messages."))
        if has_passphrase:
            intro.setText(
                self.tr("Enter your recovery key or passphrase to read earlier messages.")
            )
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.key.setPlaceholderText("EsTj 3yST y93F …")
        self.result = QLabel()
        self.result.setObjectName("recoveryResult")
        self.result.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.restore_button = QPushButton(self.tr("&Restore"))
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._restore)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = self.buttons.addButton(
            self.tr("&Skip"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.skip_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.key, self.result, self.busy, self.buttons):
            layout.addWidget(widget)

    def _restore(self) -> None:
        if not self.key.text().strip():
            return
        self.restore_button.setEnabled(False)
        self.result.clear()
        self.busy.show()
        self.restoreRequested.emit(self.key.text())

    def apply(self, notice: RecoveryChanged) -> None:
        if notice.state is Recovery.FAILED:
            self.busy.hide()
            self.restore_button.setEnabled(True)
            self.result.setText(failure_text(notice.reason))
            self.key.selectAll()
            self.key.setFocus()
        elif notice.state is Recovery.RESTORED:
            self.busy.hide()
            self.key.clear()
            self.key.setEnabled(False)
            self.restore_button.hide()
            self.skip_button.setText(self.tr("&Close"))
            self.result.setText(
                fill(
                    self.tr("History restored: %1 room keys; %2 earlier messages can be read."),
                    notice.imported,
                    notice.decrypted,
                )
            )


def failure_text(reason: str) -> str:
    """Why recovery failed, in words the user can act on."""
    texts = {
        "wrong_key": tr("This is not the account's recovery key. Nothing was restored."),
        "not_a_key": tr(
            "This is not a recovery key: a character is missing or mistyped. Check it "
            "against your note."
        ),
        "no_storage": tr("This account has no recovery key yet."),
        "no_backup": tr("The server holds no key backup for this account."),
        "no_secret": tr("The backup key is missing from the account's secret storage."),
        "key_mismatch": tr("The stored backup key does not open the server's backup."),
        "exists": tr(
            "Another device of yours already made a recovery key: use Account → Restore "
            "history… with it."
        ),
        "unreachable": tr("The server could not be reached; try again."),
    }
    return texts.get(reason, tr("Recovery failed: the account's key data is damaged."))
