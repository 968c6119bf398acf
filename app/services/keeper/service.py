"""The records keeper's loop: join what it is invited to, archive every room in the
server's order, never skip and never double.

A room the keeper left (kicked, or left while it was down) is back-filled once more up
to its own leave before it is let go: the server serves a left room's history, and what
was said since the cursor (and the leave itself) would otherwise never reach the record.
Which rooms count as left, the sync token held meanwhile and when a failing one is asked
again are ``leaving``'s. A room the server refuses outright (403: banned, forgotten) is
noted as a hole in the record at once; any other failure of a left room is retried on
the room's own back-off until its patience is spent, and only then is a hole.

Sync only wakes the keeper (which rooms moved, which invitations came, which room keys
arrived); the record is read with forward ``/messages`` pages from the token
after the last archived event, each page written together with its next token in one
transaction. So a restart (even SIGKILL) resumes exactly where the database says, and a
database that is down only pauses the keeper: it waits, then fetches the same page again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from app.core.errors import ConnectionLost, LoginFailed, SendFailed, SendProblem
from app.core.records import RoomEvent
from app.matrix import MatrixClient, SyncBatch
from app.services.backoff import Backoff
from app.services.keeper.leaving import (
    LEFT_PATIENCE,
    Leave,
    LeftRooms,
    departures,
    ends_stay,
    own_part,
)
from app.services.sessions import SessionError
from app.store import StoreError
from app.store.keeper import KeeperArchive

log = logging.getLogger(__name__)
T = TypeVar("T")
PAGE = 500  # events per /messages page (Synapse caps a page at 1000)
SYNC_TIMEOUT_MS = 30_000
REDECRYPT_BATCH = 1000


class Keeper:
    """One keeper account and its archive; ``run`` until ``stop`` is set.

    ``left_patience``: seconds a room the keeper left may keep failing (no page archived)
    before what it holds is given up as a hole (``leaving.LEFT_PATIENCE``, a day)."""

    def __init__(
        self,
        client: MatrixClient,
        archive: KeeperArchive,
        page: int = PAGE,
        left_patience: float = LEFT_PATIENCE,
    ) -> None:
        self.client = client
        self.archive = archive
        self._page = page
        self._db_wait = Backoff(first=0.5, ceiling=10.0)
        self._net_wait = Backoff(first=0.5, ceiling=15.0)
        self._left = LeftRooms(left_patience)

    async def run(self, stop: asyncio.Event) -> None:
        """Sync, join, back-fill, repeat; network and database trouble only make it wait,
        and no failure ends the loop but a lost login (SessionError, for a person)."""
        since = await self._db(self.archive.sync_token)
        pending: set[str] = set()  # rooms whose back-fill has not reached the end yet
        first = True
        while not stop.is_set():
            try:
                batch = await self.client.sync(since, self._wait_ms(first, pending), first)
                await self.client.housekeeping()
            except ConnectionLost as exc:
                await self._pause(stop, self._net_wait, f"the homeserver is unreachable: {exc}")
                continue
            except LoginFailed as exc:  # signed out elsewhere: only a person can fix that
                raise SessionError(
                    f"the keeper's login no longer works ({exc.problem.value}): sign it in "
                    "again with `oor keeper login`"
                ) from exc
            except Exception:  # a batch nio could not take: the client prepares the retry
                log.exception("sync step failed")
                await self._pause(stop, self._net_wait, "the sync step failed")
                continue
            self._net_wait.reset()
            joined = await self._join(batch.invites)
            self._left.ours_again({room.room_id for room in batch.rooms} | joined)
            pending |= {room.room_id for room in batch.rooms}
            pending |= await self._leaving(batch, since)
            for room_id in sorted(pending):
                if self._left.due(room_id) and await self._backfill(room_id):
                    pending.discard(room_id)
                    self._left.done(room_id)
            if batch.keys_arrived or first:
                await self._redecrypt()
            token = self._left.token_to_save(batch.next_batch)
            await self._db(self.archive.save_rooms, batch.rooms, token)
            since, first = batch.next_batch, False

    def _wait_ms(self, first: bool, pending: set[str]) -> int:
        """How long the next sync may wait for news: not at all while a room is due (or
        on the first), else until the next left room is due, at most ``SYNC_TIMEOUT_MS``."""
        if first or any(self._left.due(room_id) for room_id in pending):
            return 0
        due_in = self._left.seconds_to_next()
        return SYNC_TIMEOUT_MS if due_in is None else min(SYNC_TIMEOUT_MS, int(due_in * 1000))

    async def _leaving(self, batch: SyncBatch, since: str | None) -> set[str]:
        """The rooms the batch says the keeper left that it was in (its leave was from
        ``join``, or it has archived some of the room): each to be back-filled up to its
        leave, ``since`` held meanwhile. A withdrawn invitation is not the keeper's."""
        leaving: set[str] = set()
        for room_id, left in departures(batch.events, batch.left, self.client.user_id).items():
            if left.was_joined or await self._db(self.archive.cursor, room_id) is not None:
                self._left.told(room_id, since, left.event_id)
                leaving.add(room_id)
            else:
                log.info("the invitation to %s went away before it was accepted", room_id)
        return leaving

    async def _join(self, invitations: list[Any]) -> set[str]:
        """Accept every invitation: convene invites the keeper only where it belongs, and
        its seat in the roster tells everyone it is there. The rooms joined."""
        joined: set[str] = set()
        for invitation in invitations:
            try:
                await self.client.join(invitation.room_id)
                log.info("joined %s (invited by %s)", invitation.room_id, invitation.inviter)
                joined.add(invitation.room_id)
            except SendFailed as exc:
                log.warning("could not join %s: %s", invitation.room_id, exc.detail)
        return joined

    async def _backfill(self, room_id: str) -> bool:
        """Archive the room's events after the last archived one, page by page in the
        server's order, keeping only what the keeper was in the room for (``own_part``);
        True once the server has nothing newer (or will not serve it), or a room it left
        is read up to the leave the sync reported: what follows is not its to keep. A
        room it is in again is paged on past the stretch it was out for, to its rejoin."""
        leave = self._left.get(room_id)
        user_id = self.client.user_id
        last = await self._db(self.archive.last_member_event, room_id, user_id)
        inside = last is None or not ends_stay(last, user_id)
        if leave is not None and not inside and await self._leave_archived(leave):
            return True  # cut there already, while the room still looked ours
        token = await self._db(self.archive.cursor, room_id)
        while True:
            try:
                events, after = await self.client.history_after(room_id, token, self._page)
            except SendFailed as exc:
                return await self._failed(room_id, token, exc)
            if not events and after == token:
                return True
            kept, inside = own_part(events, user_id, inside)
            try:
                await asyncio.to_thread(self.archive.save_page, room_id, kept, after)
            except StoreError as exc:
                # The next pass starts from the cursor the database holds, not from ours:
                # a database that lost its last commits (or came back from a backup) is
                # filled again from where it really stands.
                await self._db_trouble(exc)
                return False
            self._db_wait.reset()
            self._left.moved(room_id)
            if leave is not None and not inside and _reaches(events, leave):
                return True
            token = after

    async def _leave_archived(self, leave: Leave) -> bool:
        """Whether the leave the sync reported is in the record already."""
        if leave.event_id is None:
            return False
        return bool(await self._db(self.archive.events_by_id, [leave.event_id]))

    async def _failed(self, room_id: str, token: str | None, exc: SendFailed) -> bool:
        """A page failed: True when the room is done with (a hole noted, or a room still
        ours that waits for its next move), False to ask again."""
        if room_id in self._left:
            if exc.errcode == "M_FORBIDDEN":  # banned, forgotten: no longer ours, for good
                await self._lost(room_id, token, exc.detail)
                return True
            delay = self._left.failed(room_id)
            if delay is None:
                patience = f"{self._left.patience:.0f} s"
                await self._lost(room_id, token, f"failing for {patience}, the last: {exc.detail}")
                return True
            # Not slept here: the loop syncs and serves the other rooms until it is due.
            log.warning("back-fill of %s stopped (%s); retry in %.1f s", room_id, exc, delay)
            return False
        if exc.problem is SendProblem.REFUSED:
            # Not a hole: a room still ours (a lost login, which the next sync reports;
            # an answer nio cannot read) resumes from its cursor when it next moves, and
            # nothing is noted that a later fill would not close.
            log.warning("the server refuses the history of %s: %s", room_id, exc.detail)
            return True
        delay = self._net_wait.next_delay()
        log.warning("back-fill of %s stopped (%s); retry in %.1f s", room_id, exc, delay)
        await asyncio.sleep(delay)
        return False

    async def _lost(self, room_id: str, token: str | None, detail: str) -> None:
        """What lies after ``token`` is lost to the record: said in the log and kept as a
        hole of the room in the archive (``history_gaps``; "" for the room's start), so
        it stays known after the log is gone. Asking again would only fail again."""
        log.warning(
            "the history of %s after %s cannot be read; a gap in the record: %s",
            room_id, token or "its start", detail,
        )  # fmt: skip
        await self._db(self.archive.note_gap, room_id, token or "")

    async def _redecrypt(self) -> None:
        """Room keys came: open what was archived before its key, in the same rows."""
        locked = await self._db(self.archive.undecrypted, None, REDECRYPT_BATCH)
        opened = self.client.redecrypt(locked)
        if opened:
            await self._db(self.archive.update_decrypted, opened)

    async def _db(self, call: Callable[..., T], *args: Any) -> T:
        """A store call on a worker thread; while the database is down, wait and retry
        the same call (nothing is lost: the page is written whole or not at all)."""
        while True:
            try:
                result = await asyncio.to_thread(call, *args)
            except StoreError as exc:
                await self._db_trouble(exc)
                continue
            self._db_wait.reset()
            return result

    async def _db_trouble(self, exc: StoreError) -> None:
        delay = self._db_wait.next_delay()
        log.warning("the records database is unavailable (%s); retry in %.1f s", exc, delay)
        await asyncio.sleep(delay)

    @staticmethod
    async def _pause(stop: asyncio.Event, backoff: Backoff, why: str) -> None:
        delay = backoff.next_delay()
        log.warning("%s; retry in %.1f s", why, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)


def _reaches(events: list[RoomEvent], leave: Leave) -> bool:
    """Whether the page holds the leave the sync reported (any page does when none was:
    the screen took it out), so no stay of the keeper's can follow it."""
    return leave.event_id is None or any(e.event_id == leave.event_id for e in events)
