"""How a list painted before the backend is ready is announced: a restart's, from the
archive (``app.services.preview``), and a first start's, from its first sync's answer
(``app.services.first_list``).

Why one order for both: the window builds its workspace from these notices as the
backend would, and what it paints first must be what the backend's list shows a moment
later. ``Resuming`` first (it clears the workspace for the account); then each session's
roster, so that the list, when it comes, is placed under its sessions and named as they
name it: the window paints the first list at once, and a roster coming after it would
regroup rows already on screen. The room the window opens comes last, as filling its
timeline costs the UI thread more than the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.core.records import RoomSummary
from app.core.rooms.first_room import first_room
from app.services.notices import Notice, Resuming, RoomLoaded, RoomsChanged, RosterChanged


def announce_list(
    notify: Callable[[Notice], None],
    user_id: str,
    rooms: Sequence[RoomSummary],
    rosters: Sequence[RosterChanged],
    open_first: Callable[[str], RoomLoaded | None],
) -> None:
    """Announce ``rooms`` grouped by ``rosters``, then the room the window opens first as
    ``open_first`` reads it (None: nothing to say of it yet; the backend reads it again)."""
    notify(Resuming(user_id))
    for roster in rosters:
        notify(roster)
    notify(RoomsChanged(tuple(rooms)))
    if (first := first_room(rooms)) is not None and (loaded := open_first(first.room_id)):
        notify(loaded)
