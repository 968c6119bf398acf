"""When a row turns overdue, the next moment one does, and a delegate's feed order."""

from __future__ import annotations

from collections.abc import Iterable

from app.core.instructions.drafts import ACK_WINDOW_MS, PRIORITY_ORDER, SETTLED, Stage
from app.core.instructions.records import Addressed


def due_at(row: Addressed) -> int | None:
    """When this row becomes overdue if nothing happens (ms), or None if it never will."""
    i = row.instruction
    if row.superseded_by or row.stage in SETTLED or row.stage is Stage.PENDING or not i.action:
        return None
    times = []
    if i.deadline:
        times.append(i.deadline)
    if row.open:
        times.append(i.issued_ts + ACK_WINDOW_MS[i.priority])
    return min(times) if times else None


def is_overdue(row: Addressed, now_ms: int) -> bool:
    due = due_at(row)
    return due is not None and now_ms >= due


def next_due(rows: Iterable[Addressed], now_ms: int) -> int | None:
    """The next moment some row turns overdue (for one timer instead of polling)."""
    upcoming = [d for r in rows if (d := due_at(r)) is not None and d > now_ms]
    return min(upcoming) if upcoming else None


def feed_order(rows: Iterable[Addressed]) -> list[Addressed]:
    """A delegate's feed: open ones first, then by priority, newest first within each."""
    return sorted(
        rows,
        key=lambda r: (
            not r.open,
            bool(r.superseded_by),
            -PRIORITY_ORDER.index(r.instruction.priority),
            -r.instruction.issued_ts,
        ),
    )
