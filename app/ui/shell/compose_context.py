"""What the composer is answering or correcting, shown above the box as Element and
WhatsApp do ("Replying to Karim: Convoy left at 14:05 ×"); Esc or × goes back to a plain
message. The next Enter sends the reply or the correction instead of a new message."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.ui.texts import fill

_QUOTE = 120  # characters of the answered message shown


class Mode(enum.Enum):
    REPLY = "reply"
    EDIT = "edit"


@dataclass(frozen=True, slots=True)
class Context:
    mode: Mode
    event_id: str
    room_id: str


class ComposeContext(QWidget):
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composeContext")
        self.context: Context | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # quotes come from others
        self.label.setStyleSheet("color: palette(placeholder-text);")
        close = QToolButton()
        close.setText("×")
        close.setAccessibleName(self.tr("Cancel (Esc)"))
        close.setToolTip(self.tr("Cancel (Esc)"))
        close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def reply(self, room_id: str, event_id: str, who: str, quoted: str) -> None:
        self.context = Context(Mode.REPLY, event_id, room_id)
        short = quoted if len(quoted) <= _QUOTE else quoted[:_QUOTE] + "…"
        self.label.setText(fill(self.tr("Replying in the thread of %1: %2"), who, short))
        self.show()

    def edit(self, room_id: str, event_id: str) -> None:
        self.context = Context(Mode.EDIT, event_id, room_id)
        self.label.setText(self.tr("Editing your message (the original stays in the record)"))
        self.show()

    def clear(self) -> None:
        had = self.context is not None
        self.context = None
        self.hide()
        if had:
            self.cancelled.emit()
