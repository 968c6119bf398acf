"""The pinned messages of the open room, above its timeline (as Element shows them): the
newest pin's words, how many there are, and a button that brings each into view in turn.

Pins arrive as the room's ``m.room.pinned_events``; a pinned message older than the
loaded page is named by count only until it is paged in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.notices import PinsChanged
from app.ui.texts import counted, fill
from app.ui.timeline.model import TimelineModel

_QUOTE = 100


class PinnedBar(QWidget):
    showRequested = Signal(int)  # the timeline row to bring into view

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinnedBar")
        self._model = model
        self._pins: tuple[str, ...] = ()
        self._next = 0
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # pinned words come from others
        self.show_button = QPushButton(self.tr("S&how pinned"))
        self.show_button.clicked.connect(self._show_next)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.show_button)
        model.modelReset.connect(self._room_changed)
        self.hide()

    @Slot(object)
    def apply(self, notice: PinsChanged) -> None:
        if notice.room_id != self._model.room_id:
            return
        self._pins, self._next = notice.event_ids, 0
        self._paint()

    def _room_changed(self) -> None:
        self._pins, self._next = (), 0
        self._paint()

    def _paint(self) -> None:
        self.setVisible(bool(self._pins))
        if not self._pins:
            return
        newest = self._row_of(self._pins[-1])
        words = ""
        if newest >= 0:
            row = self._model.row(newest)
            words = row.entry.title if row.entry else (row.edited or row.text)
            words = words if len(words) <= _QUOTE else words[:_QUOTE] + "…"
        self.label.setText(
            fill(self.tr("%1 pinned: %2"), len(self._pins), words)
            if words
            else counted(self.tr("%n pinned messages", "", len(self._pins)))
        )

    def _row_of(self, event_id: str) -> int:
        return next(
            (p for p in range(self._model.rowCount()) if self._model.row(p).key == event_id), -1
        )

    def _show_next(self) -> None:
        """Newest first, then each older pin in turn."""
        if not self._pins:
            return
        event_id = self._pins[-1 - (self._next % len(self._pins))]
        self._next += 1
        row = self._row_of(event_id)
        if row >= 0:
            self.showRequested.emit(row)
