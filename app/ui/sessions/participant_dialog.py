"""Add a participant to a session, or change one's role."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from app.core.identifiers import is_user_id
from app.core.roles import Role
from app.core.session import NAME_MAX, Participant, SessionInfo
from app.ui.texts import fill, role_label
from app.ui.widgets import error_label, ok_cancel


class ParticipantDialog(QDialog):
    def __init__(
        self, info: SessionInfo, current: Participant | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change role") if current else self.tr("Add participant"))
        self.user = QLineEdit(current.user_id if current else "")
        self.user.setReadOnly(current is not None)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_label(role.value), role.value)
        self.role.setCurrentIndex(self.role.findData(current.role if current else Role.EXPERT))
        self.delegation = QComboBox()
        self.delegation.addItem(self.tr("(none)"), "")
        for d in info.delegations:
            self.delegation.addItem(d.name, d.id)
        if current:
            self.delegation.setCurrentIndex(max(self.delegation.findData(current.delegation), 0))
        self.name = QLineEdit(current.name if current else "")
        self.name.setMaxLength(NAME_MAX)
        self.name.setPlaceholderText(self.tr("as the session will show them, e.g. Omar Khalil"))
        self.title = QLineEdit(current.title if current else "")
        self._organisation = current.organisation if current else ""
        self.error = error_label()
        buttons = ok_cancel(self, self._check)
        form = QFormLayout(self)
        form.addRow(self.tr("&Matrix id:"), self.user)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Role:"), self.role)
        form.addRow(self.tr("&Delegation:"), self.delegation)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.error)
        form.addRow(buttons)

    def participant(self) -> Participant:
        return Participant(
            self.user.text().strip(),
            Role(self.role.currentData()),
            self.delegation.currentData(),
            self.title.text().strip(),
            self._organisation,
            self.name.text().strip(),
        )

    def _check(self) -> None:
        p = self.participant()
        if not is_user_id(p.user_id):
            self.error.setText(
                fill(self.tr("Not a Matrix user id: %1 (expected @name:server)"), p.user_id)
            )
        elif p.role is Role.DELEGATE and not p.delegation:
            self.error.setText(self.tr("A delegate needs a delegation."))
        else:
            self.accept()
