"""What each board was last built from, so an archive write that changes nothing the
board shows costs no second build.

Why: events are folded into a board when they are shown, ahead of their archive write
(``show_early``); when the write is done, ``absorb`` would build the same board again
from the same events. Building a board reads every feed event of its session, so each
message cost every peer in the room two full builds, growing with the session's feed
(a few ms each at 40 instructions, on the loop that shows the next message). A board
is reused only when its inputs are equal and no row or request turned due in between:
time is the one input not compared, so a deadline passed during the write still shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.core import instructions as ins
from app.core.instructions import Desk
from app.core.records import RoomEvent


@dataclass(frozen=True, slots=True)
class BoardInputs:
    """Everything a board is built from but the time."""

    desk: Desk
    events: Mapping[str, RoomEvent]  # the session's feed events by id
    pending: tuple[tuple[ins.Instruction, str], ...]  # our instructions still in the outbox


class LastBuilt:
    """Per session: the inputs, the moment and the board of its last build."""

    def __init__(self) -> None:
        self._by_space: dict[str, tuple[BoardInputs, int, ins.Feed]] = {}

    def record(self, space: str, inputs: BoardInputs, now_ms: int, feed: ins.Feed) -> None:
        self._by_space[space] = (inputs, now_ms, feed)

    def reusable(self, space: str, inputs: BoardInputs, now_ms: int) -> ins.Feed | None:
        """The board last built from equal inputs, if it still holds at ``now_ms``."""
        last = self._by_space.get(space)
        if last is None or last[0] != inputs:
            return None
        _, built_ms, feed = last
        return feed if _nothing_due(feed, built_ms, now_ms) else None


def _nothing_due(feed: ins.Feed, since_ms: int, now_ms: int) -> bool:
    """No row turns overdue and no request's deadline passes in [since_ms, now_ms]."""
    due = ins.next_due(feed.rows, since_ms - 1)
    if due is not None and due <= now_ms:
        return False
    return not any(r.deadline and since_ms <= r.deadline <= now_ms for r in feed.requests)
