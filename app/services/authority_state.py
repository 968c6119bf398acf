"""The rooms' authority state as archived, kept so the event loop can judge a batch.

Why: an instruction, an acknowledgement, a "received" are custom types; before anything
shows one, its sender's power level (and delegation) is checked against the room's state
(``authority.RoomAuthority``). That state was read from the archive on the store thread
for every such batch: a hand-over to that thread, a query, a hand-over back; from the
sync answer to the capital's board 12-16 ms of an acknowledgement's ~100 ms, against
5-9 ms judged on the loop (docs/performance.md, "Session 9: instruction ack leg").

Why a copy cannot be stale: the app's archive's current state (``room_state``) changes
only when a sync batch's state events are written (``Ingest._track_state``, called by
``save_sync_batch``, whose one caller is ``Arrivals.archive_batch``; history pages never
touch it; the records keeper's own archive is another file, without this copy), and sync
steps run one after another, each awaiting its write; one process holds a data dir
(``instance_lock``). So the state read for a room stays the archive's own until a batch
brings state for that room; after each such write (failed or not) the room's copy is
dropped, then read again. A batch that carries state itself is judged on the store
thread, event by event, as before.

Threads: ``read``, ``drop`` and ``reread`` run on the store thread (SQL); ``known`` runs
on the event loop between sync steps. Entries are replaced whole (one dict operation each), so
the loop sees a room's old copy or its new one, never half of one.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from app.core.records import RoomEvent
from app.services.authority import AUTH_TYPES
from app.store import Archive, StoreError

log = logging.getLogger(__name__)


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

    def drop(self, room_ids: Collection[str]) -> list[str]:
        """A write may have changed these rooms' state: forget their copies (store thread;
        cannot fail, so it runs whether the write did or not). Returns the rooms that had
        one, to copy again (``reread``); the others are read when first judged."""
        return [room_id for room_id in room_ids if self._rooms.pop(room_id, None) is not None]

    def reread(self, archive: Archive, room_ids: Collection[str]) -> None:
        """Copy these rooms' state again after a write, so the next batch is judged on the
        loop too (store thread). A failed read is only logged: the batch is archived, and
        a room without a copy is judged on the store thread, which reads it then."""
        try:
            self.read(archive, list(room_ids))
        except StoreError:
            log.warning("could not copy the rooms' state after a write", exc_info=True)
