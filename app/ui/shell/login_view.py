"""The login screen for real deployments: homeserver, user, password, a clear error."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LoginProblem
from app.services.notices import LoginNeeded
from app.ui.widgets import error_label


class LoginView(QWidget):
    """Emits ``submitted`` with (homeserver, user, password); shows why a login failed."""

    submitted = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginView")
        self.title = QLabel(self.tr("Sign in to your crisis room"))
        self.title.setObjectName("loginTitle")
        self.homeserver = QLineEdit()
        self.homeserver.setPlaceholderText("https://matrix.example.org")
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("@name:example.org or name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label("loginError")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sign_in = QPushButton(self.tr("&Sign in"))
        self.sign_in.setDefault(True)

        form = QFormLayout()
        form.addRow(self.tr("&Homeserver:"), self.homeserver)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("&Password:"), self.password)
        for field in (self.homeserver, self.user, self.password):
            # Addresses, ids and passwords are Latin script: keep them left-to-right in Arabic.
            field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field)
            field.returnPressed.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.sign_in, alignment=Qt.AlignmentFlag.AlignTrailing)
        layout.addStretch(2)
        self.setMinimumWidth(440)
        self.setMaximumWidth(560)
        self.sign_in.clicked.connect(self._submit)

    def _submit(self) -> None:
        if not self.sign_in.isEnabled():
            return  # a sign-in is under way; Enter again must not start a second one
        self.error.clear()
        self.set_busy(True)
        self.submitted.emit(self.homeserver.text(), self.user.text(), self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.sign_in.setEnabled(not busy)
        self.sign_in.setText(self.tr("Signing in…") if busy else self.tr("&Sign in"))

    def show_problem(self, notice: LoginNeeded) -> None:
        """Prefill the homeserver and say what went wrong, if anything did."""
        self.set_busy(False)
        if notice.homeserver and not self.homeserver.text():
            self.homeserver.setText(notice.homeserver)
        self.error.setText(self.problem_text(notice.problem) if notice.problem else "")
        self.error.setToolTip(notice.detail)
        if notice.problem is LoginProblem.BAD_CREDENTIALS:
            self.password.selectAll()
            self.password.setFocus()

    def problem_text(self, problem: LoginProblem) -> str:
        texts = {
            LoginProblem.BAD_INPUT: self.tr(
                "Check the form: the homeserver address must start with https:// (or http:// "
                "on this computer), and user and password are required."
            ),
            LoginProblem.UNREACHABLE: self.tr(
                "No server answers at this address. Check the address and your network."
            ),
            LoginProblem.NOT_MATRIX: self.tr(
                "A server answers at this address, but it is not a Matrix homeserver."
            ),
            LoginProblem.BAD_CREDENTIALS: self.tr("Wrong user name or password."),
            LoginProblem.TOKEN_REVOKED: self.tr(
                "This device was signed out on the server. Please sign in again."
            ),
            LoginProblem.SERVER_ERROR: self.tr(
                "The homeserver refused the sign-in. Try again, or ask its administrator."
            ),
            LoginProblem.ARCHIVE_LOCKED: self.tr(
                "The archive on this computer was not opened: no passphrase was given. "
                "Sign in again, or restart the app, to be asked for it."
            ),
        }
        return texts[problem]
