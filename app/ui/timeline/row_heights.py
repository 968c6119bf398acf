"""The timeline's row heights and the running totals that place each row.

Kept apart from the view so the view holds Qt's hooks and this holds the arithmetic:
row ``i`` spans ``top(i) .. top(i + 1)`` in content pixels, a row at a height is found by
bisection, and an inserted, removed or remeasured row updates the totals from there.
"""

from __future__ import annotations

import bisect
from itertools import accumulate


class RowHeights:
    """Heights of the rows in order, with each row's top kept as a running total."""

    def __init__(self) -> None:
        self.heights: list[int] = []
        self._tops: list[int] = [0]  # row i spans _tops[i] .. _tops[i + 1]

    def __len__(self) -> int:
        return len(self.heights)

    def clear(self) -> None:
        self.heights, self._tops = [], [0]

    def replace(self, heights: list[int]) -> None:
        self.heights = heights
        self.totals()

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
