"""Who shares which rooms with us, as the archive's membership state says.

Read in full once, at the first trust review; after that only the rooms a batch brought
membership events for are read again. At a ministry's scale (hundreds of rooms) a full
read after every sync would queue on the store thread ahead of the next batch's write,
for rooms where nobody came or went.

Why one read at a time (``SharedRooms.read`` holds a lock): the rooms are read
``ROOMS_PER_READ`` per store call, and a review runs from the trust watch and from the
user's commands (acknowledging an identity, signing). Two reads at once let a later one
read a room after someone joined and finish first, and the earlier one then put back its
older copy of that room, no longer marked as moved: the newcomer stayed out of the
people (no trust state, no identity warning) until the room changed again. And two
first reads both read every room. Waiting, the later read finds the rooms read and reads
only those that moved meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from app.services.outbox_worker import StoreCall

if TYPE_CHECKING:
    from app.store import Archive

MEMBER = "m.room.member"
ROOMS_PER_READ = 25  # a room opened meanwhile waits for one such read (~10-30 ms), not all


class SharedRooms:
    """The people of our rooms, with the rooms each shares with us (read on ``db``)."""

    def __init__(self, archive: Archive, db: StoreCall) -> None:
        self._archive = archive
        self._db = db
        self._lock = asyncio.Lock()  # one read at a time (module docstring)
        self._joined: dict[str, frozenset[str]] | None = None  # room -> joined, as last read
        self._moved: set[str] = set()  # rooms with membership events since that read
        self._shared: dict[str, tuple[str, ...]] = {}  # user -> rooms, from _joined

    def moved(self, rooms: Iterable[str]) -> None:
        """Someone came or went in these rooms: the next read reads them again."""
        self._moved.update(rooms)

    async def read(self) -> dict[str, tuple[str, ...]]:
        """Who shares which rooms with us: every room read at the first call, then only
        the rooms that moved (nothing read, nothing recounted, when none did).

        Read ``ROOMS_PER_READ`` rooms per store call: the first read comes with the
        first sync after a restart, and read whole at 400 rooms it held the store thread
        for 0.35-0.8 s, with the room the user had just clicked waiting behind it."""
        async with self._lock:
            moved, self._moved = self._moved, set()
            if self._joined is not None and not moved:
                return self._shared
            try:
                first = self._joined is None
                rooms = await self._db(_rooms, self._archive) if first else sorted(moved)
                read: dict[str, frozenset[str]] = {}
                for start in range(0, len(rooms), ROOMS_PER_READ):
                    part = rooms[start : start + ROOMS_PER_READ]
                    read |= await self._db(_joined_members, self._archive, part)
            except BaseException:
                self._moved |= moved  # read again at the next review
                raise
            self._joined = {**(self._joined or {}), **read}
            self._shared = _who_shares(self._joined)
            return self._shared


def _rooms(archive: Archive) -> list[str]:
    """Every room the archive knows (store thread)."""
    return [room.room_id for room in archive.rooms()]


def _joined_members(archive: Archive, rooms: Sequence[str]) -> dict[str, frozenset[str]]:
    """Everyone joined to each of these rooms, as the archive's state says (store thread)."""
    joined: dict[str, set[str]] = {room_id: set() for room_id in rooms}
    for e in archive.state(list(rooms), (MEMBER,)):
        if e.state_key and e.content.get("membership") == "join":
            joined[e.room_id].add(e.state_key)
    return {room_id: frozenset(users) for room_id, users in joined.items()}


def _who_shares(joined: Mapping[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """Everyone joined to a room we are in, with those rooms, sorted."""
    shared: dict[str, list[str]] = {}
    for room_id in sorted(joined):
        for user in joined[room_id]:
            shared.setdefault(user, []).append(room_id)
    return {user: tuple(rooms) for user, rooms in shared.items()}
