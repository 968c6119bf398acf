"""A first start's room list, painted from the first sync's raw answer before nio loads.

Why: a new device's list used to wait for nio and the backend to load (well over a
second of CPU), for nio to process the first sync and for the archive to store it,
though the answer itself (``app.matrix.sync_prefetch``) was in hand a few tenths of a
second after the start. Read by nio's own naming rules (``app.core.rooms``), it gives
the rows the backend announces a moment later, so the list is shown at once. What is
promised: each row the early list shows is named, flagged and ordered as the backend's
list will show it (held to a plain nio client on the same answers); rooms it cannot tell
for certain, invitations and a session's space and rooms are not in it and simply appear
when the backend lists them; an answer nio might read otherwise shows no list at all.
The rows shown first do not change; rows may be added. Only the list: nothing said in a
room is shown before it is archived (the room the window opens first is announced empty
and provisional, its history still to come); a room chosen meanwhile opens as at a
restart, once the account's archive is open (``LoggedIn``).

The look runs on the fetching thread, so it calls ``notify`` from there: the window's
notify is the bridge's, a Qt signal, which may be emitted from any thread and reaches
the UI thread queued, in the order emitted. The look ends at the backend's first step:
once the backend has taken over (``close``, called when it takes the preview's archive
or drops the login, before its first notice, or when its login check fails otherwise), a
late answer announces nothing, and the announcement holds the lock ``close`` waits for,
so no provisional list can come after anything the backend has said.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core.records import RoomSummary
from app.core.rooms.first_room import first_room
from app.services.early_list import announce_list
from app.services.notices import Notice, RoomLoaded

if TYPE_CHECKING:
    from app.matrix.sync_prefetch import Prefetched

log = logging.getLogger(__name__)

LARGEST = 16 * 1024 * 1024  # bytes; a larger answer waits for nio (reading it costs the UI)


class FirstList:
    """Announces the provisional list once, unless the backend has begun first."""

    def __init__(self, user_id: str, notify: Callable[[Notice], None]) -> None:
        self._user_id = user_id
        self._notify = notify
        self._lock = threading.Lock()
        self._open = True

    def look(self, answer: Prefetched) -> None:
        """The fetching thread's look at the answer (``sync_prefetch.prefetch``): the
        rooms announced if the answer is a JSON 200 that tells them for certain."""
        if not self._open or not answer.ok or answer.size > LARGEST:
            return  # the backend speaks already (checked again under the lock), or no list
        from app.core.rooms.first_sync import provisional_rooms

        try:
            body = answer.parsed()
        except (ValueError, RecursionError):  # nio meets it again, and reports
            return
        rooms = provisional_rooms(body, self._user_id)
        if rooms is None or first_room(rooms) is None:
            return
        with self._lock:
            if self._open:
                self._open = False
                self._announce(rooms)

    def _announce(self, rooms: tuple[RoomSummary, ...]) -> None:
        """The list, then the room the window opens first, as a restart's preview sends
        them (``announce_list``): no session in it, nothing archived yet, nothing queued.
        Opened, a room the user picks before the backend is ready is not taken back when
        the backend's list comes."""
        announce_list(self._notify, self._user_id, rooms, (), _not_archived_yet)
        log.info("first start: %d rooms listed from the first sync", len(rooms))

    def close(self) -> None:
        """The backend speaks from now on: a look still to come announces nothing."""
        with self._lock:
            self._open = False


def _not_archived_yet(room_id: str) -> RoomLoaded:
    """The first room as a first start opens it: empty and provisional, history to come."""
    return RoomLoaded(room_id, (), (), provisional=True)
