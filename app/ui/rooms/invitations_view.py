"""Pending invitations with a one-action Join (the session's space and entitled rooms)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QWidget

from app.core.records import Invitation
from app.ui.people import person_text
from app.ui.texts import fill


class InvitationsView(QWidget):
    """Hidden while there is nothing to accept."""

    joinRequested = Signal(str, bool)  # room id, is a session space

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("invitations")
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Invitations"))
        self.list.setMaximumHeight(90)
        self.list.itemActivated.connect(lambda _item: self._join())
        self.join = QPushButton(self.tr("&Join"))
        self.join.clicked.connect(self._join)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.join, 0, Qt.AlignmentFlag.AlignTop)
        self._invitations: tuple[Invitation, ...] = ()
        self._names: Mapping[str, str] = {}
        self.hide()

    def set_invitations(
        self, invitations: tuple[Invitation, ...], names: Mapping[str, str] | None = None
    ) -> None:
        """Show these invitations; each inviter by the name we know them by (``names``),
        else the one the invitation gives, with their id beside it: a name alone could be
        anyone's, and an invitation is where a stranger would pretend."""
        self._invitations, self._names = invitations, dict(names or {})
        current = self.list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole)[0] if current is not None else None
        self.list.clear()
        for invitation in invitations:
            template = (
                self.tr("Session invitation: %1 — %2 (from %3)")
                if invitation.is_space
                else self.tr("Room invitation: %1 — %2 (from %3)")
            )
            inviter = invitation.inviter
            known = {inviter: self._names.get(inviter) or invitation.inviter_name}
            text = fill(
                template, invitation.name, invitation.reason or "—", person_text(inviter, known)
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (invitation.room_id, invitation.is_space))
            self.list.addItem(item)
        self.setVisible(bool(invitations))
        ids = [i.room_id for i in invitations]
        if invitations:  # the selection stays on the same invitation when others change
            self.list.setCurrentRow(ids.index(keep) if keep in ids else 0)

    def name_people(self, names: Mapping[str, str]) -> None:
        """Names became known after the invitations came (a member event, a session's
        roster): the inviters are named anew, the selection kept."""
        if self._invitations and any(
            names.get(i.inviter) != self._names.get(i.inviter) for i in self._invitations
        ):
            self.set_invitations(self._invitations, names)

    def _join(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            room_id, is_space = item.data(Qt.ItemDataRole.UserRole)
            self.joinRequested.emit(room_id, is_space)
            self.list.takeItem(self.list.row(item))
            self.setVisible(self.list.count() > 0)
