"""Reading a room's past as a MatrixClient does it (a mixin: it uses the client's nio
instance): the gaps a cut-short sync left, pages back for scroll-back and back-fill, and
pages forward for the records keeper. Kept apart from the client so each stays readable."""

from __future__ import annotations

import logging

from nio import Event, MessageDirection, RoomContextResponse, RoomMessagesResponse

from app.core.errors import SendFailed, SendProblem
from app.core.records import RoomEvent
from app.matrix.calls import checked
from app.matrix.crypto.identities import Identities
from app.matrix.decode import to_record
from app.matrix.nio_client import NioClient

log = logging.getLogger(__name__)


class History:
    """Pages of a room's timeline, oldest first, decrypted where keys allow."""

    _nio: NioClient
    identities: Identities
    gaps: dict[str, str]  # room id -> prev_batch of a cut-short timeline (set by sync)
    _checked = staticmethod(checked)

    def _record(self, event: Event, room_id: str) -> RoomEvent:
        """The archive's record of an event, with the ciphertext it came as (if any)."""
        source = self._nio.ciphertexts.pop(getattr(event, "event_id", ""), None)
        return to_record(event, room_id, source or event.source)

    def take_gaps(self) -> dict[str, str]:
        """Rooms whose last sync timeline was cut short (we were away), with the token the
        missing events are fetched back from; each gap is handed out once."""
        gaps, self.gaps = self.gaps, {}
        return gaps

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
        allow; with the token of the page before it, or None at the room's beginning."""
        resp = await self._messages(room_id, token, MessageDirection.back, limit)
        events = [self._record(e, room_id) for e in reversed(resp.chunk)]
        await self.identities.prepare(events)
        more = bool(resp.chunk and resp.end and resp.end != token)
        return events, resp.end if more else None

    async def history_after(
        self, room_id: str, token: str | None, limit: int = 100
    ) -> tuple[list[RoomEvent], str | None]:
        """One page of the events after ``token`` (from the room's first event when None),
        oldest first, decrypted where keys allow; with the token the next page follows
        from. The server gives no new token once nothing is newer: then it is ``token``."""
        resp = await self._messages(room_id, token, MessageDirection.front, limit)
        return [self._record(e, room_id) for e in resp.chunk], resp.end or token

    async def _messages(
        self, room_id: str, token: str | None, direction: MessageDirection, limit: int
    ) -> RoomMessagesResponse:
        """One /messages answer. One nio fails to parse (e.g. a member event whose
        ``unsigned.prev_content`` is a number) is the server's fault, refused like an
        error reply: the caller keeps what it has and says so, no traceback escapes."""
        try:
            resp = await self._checked(
                self._nio.room_messages(room_id, token, direction=direction, limit=limit)
            )
        except SendFailed:
            raise
        except Exception as exc:  # whatever nio's parser raises on the answer
            log.warning("nio failed on a page of %s's history", room_id, exc_info=True)
            why = f"unreadable answer ({type(exc).__name__}: {exc})"
            raise SendFailed(SendProblem.REFUSED, why[:300]) from exc
        assert isinstance(resp, RoomMessagesResponse)
        return resp
