"""Retry delays for a homeserver that went away: quick at first, then patient."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Backoff:
    """Doubling delays from ``first`` up to ``ceiling`` seconds; ``reset`` after a success."""

    first: float = 0.5
    ceiling: float = 15.0
    _next: float = 0.0

    def next_delay(self) -> float:
        self._next = self.first if self._next == 0 else min(self._next * 2, self.ceiling)
        return self._next

    def reset(self) -> None:
        self._next = 0.0
