"""Reading a room's past as a MatrixClient does it (a mixin: it uses the client's nio
instance): pages back for scroll-back and for the holes a cut-short sync left, and
pages forward for the records keeper. Kept apart from the client so each stays readable."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from typing import Any, NamedTuple

from nio import Event, MessageDirection, RoomContextResponse, RoomMessagesResponse

from app.core.errors import SendFailed, SendProblem
from app.core.records import EventStatus, RoomEvent
from app.core.sync_problems import SyncProblem
from app.matrix.calls import checked
from app.matrix.crypto.identities import Identities
from app.matrix.decode import to_record
from app.matrix.nio_client import NioClient, ScreenedPage
from app.matrix.screened_sync import room_traces
from app.matrix.sync_screen import refused, why

log = logging.getLogger(__name__)


class History:
    """Pages of a room's timeline, oldest first, decrypted where keys allow."""

    _nio: NioClient
    identities: Identities
    _checked = staticmethod(checked)

    def _record(self, event: Event, room_id: str) -> RoomEvent:
        """The archive's record of an event, with the ciphertext it came as (if any)."""
        source = self._nio.ciphertexts.pop(getattr(event, "event_id", ""), None)
        return to_record(event, room_id, source or event.source)

    async def token_before(self, room_id: str, event_id: str) -> str | None:
        """A pagination token just before an event (None if the server does not know it)."""
        # limit=1: no events before it (Synapse splits the limit half before, half after,
        # and reads 0 as its default of 10, whose token would skip the five before).
        resp = await self._checked(self._nio.room_context(room_id, event_id, limit=1))
        assert isinstance(resp, RoomContextResponse)
        return resp.start or None

    async def history(
        self, room_id: str, token: str, limit: int = 100
    ) -> tuple[list[RoomEvent], str | None]:
        """One page of older events before ``token``, oldest first, decrypted where keys
        allow; with the token of the page before it, or None at the room's beginning.
        A page whose every entry was taken out (no id to make a row of) is not the
        beginning: the next page is still fetched, from a token that moved on."""
        page = await self._messages(room_id, token, MessageDirection.back, limit)
        events = page.rows[::-1]
        await self.identities.prepare(events)
        more = bool(page.sent_any and page.end and page.end != token)
        return events, page.end if more else None

    async def history_after(
        self, room_id: str, token: str | None, limit: int = 100
    ) -> tuple[list[RoomEvent], str | None]:
        """One page of the events after ``token`` (from the room's first event when None),
        oldest first, decrypted where keys allow; with the token the next page follows
        from. The server gives no new token once nothing is newer: then it is ``token``."""
        page = await self._messages(room_id, token, MessageDirection.front, limit)
        return page.rows, page.end or token

    async def _messages(
        self, room_id: str, token: str | None, direction: MessageDirection, limit: int
    ) -> _Page:
        """One /messages answer as rows in the server's order, a malformed row in its
        own place for each event taken out of it.

        An answer nio fails on (e.g. a member event whose ``unsigned.prev_content`` is a
        number; the server's fault) is fetched once more at once and screened event by
        event, as a failed sync answer is: the readable events go through, each other
        one is a malformed row of its room (and the log says why). Only if nio fails on
        the screened page too is it refused like an error reply: the caller keeps what
        it has and says so, no traceback escapes."""
        try:
            request = self._nio.room_messages(room_id, token, direction=direction, limit=limit)
            resp = await self._page(request)
        except _Unreadable as exc:
            log.warning("nio failed on a page of %s's history (%s): fetched again", room_id, exc)
        else:
            rows = _one_each([self._record(e, room_id) for e in resp.chunk])
            return _Page(rows, resp.end, bool(resp.chunk))
        problems: list[SyncProblem] = []
        screened = self._nio.screened_room_messages(room_id, token, direction, limit, problems)
        try:
            resp = await self._page(screened)
        except _Unreadable as exc:
            raise SendFailed(SendProblem.REFUSED, f"unreadable answer ({exc})"[:300]) from exc
        assert isinstance(resp, ScreenedPage)
        rows = [*(self._record(e, room_id) for e in resp.chunk), *room_traces(problems)]
        return _Page(_in_order(_one_each(rows), resp.order), resp.end, bool(resp.chunk or problems))

    async def _page(self, request: Awaitable[Any]) -> RoomMessagesResponse:
        """nio's page; ``_Unreadable`` if nio failed on an answer the server sent as a
        success (raising, or its schema refusing it), ``SendFailed`` as for any call."""
        try:
            resp = await self._checked(_unrefused(request))
        except (SendFailed, _Unreadable):
            raise
        except Exception as exc:  # whatever nio's parser raises on the answer
            log.debug("nio's failure on a history page", exc_info=True)
            raise _Unreadable(why(exc)) from exc
        assert isinstance(resp, RoomMessagesResponse)
        return resp


class _Page(NamedTuple):
    """A page of a room's history as the archive takes it."""

    rows: list[RoomEvent]  # in the server's order (newest first for a page back)
    end: str | None  # where the next page starts, if the server says
    sent_any: bool  # the server's chunk held anything, readable or taken out


def _one_each(rows: list[RoomEvent]) -> list[RoomEvent]:
    """One row per event id, a readable copy before a malformed one (a server can send
    a broken copy of an event beside it; the archive keeps the first row of an id, and
    a page back is reversed: without this, the copy's place decided which was kept)."""
    kept: dict[str, RoomEvent] = {}
    for row in rows:
        first = kept.get(row.event_id)
        if first is None or (
            first.status is EventStatus.MALFORMED and row.status is not EventStatus.MALFORMED
        ):
            kept[row.event_id] = row
    return list(kept.values())


def _in_order(rows: list[RoomEvent], order: Sequence[str]) -> list[RoomEvent]:
    """``rows`` in the order their events came in (``order``, event ids as sent): the
    malformed rows of events taken out go back between the readable ones."""
    place: dict[str, int] = {}
    for at, event_id in enumerate(order):
        place.setdefault(event_id, at)
    return sorted(rows, key=lambda row: place.get(row.event_id, len(order)))


class _Unreadable(Exception):
    """nio failed on a history page the server sent as a success."""


async def _unrefused(request: Awaitable[Any]) -> Any:
    """nio's answer to ``request``; ``_Unreadable`` if nio's schema turned a success the
    server sent into an error response (a real error reply goes on to ``checked``)."""
    resp = await request
    if refused(resp):
        raise _Unreadable(f"nio's schema refuses it: {resp.message}")
    return resp
