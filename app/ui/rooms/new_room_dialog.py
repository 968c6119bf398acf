"""Ask for a room name and whom to invite; refuses malformed user ids before sending."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from app.core.identifiers import is_user_id
from app.ui.texts import fill
from app.ui.widgets import error_label, ok_cancel


class NewRoomDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New encrypted room"))
        self.name = QLineEdit()
        self.invite = QLineEdit()
        self.invite.setPlaceholderText(self.tr("@alice:example.org, @bob:example.org"))
        self.error = error_label()
        buttons = ok_cancel(self, self._check)
        form = QFormLayout(self)
        form.addRow(self.tr("Room &name:"), self.name)
        form.addRow(self.tr("&Invite:"), self.invite)
        form.addRow(self.error)
        form.addRow(buttons)

    def invitees(self) -> tuple[str, ...]:
        parts = self.invite.text().replace(";", ",").split(",")
        return tuple(p.strip() for p in parts if p.strip())

    def _check(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("The room needs a name."))
            return
        bad = [u for u in self.invitees() if not is_user_id(u)]
        if bad:
            self.error.setText(
                fill(self.tr("Not a Matrix user id: %1 (expected @name:server)"), ", ".join(bad))
            )
            return
        self.accept()
