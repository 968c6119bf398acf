"""The timeline's row heights and the running totals that place each row.

Kept apart from the view so the view holds Qt's hooks and this holds the arithmetic:
row ``i`` spans ``top(i) .. top(i + 1)`` in content pixels, a row at a height is found by
bisection, and an inserted, removed or remeasured row updates the totals from there.

A height may be a guess: opening a room measures the rows the reader sees at the bottom
(a text layout each, ~0.25 ms) and guesses the others at their mean, so the first paint
does not wait for 200 layouts; the view measures the guessed ones later and says which
are still guesses through ``guessed_in``/``last_guessed``.
"""

from __future__ import annotations

import bisect
from itertools import accumulate


class RowHeights:
    """Heights of the rows in order, with each row's top kept as a running total."""

    def __init__(self) -> None:
        self.heights: list[int] = []
        self._tops: list[int] = [0]  # row i spans _tops[i] .. _tops[i + 1]
        self._guessed: list[bool] = []  # row i's height is not measured yet

    def __len__(self) -> int:
        return len(self.heights)

    def clear(self) -> None:
        self.heights, self._tops, self._guessed = [], [0], []

    def replace(self, heights: list[int]) -> None:
        self.heights, self._guessed = heights, [False] * len(heights)
        self.totals()

    def guess(self, count: int, bottom: list[int]) -> None:
        """``count`` rows of which the last ones were measured as ``bottom``: the others
        get their mean height until measured."""
        mean = sum(bottom) // len(bottom) if bottom else 0
        guessed = count - len(bottom)
        self.heights = [mean] * guessed + bottom
        self._guessed = [True] * guessed + [False] * len(bottom)
        self.totals()

    def set(self, first: int, heights: list[int]) -> None:
        """Measured heights from a row on (the totals follow with ``totals``)."""
        self.heights[first : first + len(heights)] = heights
        self._guessed[first : first + len(heights)] = [False] * len(heights)

    def insert(self, start: int, heights: list[int]) -> None:
        self.heights[start:start] = heights
        self._guessed[start:start] = [False] * len(heights)

    def remove(self, first: int, last: int) -> None:
        del self.heights[first : last + 1]
        del self._guessed[first : last + 1]

    def guessed_in(self, rows: range) -> list[int]:
        return [row for row in rows if self._guessed[row]]

    def last_guessed(self, count: int) -> list[int]:
        """Up to ``count`` guessed rows nearest the bottom (measured first: nearest the
        reader, who starts there)."""
        found: list[int] = []
        for row in range(len(self._guessed) - 1, -1, -1):
            if self._guessed[row]:
                found.append(row)
                if len(found) == count:
                    break
        return found

    def totals(self) -> None:
        """Place the rows again after their heights changed."""
        self._tops = [0, *accumulate(self.heights)]

    def top(self, row: int) -> int:
        """Where a row starts (``top(len(self))`` is where the last one ends)."""
        return self._tops[row]

    @property
    def total(self) -> int:
        return self._tops[-1]

    def row_at(self, content: int) -> int:
        """The row at a content height, or -1."""
        if content < 0 or content >= self._tops[-1]:
            return -1
        return bisect.bisect_right(self._tops, content) - 1

    def first_from(self, content: int) -> int:
        """The first row that starts after a content height (PageUp/PageDown steps)."""
        return bisect.bisect_right(self._tops, content)

    def between(self, first: int, last: int) -> range:
        """The rows from one content height to another (to the end past the last row)."""
        top = self.row_at(first)
        if top < 0:
            return range(0)
        bottom = self.row_at(last)
        return range(top, (bottom if bottom >= 0 else len(self.heights) - 1) + 1)
