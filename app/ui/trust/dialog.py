"""The password form that sets up cross-signing for an account that has none.

The password goes to the backend once, with the command, and the field is emptied as
soon as the form closes: nothing here keeps it. A refusal (a mistyped password) leaves
the form open with the reason and the field selected for typing again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.services.notices import Problem
from app.ui.commands import Command, CommandDialog
from app.ui.widgets import error_label, ok_cancel


class PasswordDialog(CommandDialog):
    """Asks for the account password to make the account's cross-signing keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set up verification"))
        why = QLabel(
            self.tr(
                "Your account has no cross-signing keys yet: it was signed in before this "
                "app made them. Until it has them, what you do from this device does not "
                "count in delegation and restricted rooms, and this device receives no "
                "room keys there. Type your account password to set up verification. It "
                "is used once and not kept."
            )
        )
        why.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("crossSigningPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label("crossSigningError")
        form = QFormLayout(self)
        form.addRow(why)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))

    def send_with_password(
        self, send: Callable[[str], Command], explain: Callable[[Problem], str]
    ) -> None:
        """``send`` gets the typed password when OK is pressed and the field is filled."""
        self.send_with(lambda: send(self.password.text()), explain)

    def _check(self) -> None:
        if not self.password.text():
            self.error.setText(self.tr("Type your password."))
            return
        self.accept()

    def _refused(self, problem: Problem) -> None:
        super()._refused(problem)
        self.password.selectAll()
        self.password.setFocus()

    def done(self, result: int) -> None:
        """Closed either way: the typed password is forgotten."""
        self.password.clear()
        self.error.clear()
        super().done(result)
