"""Holes in a room's history: what a cut-short sync left out, fetched until it is archived.

A sync that was cut short (we were away) brings the newest events and a token the
missed ones lie behind. The fill pages back from it to the first event already
archived. When the server spoils or refuses those pages, the hole stays open: it is
noted in the archive with the batch that left it (``Archive.save_sync_batch``, in the
transaction that moves the sync token), so neither a failure nor a crash nor a restart
forgets it, and nothing else would ever ask for it: scrolling back starts before the
archive's oldest event, which is older than the hole.

The sync step only notes a hole (new messages never wait on a fill); one background
task per account fills the open holes, one at a time, after a batch that left one and
at each start. A scroll back in a room that reaches the top of the archive tries one of the
room's holes (the user asks for its history, and the server is asked anyway). Each
fill counts, in the archive, towards ``MAX_GAP_TRIES``: a hole the server never gives,
or refuses as forbidden (a room we were banned from), is given up, with a log line and the
user told, rather than asked for at every start for ever. Given up, it is still kept in
the archive (``Archive.gap_given_up``): the records exported after say the history is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from app.core.errors import SendFailed, SendProblem
from app.core.records import EventStatus, RoomEvent
from app.services.backoff import Backoff
from app.services.notices import Problem
from app.store.archive.gaps import MAX_GAP_TRIES

if TYPE_CHECKING:
    from app.services.account import AccountService
    from app.store.archive.gaps import HistoryGap

log = logging.getLogger(__name__)
SERVER_PAGE = 100  # events per back-pagination request
MAX_GAP_PAGES = 50  # pages one fill fetches; a longer hole goes on from there next time


class Holes:
    """The open holes of an account's rooms, and their filling."""

    def __init__(self, account: AccountService) -> None:
        self._account = account
        # One fill at a time per account: two fills of one hole would fetch its pages
        # twice and archive them out of the timeline's order (the room's chain).
        self._lock = asyncio.Lock()
        # Holes a fill is under way or waiting for, marked before any await: a trigger
        # meanwhile (the background task, a scroll) leaves them to it.
        self._busy: set[tuple[str, str]] = set()
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._told: set[str] = set()  # rooms whose open hole the user was told of this run
        # A fill found the server unreachable: the holes are gone over again after a
        # back-off (doubling, at most five minutes apart) rather than at the next noted
        # hole only, which might never come: holes of earlier runs would stay unfilled.
        self._unreachable = False
        self._backoff = Backoff(first=2.0, ceiling=300.0)

    def wake(self) -> None:
        """Have the background task go over the open holes once more (at a start, after
        a sync batch that may have noted one)."""
        self._woken.set()
        if self._task is None:
            self._task = asyncio.create_task(self._fill_forever(), name="oor-history-holes")

    async def stop(self) -> None:
        """End the background task (the account signs off)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def in_room(self, room_id: str) -> None:
        """Scrolling back in a room past what the archive holds: the room's oldest noted
        hole is tried (one: a scroll waits for at most one fill)."""
        gaps = await self._account.db(self._account.archive.history_gaps, room_id)
        if gaps:
            await self._fill(gaps[0])

    async def _fill_forever(self) -> None:
        while True:
            if self._unreachable:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._woken.wait(), self._backoff.next_delay())
            else:
                self._backoff.reset()
                await self._woken.wait()
            self._woken.clear()
            self._unreachable = False
            try:
                gaps = await self._account.db(self._account.archive.history_gaps)
            except Exception:  # the archive failed us: logged, tried at the next wake
                log.exception("could not read the holes in history")
                continue
            for gap in gaps:
                try:
                    await self._fill(gap)
                except Exception:  # even its try not counted (the archive): the next hole
                    log.exception("could not fill a hole in %s's history", gap.room_id)

    async def _fill(self, gap: HistoryGap) -> None:
        key = (gap.room_id, gap.token)
        if key in self._busy:
            return
        self._busy.add(key)
        try:
            async with self._lock:
                # The fill before may have closed or moved this hole while we waited.
                if gap in await self._account.db(self._account.archive.history_gaps, gap.room_id):
                    try:
                        await self._fill_from(gap)
                    except Exception as exc:  # a fault of ours, not the server's: a try
                        log.exception("a fill of a hole in %s's history failed", gap.room_id)
                        await self._left(gap, gap.token, f"failed: {type(exc).__name__}")
        finally:
            self._busy.discard(key)

    async def _fill_from(self, gap: HistoryGap) -> None:
        """Page back from the hole's token to the first event already archived; what came
        is archived oldest first (the room's chain follows the timeline), even when a
        page failed: the hole then lies behind the page that failed."""
        # Not given up when we left the room: the server serves its history up to our
        # leave (a kick is one); a ban is refused as forbidden, and given up on then.
        account, room_id, start = self._account, gap.room_id, gap.token
        missing: list[RoomEvent] = []
        rest: str | None = start
        failure = ""
        try:
            for _ in range(MAX_GAP_PAGES):
                events, rest = await account.client.history(room_id, start, SERVER_PAGE)
                ids = [e.event_id for e in events]
                known = await account.db(account.archive.known_status, ids)
                missing[:0] = [e for e in events if e.event_id not in known]
                # Reached what we held (a well-formed event: a malformed row's id may be
                # junk every page repeats), or the room's beginning.
                if rest is None or any(s is not EventStatus.MALFORMED for s in known.values()):
                    rest = None
                    break
                start = rest
        except SendFailed as exc:
            if exc.problem is SendProblem.TRANSIENT and start == gap.token:
                self._unreachable = True  # offline, or the server restarting: not a try
                return
            failure, rest = exc.detail, start
        if missing:
            log.info("filled %d events of a hole in %s", len(missing), room_id)
            await account.archive_history(missing)
        if rest is None:
            await account.db(account.archive.gap_filled, room_id, gap.token)
            return
        await self._left(gap, rest, failure or f"longer than {MAX_GAP_PAGES} pages")

    async def _left(self, gap: HistoryGap, rest: str, why: str) -> None:
        """A fill left the hole open (behind ``rest``): counted as a try; given up at the
        last one or when forbidden, else the user is told once this run."""
        account, room_id = self._account, gap.room_id
        tries = await account.db(account.archive.gap_left, room_id, gap.token, rest)
        if why.startswith("M_FORBIDDEN") or tries >= MAX_GAP_TRIES:
            await self._give_up(gap, rest, f"{why}; {tries} tries")
        elif room_id not in self._told:
            self._told.add(room_id)
            log.info("hole in %s not filled yet (%s): tried again later", room_id, why)
            account.notify(Problem("history_gap", await self._name(room_id)))

    async def _give_up(self, gap: HistoryGap, token: str, why: str) -> None:
        """Stop asking for a hole the server will not give: kept as lost (a record
        exported later states it so), logged, and the user told."""
        account = self._account
        await account.db(account.archive.gap_given_up, gap.room_id, token)
        log.warning(
            "a hole in %s's history, open since %s, is given up (%s)",
            gap.room_id,
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(gap.noted_at)),
            why,
        )
        account.notify(Problem("history_gap_lost", await self._name(gap.room_id)))

    async def _name(self, room_id: str) -> str:
        """The room as the user knows it (its id only when the archive has no name)."""
        rooms = await self._account.db(self._account.archive.rooms)
        return next((r.name for r in rooms if r.room_id == room_id and r.name), room_id)
