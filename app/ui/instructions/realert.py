"""Urgent means urgent: a flash or immediate instruction for our delegation alerts again
every few minutes (notification, taskbar, a sound) until someone of the delegation has
acknowledged it — a delegate in a meeting may miss the first alert."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from app.services.notices import InstructionsChanged

#: Seconds between alerts for an instruction still not acknowledged, by priority.
INTERVALS = {"flash": 180.0, "immediate": 600.0}


class Realerter(QObject):
    """Keeps the open urgent instructions of our delegation and raises them again."""

    def __init__(self, alert: Callable[[InstructionsChanged, str], None], parent: QObject) -> None:
        super().__init__(parent)
        self.intervals = dict(INTERVALS)
        self._alert = alert  # (the session's notice, the instruction's subject)
        self._open: dict[str, tuple[InstructionsChanged, str, str, float]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(5_000)
        self._timer.timeout.connect(self._tick)

    def pending(self) -> list[str]:
        """Subjects of the urgent instructions still waiting for our acknowledgement."""
        return [subject for _, subject, _, _ in self._open.values()]

    @Slot(object)
    def apply(self, notice: InstructionsChanged) -> None:
        mine = notice.desk.my_delegation
        space = notice.desk.space_id
        still = set()
        for row in notice.feed.rows:
            i = row.instruction
            if not mine or i.delegation != mine or not row.open or i.priority not in INTERVALS:
                continue
            key = f"{space}|{i.event_id}"
            still.add(key)
            if key not in self._open:  # the first alert is the arrival's own notice
                self._open[key] = (notice, i.subject, i.priority, time.monotonic())
        for key in [k for k in self._open if k.startswith(f"{space}|") and k not in still]:
            del self._open[key]  # acknowledged (or superseded): no more alerts
        if self._open and not self._timer.isActive():
            self._timer.start()
        elif not self._open:
            self._timer.stop()

    def _tick(self) -> None:
        now = time.monotonic()
        for key, (notice, subject, priority, last) in list(self._open.items()):
            if now - last >= self.intervals[priority]:
                self._open[key] = (notice, subject, priority, now)
                QApplication.beep()
                self._alert(notice, subject)
