"""What needs attention, in one place: a button in the status bar ("3 need attention")
that lists the open urgent instructions of our delegation, the instructions waiting for
our acknowledgement and, for the capital, the overdue ones; choosing one opens its
delegation room's Instructions page.

Built from the instruction boards the window already receives, across every session.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from app.core.instructions import Addressed, Desk
from app.services.notices import InstructionsChanged
from app.ui.instructions.model import priority_label
from app.ui.texts import counted, fill


@dataclass(frozen=True, slots=True)
class Attention:
    """One thing someone must do something about."""

    space_id: str
    room_id: str  # the delegation room the instruction is in
    text: str
    urgent: bool


def needs_attention(desk: Desk, rows: tuple[Addressed, ...]) -> list[tuple[Addressed, str]]:
    """(row, why) for what this account must act on: our delegation's open instructions,
    and, for issuers, instructions overdue with any delegation."""
    found = []
    for row in rows:
        mine = bool(desk.my_delegation) and row.instruction.delegation == desk.my_delegation
        if mine and row.open:
            found.append((row, "ack"))
        elif desk.can_issue and row.overdue:
            found.append((row, "overdue"))
    return found


class AttentionButton(QToolButton):
    """Hidden while nothing waits; its menu lists each item, most urgent first."""

    chosen = Signal(str, str)  # space id, delegation room id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._by_space: dict[str, list[Attention]] = {}
        self.list = QListWidget()
        self.list.itemActivated.connect(self._choose)
        self.list.itemClicked.connect(self._choose)
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.list)
        menu.addAction(holder)
        self.setMenu(menu)
        self.hide()

    @property
    def items(self) -> list[Attention]:
        every = [a for found in self._by_space.values() for a in found]
        return sorted(every, key=lambda a: not a.urgent)

    @Slot(object)
    def apply(self, notice: InstructionsChanged) -> None:
        desk, names = notice.desk, {d.id: d.name for d in notice.desk.delegations}
        found = []
        for row, why in needs_attention(desk, notice.feed.rows):
            i = row.instruction
            place = names.get(i.delegation, i.delegation)
            template = (
                self.tr("%1 instruction to acknowledge: %2 — %3")
                if why == "ack"
                else self.tr("%1 instruction overdue: %2 — %3")
            )
            text = fill(template, priority_label(i.priority), i.subject, place)
            urgent = i.priority in ("flash", "immediate") or why == "overdue"
            found.append(Attention(desk.space_id, i.room_id, text, urgent))
        self._by_space[desk.space_id] = found
        self._show()

    def reset(self) -> None:
        self._by_space.clear()
        self._show()

    def _show(self) -> None:
        items = self.items
        self.setVisible(bool(items))
        self.setText(counted(self.tr("%n need attention", "", len(items))))
        self.list.clear()
        for attention in items:
            item = QListWidgetItem(attention.text)
            item.setData(Qt.ItemDataRole.UserRole, attention)
            self.list.addItem(item)
        self.list.setMinimumWidth(420)

    def _choose(self, item: QListWidgetItem) -> None:
        attention: Attention = item.data(Qt.ItemDataRole.UserRole)
        self.menu().hide()
        self.chosen.emit(attention.space_id, attention.room_id)
