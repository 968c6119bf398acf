"""The records keeper's loop: join what it is invited to, archive every room in the
server's order, never skip and never double.

A room the keeper left (kicked, or left while it was down) is back-filled once more before
it is let go: the server serves a left room's history up to our leaving, and what was said
since the cursor (and the leave itself) would otherwise never reach the record. A room the
server refuses to serve (banned, forgotten) is noted as a hole in the record, not retried.

Sync only wakes the keeper (which rooms moved, which invitations came, which room keys
arrived); the record itself is read with forward ``/messages`` pages from the token
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
from app.matrix import MatrixClient
from app.services.backoff import Backoff
from app.services.sessions import SessionError
from app.store import StoreError
from app.store.keeper import KeeperArchive

log = logging.getLogger(__name__)
T = TypeVar("T")
PAGE = 500  # events per /messages page (Synapse caps a page at 1000)
SYNC_TIMEOUT_MS = 30_000
REDECRYPT_BATCH = 1000
LEFT_TRIES = 10  # failed pages of a room the keeper left, in a row, before it is a hole


class Keeper:
    """One keeper account and its archive; ``run`` until ``stop`` is set."""

    def __init__(self, client: MatrixClient, archive: KeeperArchive, page: int = PAGE) -> None:
        self.client = client
        self.archive = archive
        self._page = page
        self._db_wait = Backoff(first=0.5, ceiling=10.0)
        self._net_wait = Backoff(first=0.5, ceiling=15.0)
        # A room the keeper left is asked again and again while it is pending; its own
        # back-off (a successful sync does not reset it) and tries bound that.
        self._left_wait = Backoff(first=0.5, ceiling=10.0)
        self._left_tries: dict[str, int] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Sync, join, back-fill, repeat; network and database trouble only make it wait,
        and no failure ends the loop but a lost login (SessionError, for a person)."""
        since = await self._db(self.archive.sync_token)
        pending: set[str] = set()  # rooms whose back-fill has not reached the end yet
        # Those of them the keeper left (their last back-fill), each with the sync token
        # from before the batch that said so: saved in place of the newer ones until the
        # room is done, so a restart meanwhile is told of the leave again, not never.
        leaving: dict[str, str | None] = {}
        first = True
        while not stop.is_set():
            try:
                wait_ms = 0 if first or pending else SYNC_TIMEOUT_MS  # unfinished rooms: soon
                batch = await self.client.sync(since, wait_ms, first)
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
            await self._join(batch.invites)
            pending |= {room.room_id for room in batch.rooms} | set(batch.left)
            ours = {room.room_id for room in batch.rooms} | {i.room_id for i in batch.invites}
            for room_id in batch.left:
                leaving.setdefault(room_id, since)
            for room_id in ours:  # left, then let back in: ours again
                leaving.pop(room_id, None)
            for room_id in sorted(pending):
                if await self._backfill(room_id, room_id in leaving):
                    pending.discard(room_id)
                    leaving.pop(room_id, None)
            if batch.keys_arrived or first:
                await self._redecrypt()
            held = next(iter(leaving.values()), None)  # the oldest unfinished leave's
            await self._db(self.archive.save_rooms, batch.rooms, held or batch.next_batch)
            since, first = batch.next_batch, False

    async def _join(self, invitations: list[Any]) -> None:
        """Accept every invitation: convene invites the keeper only where it belongs, and
        its seat in the roster tells everyone it is there."""
        for invitation in invitations:
            try:
                await self.client.join(invitation.room_id)
                log.info("joined %s (invited by %s)", invitation.room_id, invitation.inviter)
            except SendFailed as exc:
                log.warning("could not join %s: %s", invitation.room_id, exc.detail)

    async def _backfill(self, room_id: str, left: bool) -> bool:
        """Archive the room's events after the last archived one, page by page in the
        server's order; True once the server has nothing newer (or will not serve it)."""
        token = await self._db(self.archive.cursor, room_id)
        while True:
            try:
                events, after = await self.client.history_after(room_id, token, self._page)
            except SendFailed as exc:
                if left and _forbidden(exc):  # banned: no longer ours to read, for good
                    await self._lost(room_id, token, exc.detail)
                    return True
                if exc.problem is SendProblem.REFUSED:
                    # Not a hole: a room still ours (a lost login, which the next sync
                    # reports; an answer nio cannot read) resumes from its cursor when it
                    # next moves, and nothing is noted that a later fill would not close.
                    log.warning("the server refuses the history of %s: %s", room_id, exc.detail)
                    return True
                if left:
                    return await self._left_failed(room_id, token, exc)
                delay = self._net_wait.next_delay()
                log.warning("back-fill of %s stopped (%s); retry in %.1f s", room_id, exc, delay)
                await asyncio.sleep(delay)
                return False
            if not events and after == token:
                return True
            leave = _our_leave(events, self.client.user_id) if left else None
            if leave is not None:
                # Paging forward, the server serves a departed member what came after its
                # leave too (a `shared` room): others' later messages, never meant for the
                # record (nor decryptable). The record ends with the leave; the cursor
                # stays before the page, so a keeper let back in reads on from there.
                events, after = events[: leave + 1], token
            try:
                await asyncio.to_thread(self.archive.save_page, room_id, events, after)
            except StoreError as exc:
                # The next pass starts from the cursor the database holds, not from ours:
                # a database that lost its last commits (or came back from a backup) is
                # filled again from where it really stands.
                await self._db_trouble(exc)
                return False
            self._db_wait.reset()
            if left and self._left_tries.pop(room_id, None):  # it moved on: not stuck
                self._left_wait.reset()
            if leave is not None:
                return True
            token = after

    async def _left_failed(self, room_id: str, token: str | None, exc: SendFailed) -> bool:
        """A page of a room the keeper left failed: wait and let the loop ask again, or
        after ``LEFT_TRIES`` in a row give it up as a hole; True once given up. (Nothing
        else would end it: the room never moves again, and each sync ends in a retry.)"""
        tries = self._left_tries[room_id] = self._left_tries.get(room_id, 0) + 1
        if tries >= LEFT_TRIES:
            del self._left_tries[room_id]
            await self._lost(room_id, token, f"{tries} tries failed, the last: {exc.detail}")
            return True
        delay = self._left_wait.next_delay()
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


def _our_leave(events: list[RoomEvent], user_id: str) -> int | None:
    """Where in the page the keeper left or was removed (its own leave or ban), if it
    did; the first such, since the room was ours until then."""
    for at, event in enumerate(events):
        mine = event.type == "m.room.member" and event.state_key == user_id
        if mine and event.content.get("membership") in ("leave", "ban"):
            return at
    return None


def _forbidden(exc: SendFailed) -> bool:
    """The server's definite no (403 M_FORBIDDEN: banned, or the room forgotten), told
    apart from other refusals by the error code ``checked`` puts first in the detail."""
    return exc.problem is SendProblem.REFUSED and exc.detail.startswith("M_FORBIDDEN:")
