"""What an empty timeline says while its room's messages are still on their way.

Why: on a first start the room the window opens first is shown before anything is
archived (``RoomLoaded.provisional``); empty, it would look like a room where nobody
has said anything. The note stands over the timeline until the room's first events
come, or the backend's own load says the room is really empty.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

from app.ui.timeline.model import TimelineModel


class ReceivingNote(QLabel):
    """A centred line over the view's viewport, shown while the model is provisional."""

    def __init__(self, view: QAbstractItemView, model: TimelineModel) -> None:
        super().__init__(view.viewport())
        self.setObjectName("receivingNote")
        self.setText(self.tr("Receiving this room's messages…"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self._model = model
        model.modelReset.connect(self._follow)
        model.settled.connect(self._follow)
        view.viewport().installEventFilter(self)
        self._follow()

    def _follow(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.setVisible(self._model.provisional)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self.setGeometry(self.parentWidget().rect())
        return False
