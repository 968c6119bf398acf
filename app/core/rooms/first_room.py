"""The room a start opens first, one rule for every list that opens one.

Why one rule: a restart's preview, a first start's early list and the window each open
a room before the user has chosen one; if they chose differently, the room read ahead
would not be the one shown (it waited for the backend), or the selection would jump.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.records import RoomSummary


def first_room(rooms: Iterable[RoomSummary]) -> RoomSummary | None:
    """The room with the newest activity, as a person reopening the app expects, but
    not a space while there is another room (a space holds state only); between rooms
    equally recent, the first by id (``Archive.rooms``' order)."""
    rooms = list(rooms)
    talk = [room for room in rooms if not room.is_space] or rooms
    return min(talk, key=lambda room: (-room.last_ts, room.room_id), default=None)
