"""Holes in a room's history: what a cut-short sync left out, fetched until it is archived.

A sync that was cut short (we were away) brings the newest events and a token the
missed ones lie behind. The fill pages back from it to the first event already
archived. When the server spoils or refuses those pages, the hole stays open: it is
noted in the archive (``Archive.note_gap``) before the first page is asked for, so
neither a failure nor a restart forgets it, and nothing else would ever ask for it:
scrolling back starts before the archive's oldest event, which is older than the hole.

When a hole is tried: after each sync that brings events, until it has failed
``MAX_GAP_TRIES`` times in this run (a server that always spoils its pages costs a few
requests per run, not one per sync); and at each scroll back in its room that reaches
the top of the archive (the user asks for history, and the server is asked anyway: one
try per scroll). Every run starts counting anew, so each start
tries again. When a hole is left for this run the log names its room and since when,
and the user is told that history could not be fetched.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING

from app.core.errors import SendFailed
from app.core.records import RoomEvent
from app.services.notices import Problem

if TYPE_CHECKING:
    from app.services.account import AccountService
    from app.store.archive.gaps import HistoryGap

log = logging.getLogger(__name__)
SERVER_PAGE = 100  # events per back-pagination request
MAX_GAP_PAGES = 50  # pages one fill fetches; a longer hole goes on from there next time
MAX_GAP_TRIES = 3  # fills of one hole per run that syncs start, failed or cut short
# True inside a fill: what it fetched is archived and comes back to ``after_sync`` as
# fresh events within the same task; fills from there would wait on the lock it holds.
_WITHIN_FILL: ContextVar[bool] = ContextVar("within_hole_fill", default=False)


class Holes:
    """The open holes of an account's rooms, and their filling."""

    def __init__(self, account: AccountService) -> None:
        self._account = account
        self._tried: dict[tuple[str, str], int] = {}  # (room, token) -> fills this run
        # One fill at a time per account: two fills of one hole would fetch its pages
        # twice and archive them out of the timeline's order (the room's chain).
        self._lock = asyncio.Lock()
        # Holes a fill is under way or waiting for, marked before any await: a trigger
        # meanwhile (a sync, a scroll) leaves them to it.
        self._busy: set[tuple[str, str]] = set()

    async def after_sync(self, gaps: Mapping[str, str], fresh: Sequence[RoomEvent]) -> None:
        """Note the holes this sync left (in rooms we held events of: a room new to us
        is paged on demand), then try every open hole not given up for this run."""
        account = self._account
        for room_id, token in gaps.items():
            arrived = sum(1 for e in fresh if e.room_id == room_id)
            if await account.db(account.archive.count, room_id) > arrived:
                await account.db(account.archive.note_gap, room_id, token)
        if _WITHIN_FILL.get():
            return
        for gap in await account.db(account.archive.history_gaps):
            if self._tried.get((gap.room_id, gap.token), 0) < MAX_GAP_TRIES:
                await self._fill(gap)

    async def in_room(self, room_id: str) -> None:
        """Scrolling back in a room past what the archive holds: its open holes are
        tried once more, whatever this run's tries (the user asks)."""
        if _WITHIN_FILL.get():
            return
        for gap in await self._account.db(self._account.archive.history_gaps, room_id):
            await self._fill(gap)

    async def _fill(self, gap: HistoryGap) -> None:
        key = (gap.room_id, gap.token)
        if key in self._busy:
            return
        self._busy.add(key)
        try:
            async with self._lock:
                # The fill before may have closed or moved this hole while we waited.
                if gap in await self._account.db(self._account.archive.history_gaps, gap.room_id):
                    reset = _WITHIN_FILL.set(True)
                    try:
                        await self._fill_from(gap.room_id, gap.token, gap.noted_at)
                    finally:
                        _WITHIN_FILL.reset(reset)
        finally:
            self._busy.discard(key)

    async def _fill_from(self, room_id: str, token: str, noted_at: float) -> None:
        """Page back from ``token`` to the first event already archived; what came is
        archived oldest first (the room's chain follows the timeline), even when a page
        failed: the hole then lies behind the page that failed."""
        account, start = self._account, token
        missing: list[RoomEvent] = []
        rest: str | None = token
        failure = ""
        try:
            for _ in range(MAX_GAP_PAGES):
                events, rest = await account.client.history(room_id, start, SERVER_PAGE)
                known = await account.db(account.archive.known, [e.event_id for e in events])
                missing[:0] = [e for e in events if e.event_id not in known]
                if known or rest is None:
                    rest = None  # reached what we held, or the room's beginning
                    break
                start = rest
        except SendFailed as exc:
            failure, rest = exc.detail, start
        if missing:
            log.info("filled %d events of a hole in %s", len(missing), room_id)
            await account.archive_history(missing)
        if rest is None:
            await account.db(account.archive.gap_filled, room_id, token)
            self._tried.pop((room_id, token), None)
            return
        tries = await account.db(account.archive.gap_left, room_id, token, rest)
        this_run = self._tried.pop((room_id, token), 0) + 1
        self._tried[(room_id, rest)] = this_run
        why = failure or f"longer than {MAX_GAP_PAGES} pages"
        if this_run < MAX_GAP_TRIES:
            log.info("hole in %s not filled yet (%s): tried again after a sync", room_id, why)
        elif this_run == MAX_GAP_TRIES:
            log.warning(
                "a hole in %s's history, open since %s, is still missing after %d tries (%s):"
                " fetched again when the room is scrolled back, and after the next start",
                room_id,
                _when(noted_at),
                tries,
                why,
            )
            account.notify(Problem("history_failed", f"{room_id}: {why}"[:300]))


def _when(seconds: float) -> str:
    """A local time for the log: when a hole was first noted."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))
