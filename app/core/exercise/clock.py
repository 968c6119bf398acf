"""The exercise clock: exercise time runs at a chosen speed, pauses, and can jump ahead.

Pure arithmetic over a monotonic real clock handed in by the caller, so the facilitator's
controls (start, pause, resume, speed, next inject) are testable without waiting.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ClockState(enum.StrEnum):
    READY = "ready"  # not started yet
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass
class ExerciseClock:
    """Exercise seconds elapsed = base + (real now - real mark) × speed while running."""

    speed: float = 1.0
    state: ClockState = ClockState.READY
    _base: float = 0.0  # exercise seconds at the mark
    _mark: float = 0.0  # real (monotonic) seconds when base was taken

    def elapsed(self, now: float) -> float:
        if self.state is ClockState.RUNNING:
            return self._base + (now - self._mark) * self.speed
        return self._base

    def start(self, now: float) -> None:
        if self.state is ClockState.READY:
            self._mark, self.state = now, ClockState.RUNNING

    def pause(self, now: float) -> None:
        if self.state is ClockState.RUNNING:
            self._base, self.state = self.elapsed(now), ClockState.PAUSED

    def resume(self, now: float) -> None:
        if self.state is ClockState.PAUSED:
            self._mark, self.state = now, ClockState.RUNNING

    def set_speed(self, speed: float, now: float) -> None:
        """Rebase first, so what already elapsed keeps its value."""
        if not speed > 0:
            raise ValueError("the speed must be positive")
        self._base, self._mark = self.elapsed(now), now
        self.speed = speed

    def jump_to(self, exercise_seconds: float, now: float) -> None:
        """Skip ahead (never back) to an exercise time, e.g. the next inject's."""
        self._base, self._mark = max(self.elapsed(now), exercise_seconds), now

    def finish(self, now: float) -> None:
        self._base, self.state = self.elapsed(now), ClockState.FINISHED

    def real_delay(self, exercise_seconds: float, now: float) -> float | None:
        """Real seconds until that exercise time; None while it cannot come (paused, ready)."""
        if self.state is not ClockState.RUNNING:
            return None
        return max(0.0, (exercise_seconds - self.elapsed(now)) / self.speed)


def clock_text(seconds: float) -> str:
    """T+h:mm:ss, the way exercise controllers read the clock."""
    whole = int(seconds)
    return f"T+{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
