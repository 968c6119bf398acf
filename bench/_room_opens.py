"""Rooms opened the way a user opens them, each timed to its messages painted.

Loaded by ``bench._startup_probe`` (from beside it: the app under test may be another
checkout) when the parent asks for room opens. Each open scrolls the painted room list
to the room, then clicks it with a real mouse event on the list's viewport (the view's
own selection handling, not a method of the window), and is timed from that click to the
end of the first timeline paint that holds the room's newest message; also by the CPU
time the whole process (UI, backend and store threads) spent meanwhile, and of it the UI
thread's, which a loaded machine disturbs less than the wall time. The first open is the
process's first read of that room (cold). Rooms are opened one after another, with a
pause between them as a reader's would be, so one open's tail is not timed in the next.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

PAUSE_MS = 300  # between one room painted and the next click
TIMEOUT_S = 20.0


class RoomOpens:
    """Opens ``count`` rooms of ``newest`` (room id -> its newest message's body) at random."""

    def __init__(
        self,
        window: Any,
        newest: dict[str, str],
        count: int,
        *,
        report: Callable[[dict[str, Any]], None],
        when_painted: Callable[[str, Callable[[], None]], None],
        seed: int = 8,
    ) -> None:
        self.window, self.newest, self.report = window, newest, report
        self.when_painted = when_painted
        shown = window.workspace.timeline.room_id
        choices = sorted(r for r in newest if r != shown)
        self.queue = random.Random(seed).sample(choices, min(count, len(choices)))
        self.results: list[dict[str, Any]] = []
        self.target = ""
        self.clicked_at = 0.0
        self.cpu_at = self.ui_cpu_at = 0.0
        self.timeout = QTimer(singleShot=True, interval=int(TIMEOUT_S * 1000))
        self.timeout.timeout.connect(lambda: self._finished(timed_out=True))

    def start(self) -> None:
        QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        if not self.queue:
            self.report({"opens": self.results})
            return
        room_id = self.queue.pop(0)
        rooms, view = self.window.workspace.rooms, self.window.workspace.room_list
        view.scrollTo(rooms.index(rooms.row_of(room_id)))  # as a user scrolls to it first
        QTimer.singleShot(PAUSE_MS, lambda: self._click(room_id))

    def _click(self, room_id: str) -> None:
        rooms, view = self.window.workspace.rooms, self.window.workspace.room_list
        centre = view.visualRect(rooms.index(rooms.row_of(room_id))).center()
        self.target, self.clicked_at = room_id, time.perf_counter()
        self.cpu_at, self.ui_cpu_at = time.process_time(), time.thread_time()
        self.timeout.start()
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), centre)

    def timeline_painting(self) -> None:
        """Called for each timeline paint: is the target room's newest message in it?"""
        if not self.target:
            return
        model = self.window.workspace.timeline
        if model.room_id != self.target:
            return
        body = self.newest[self.target]
        if any(model.row(i).text == body for i in reversed(range(model.rowCount()))):
            self.when_painted(f"open:{len(self.results)}", self._finished)

    def _finished(self, timed_out: bool = False) -> None:
        if not self.target:
            return
        self.timeout.stop()
        ms = (time.perf_counter() - self.clicked_at) * 1000
        cpu_ms = (time.process_time() - self.cpu_at) * 1000
        ui_ms = (time.thread_time() - self.ui_cpu_at) * 1000
        self.results.append(
            {"room": self.target, "ms": round(ms, 1), "cpu_ms": round(cpu_ms, 1)}
            | {"ui_cpu_ms": round(ui_ms, 1), "timed_out": timed_out}
        )
        self.target = ""
        self._next()
