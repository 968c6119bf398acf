"""The rooms' authority state as archived, kept so the event loop can judge a batch.

Why: an instruction, an acknowledgement, a "received" are custom types; before anything
shows one, its sender's power level (and delegation) is checked against the room's state
(``authority.RoomAuthority``). That state was read from the archive on the store thread
for every such batch: a hand-over to that thread, a query, a hand-over back, some 10-20
ms of a 100 ms acknowledgement on a busy machine (docs/performance.md, session 9), while
the batch's own write waited behind nothing of it.

Why a copy cannot be stale: the archive's current state (``room_state``) changes only when
a sync batch's state events are written (``Ingest._track_state``; history pages never
touch it), and sync steps run one after another, each awaiting its write. So the state
read for a room stays the archive's own until a batch brings state for that room; after
each such write (failed or not) the room's copy is dropped first and read again. A batch
that carries state itself is judged on the store thread, event by event, as before.

Threads: ``read`` and ``refresh`` run on the store thread (SQL); ``known`` runs on the
event loop between sync steps. Entries are replaced whole (one dict operation each), so
the loop sees a room's old copy or its new one, never half of one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from app.core.records import RoomEvent
from app.services.authority import AUTH_TYPES
from app.store import Archive


class AuthorityState:
    """Per room, the archived state events that ``RoomAuthority`` judges by."""

    def __init__(self) -> None:
        self._rooms: dict[str, tuple[RoomEvent, ...]] = {}

    def read(self, archive: Archive, room_ids: Sequence[str]) -> list[RoomEvent]:
        """The state of these rooms, from the copy or the archive (store thread)."""
        missing = [room_id for room_id in dict.fromkeys(room_ids) if room_id not in self._rooms]
        if missing:
            found: dict[str, list[RoomEvent]] = {room_id: [] for room_id in missing}
            for event in archive.state(missing, AUTH_TYPES):
                found[event.room_id].append(event)
            for room_id, events in found.items():
                self._rooms[room_id] = tuple(events)
        return [event for room_id in dict.fromkeys(room_ids) for event in self._rooms[room_id]]

    def known(self, room_ids: Collection[str]) -> list[RoomEvent] | None:
        """The state of these rooms if every one is copied, else None (event loop)."""
        copies = [self._rooms.get(room_id) for room_id in room_ids]
        if any(copy is None for copy in copies):
            return None
        return [event for copy in copies if copy is not None for event in copy]

    def refresh(self, archive: Archive, room_ids: Collection[str]) -> None:
        """A write may have changed these rooms' state: drop their copies, then read those
        again (store thread). Dropped first, so a failed read leaves no stale copy."""
        stale = [room_id for room_id in room_ids if room_id in self._rooms]
        for room_id in stale:
            del self._rooms[room_id]
        if stale:
            self.read(archive, stale)
