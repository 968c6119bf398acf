"""The bar across the top of the workspace while the homeserver cannot be reached:
"Connection lost — 3 waiting to send", with when the next attempt comes.

A delegate in a meeting must see at a glance that what they sent has not gone yet; the
status bar's small word is not enough for that.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.core.records import OutboxState
from app.services.notices import Connection, ConnectionChanged, OutboxChanged
from app.ui.texts import counted, fill


class ConnectionBar(QWidget):
    """Hidden while connected; otherwise says what waits and when the next try is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBar")
        self.setStyleSheet("#connectionBar { background: #fde7c4; } QLabel { color: #4a2c00; }")
        self.setAutoFillBackground(True)
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        self._waiting: set[str] = set()  # transaction ids not yet taken by the server
        self._state = Connection.STARTING
        self._retry_in = 0.0
        self._since = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show)
        self.hide()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def apply_connection(self, notice: ConnectionChanged) -> None:
        self._state, self._retry_in = notice.state, notice.retry_in
        self._since.start()
        self._show()

    def apply_outbox(self, notice: OutboxChanged) -> None:
        if notice.item.state is OutboxState.PENDING:
            self._waiting.add(notice.item.txn_id)
        else:
            self._waiting.discard(notice.item.txn_id)
        self._show()

    def reset(self) -> None:
        """Signed out: nothing of the previous account stays."""
        self._waiting.clear()
        self._state = Connection.STARTING
        self._show()

    def _show(self) -> None:
        lost = self._state is Connection.OFFLINE
        back = self._state is Connection.CONNECTING and self._waiting
        self.setVisible(bool(lost or back))
        if lost and not self._tick.isActive():
            self._tick.start()
        elif not lost:
            self._tick.stop()
        if lost:
            left = max(0, round(self._retry_in - self._since.elapsed() / 1000))
            text = counted(self.tr("Connection lost — %n waiting to send.", "", self.waiting))
            if left:
                text += " " + fill(self.tr("Next try in %1 s."), left)
            else:
                text += " " + self.tr("Trying to reconnect…")
            self.label.setText(text)
        elif back:
            self.label.setText(
                counted(self.tr("Reconnecting… %n waiting to send.", "", self.waiting))
            )
