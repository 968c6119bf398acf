"""Witnessed records: publish signed seals of our record, compare the seals of others.

Why: a homeserver that drops or alters events for some members leaves each of them a
chain that is internally sound. Only comparing records across members shows it, so each
client publishes, per encrypted room, what its record holds (``core/seals``), and checks
every seal it receives against its own record of the same span.

- **Publishing**: each seal covers the events after our previous seal's span, up to the
  newest archived; a room is sealed once ``every`` events (seals not counted) have
  arrived since, or when at least one has and ``interval`` seconds have passed, and on
  demand (``seal``). The seal goes through the outbox like any event.
- **Judging** a seal from another device: a signature that does not hold makes it
  FORGED (kept, ignored); a span we hold whose (count, head) differs from the seal's is
  noted on the seal event and announced (``RecordsDiffer``); a span we do not hold both
  ends of yet is judged again as events arrive.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.records import EventStatus, RoomEvent
from app.core.seals import (
    NOTE_DIFFERS,
    SEAL,
    Seal,
    SealVerdict,
    judge,
    read_seal,
    sealed_content,
    signature_holds,
    span_head,
)
from app.services.notices import EventsArrived, RecordsDiffer

if TYPE_CHECKING:
    from app.services.account import AccountService

SEAL_EVERY = 500  # events since the last seal that call for a new one
SEAL_INTERVAL = 600.0  # seconds after which any new event calls for a new seal
MAX_PENDING = 100  # seals waiting for an end of their span, judged again as events arrive


class Seals:
    """The account's seals feature (``Backend.use("seals", ...)``)."""

    def __init__(
        self, account: AccountService, every: int = SEAL_EVERY, interval: float = SEAL_INTERVAL
    ) -> None:
        self._account = account
        self._every = every
        self._interval = interval
        self._sealed: dict[str, str | None] = {}  # room -> end of our newest seal, once read
        self._sealed_at: dict[str, float] = {}  # room -> monotonic time of that seal
        self._unsealed: dict[str, int] = {}  # room -> events (not seals) since
        self._pending: dict[str, RoomEvent] = {}  # seals whose span we do not hold yet
        self._started = time.monotonic()  # a room not sealed this run counts from here

    async def start(self) -> None:
        """Nothing to read up front: where our previous seal of a room ended is looked up
        when that room is first sealed, so the start of the app never pays for it."""

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        seals = [e for e in fresh if e.type == SEAL and e.status is EventStatus.OK]
        for event in [*self._pending.values(), *seals]:
            if not self._is_ours(event):
                await self._judge(event)
        for event in fresh:
            if event.type != SEAL:
                self._unsealed[event.room_id] = self._unsealed.get(event.room_id, 0) + 1
        for room_id in [r for r in self._unsealed if self._due(r)]:
            await self.seal(room_id)

    async def seal(self, room_id: str) -> Seal | None:
        """Seal our record of the room since our previous seal, now; None when there is
        nothing new, or the room is not encrypted (a seal is never sent in the clear)."""
        account = self._account
        rooms = {r.room_id: r for r in await account.db(account.archive.rooms)}
        if room_id not in rooms or not rooms[room_id].encrypted:
            return None
        if room_id not in self._sealed:
            self._sealed[room_id] = await self._previous_seal_end(room_id)
        previous = self._sealed[room_id]
        first = (
            await account.db(account.archive.event_after, room_id, previous) if previous else None
        )
        if previous and first is None:
            return None  # nothing archived since
        sources = await account.db(account.archive.span_sources, room_id, first)
        if not sources:
            return None
        count, head = span_head(sources)
        client = account.client
        seal = Seal(
            room_id,
            str(sources[0]["event_id"]),
            str(sources[-1]["event_id"]),
            count,
            head,
            client.creds.device_id,
        )
        await account.send(room_id, SEAL, sealed_content(seal, account.user_id, client.sign))
        self._sealed[room_id] = seal.last_event_id
        self._sealed_at[room_id] = time.monotonic()
        self._unsealed[room_id] = 0
        return seal

    async def seal_all(self, room_ids: Sequence[str]) -> list[Seal]:
        """Seal each of these rooms now (Session → Seal the record now): the seals sent."""
        sealed = [await self.seal(room_id) for room_id in room_ids]
        return [seal for seal in sealed if seal is not None]

    async def _previous_seal_end(self, room_id: str) -> str | None:
        """The last event id of our newest seal of the room in the archive, if any."""
        account = self._account
        seals = await account.db(account.archive.events_of_types, [room_id], [SEAL], False)
        ends = [e.content.get("last_event_id") for e in seals if self._is_ours(e)]
        return next((end for end in reversed(ends) if isinstance(end, str)), None)

    def _due(self, room_id: str) -> bool:
        waiting = self._unsealed.get(room_id, 0)
        since = time.monotonic() - self._sealed_at.get(room_id, self._started)
        return waiting >= self._every or (waiting > 0 and since >= self._interval)

    def _is_ours(self, event: RoomEvent) -> bool:
        client = self._account.client
        return (
            event.sender == client.user_id
            and event.content.get("device_id") == client.creds.device_id
        )

    async def _judge(self, event: RoomEvent) -> None:
        """Judge one seal from another device and record what was found."""
        account = self._account
        self._pending.pop(event.event_id, None)
        parsed = read_seal(event.content)
        if isinstance(parsed, str):
            await self._record(event, EventStatus.MALFORMED, parsed)
            return
        key = await account.client.device_signing_key(event.sender, parsed.device_id)
        if not signature_holds(event.content, event.sender, key):
            device = f"{event.sender}'s device {parsed.device_id}"
            why = f"the seal's signature does not verify with {device}"
            await self._record(event, EventStatus.FORGED, why)
            return
        sources = await account.db(
            account.archive.span_sources,
            event.room_id,
            parsed.first_event_id,
            parsed.last_event_id,
        )
        ours = span_head(sources) if sources is not None else None
        verdict = judge(parsed, event.room_id, ours)
        if verdict is SealVerdict.FORGED:
            await self._record(event, EventStatus.FORGED, "the seal names another room")
        elif verdict is SealVerdict.PENDING:
            self._pending[event.event_id] = event
            while len(self._pending) > MAX_PENDING:  # spans from before we joined never come
                del self._pending[next(iter(self._pending))]
        elif verdict is SealVerdict.DIFFERS and ours is not None:
            note = f"{NOTE_DIFFERS}{ours[0]}"
            await self._record(event, EventStatus.OK, note)
            account.notify(
                RecordsDiffer(
                    event.room_id,
                    event.sender,
                    parsed.device_id,
                    parsed.first_event_id,
                    parsed.last_event_id,
                    parsed.count,
                    ours[0],
                )
            )

    async def _record(self, event: RoomEvent, status: EventStatus, note: str) -> None:
        account = self._account
        changed = await account.db(account.archive.set_verdicts, {event.event_id: (status, note)})
        if changed:
            account.notify(EventsArrived(tuple(changed)))
