"""Session rosters rebuilt from the archived state of a space and its rooms.

Runs on the store thread (``AccountService.db``): the archive is the record, so a roster
is read back from it whenever a session's roles, members, rooms or encrypted details
change, never kept past a write that could make it disagree (``SessionRosters``).
Shared by the account (which announces them) and the features that follow a session,
so it sits beside them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from app.core import roles
from app.core.records import EventStatus, RoomEvent
from app.core.session import (
    InfoMessage,
    SessionDetails,
    SessionInfo,
    SessionRoom,
    carries_details,
    delegates_of,
    fold_details,
    read_session,
    roster,
    with_delegations,
    with_details,
)
from app.services.notices import RosterChanged
from app.store import StoreError

if TYPE_CHECKING:
    from app.store import Archive

log = logging.getLogger(__name__)


class StateReads(Protocol):
    """The archive reads a roster is made of: the store's ``Archive``, or at a restart
    the plain look into the archive (``app.store.peek``) before SQLAlchemy has loaded."""

    def state(self, room_ids: Sequence[str], types: Sequence[str] = ()) -> list[RoomEvent]: ...

    def details_messages(self, room_ids: Sequence[str]) -> list[RoomEvent]: ...

    def state_before(self, event_id: str, types: Sequence[str]) -> list[RoomEvent]: ...


def rosters_of(archive: StateReads, spaces: list[str]) -> list[RosterChanged]:
    """Rosters of these session spaces from archived state (store thread). A session
    whose roster cannot be read is logged and left out (``guarded_roster``): at a
    restart's early list, one such session would otherwise hide all the others."""
    found: list[RosterChanged] = []
    for space_id in spaces:
        roster_read, failure = guarded_roster(archive, space_id)
        if failure is not None:
            log.error("the roster of %s could not be read", space_id, exc_info=failure)
        elif roster_read is not None:
            found.append(roster_read)
    return found


def guarded_roster(
    archive: StateReads, space_id: str
) -> tuple[RosterChanged | None, Exception | None]:
    """The session's roster (None for a plain space), or why it could not be read: a
    row the reader chokes on, a bug. ``StoreError`` is raised: mostly the archive
    failing (locked, corrupt, a wrong key), no one session's problem, which the caller
    reports once, as every archive read's.

    The line is deliberate, and it has a cost: the store wraps every driver error in
    ``StoreError`` (``translate_errors``), a row-level one too, such as a stored text
    that is not valid UTF-8. Such a row aborts the whole read (a start's announcements
    with it) instead of being told as its session's. Nothing in the error says which
    kind it is, and calling a StoreError one session's when other sessions had read
    fine would tell a database locked for a moment as that session unreadable, until
    the next write."""
    try:
        return _roster_of(archive, space_id), None
    except StoreError:
        raise
    except Exception as exc:
        return None, exc


def _roster_of(archive: StateReads, space_id: str) -> RosterChanged | None:
    state = _state_dicts(archive, [space_id])
    info = _session_of(space_id, state)
    if info is None:
        return None  # a plain space, or one whose session state we cannot read
    info = replace(info, rooms=_rooms_that_belong(archive, info))
    info, delegates = _named_delegations(archive, info)
    details = session_details(archive, info)
    info = with_details(info, details)
    rooms = (space_id, *(r.room_id for r in info.rooms))
    return RosterChanged(roster(info, state, delegates, details), rooms)


class SessionRosters:
    """The account's rosters, read from the archive once per archive generation.

    Why: a start asked for them four times (the account announcing them, then the open
    round, the instruction feeds and the sitreps each reloading), and a sync batch that
    changes a session as often; at 50 sessions each read cost a few hundred ms on the one
    store thread, ahead of the room the user opens (docs/performance.md, session 9).

    Why a memo keyed by ``Archive.generation``: a roster says who may issue, acknowledge
    or steer, so a copy older than the archive answers an authority question from the
    past. A cache that each write path invalidates is stale the day one path forgets;
    the generation moves on every commit to the database, whoever made it
    (``app.store.commits``), so a role change archived after the memo was filled is
    read afresh by the next reader, by construction. Handing the start's one read to its
    consumers would have served the start only, and made them take rosters two ways;
    this serves a sync batch's readers too, through the call they already make.

    Store thread only (``AccountService.db``), as every archive read.
    """

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._generation = -1
        self._spaces: dict[str, str] | None = None  # every space the archive knows -> name
        self._found: dict[str, RosterChanged | None] = {}
        self._failing: dict[str, str] = {}  # space -> why its roster failed, until it reads
        self._untold: dict[str, str] = {}  # space -> its name: newly failing, not told yet

    def read(self, spaces: list[str] | None = None) -> list[RosterChanged]:
        """Rosters of these spaces (all the archive knows when None), sessions only.

        A session whose roster cannot be read (a row the reader chokes on) is left out:
        one bad session must not hide the others from the list and from every feature's
        start. It is read again after the next write to the archive, as every roster is;
        logged and kept for ``newly_unreadable`` when it fails for the first time (or
        for another reason), not at each write while it keeps failing alike."""
        self._drop_if_written()
        spaces = list(self.spaces()) if spaces is None else spaces
        for space_id in spaces:
            if space_id not in self._found:
                self._found[space_id] = self._read_one(space_id)
        return [found for space_id in spaces if (found := self._found[space_id])]

    def newly_unreadable(self) -> list[str]:
        """The sessions (their names, else their ids) whose rosters have failed to read
        since this was last asked, and were not failing so before: each told once."""
        told, self._untold = list(self._untold.values()), {}
        return told

    def _read_one(self, space_id: str) -> RosterChanged | None:
        found, failure = guarded_roster(self._archive, space_id)
        if failure is None:
            self._failing.pop(space_id, None)
            return found
        why = f"{type(failure).__name__}: {failure}"
        if self._failing.get(space_id) != why:
            log.error("the roster of %s could not be read", space_id, exc_info=failure)
            self._untold[space_id] = self.spaces().get(space_id) or space_id
        self._failing[space_id] = why
        return None

    def spaces(self) -> dict[str, str]:
        """Every space the archive knows, sessions or not, with its name (in the
        archive's order: the most recently active first)."""
        self._drop_if_written()
        if self._spaces is None:
            self._spaces = {r.room_id: r.name for r in self._archive.rooms() if r.is_space}
        return self._spaces

    def _drop_if_written(self) -> None:
        generation = self._archive.generation  # taken first: a write meanwhile outdates it
        if generation != self._generation:
            self._generation, self._spaces, self._found = generation, None, {}


def session_details(archive: StateReads, info: SessionInfo) -> SessionDetails:
    """The fold of the session's authorised info messages in the rooms we have archived.

    Authorised: sent by someone at the facilitators' level in that room as its power
    levels stood when the message arrived, the rule every custom event meets; a forged
    one from a lower role renames nothing.
    """
    delegation_of = {r.room_id: r.delegation for r in info.rooms}
    found = _authorised_details(archive, list(delegation_of))
    return fold_details(InfoMessage(e.content, delegation_of.get(e.room_id, "")) for e in found)


def room_details(archive: Archive, room_id: str) -> tuple[SessionDetails, str]:
    """One room's folded details and who sent the newest of them ('' when none)."""
    found = _authorised_details(archive, [room_id])
    described = archive.state([room_id], (roles.DELEGATION,))
    delegation = str(described[0].content.get("id") or "") if described else ""
    folded = fold_details(InfoMessage(e.content, delegation) for e in found)
    return folded, found[-1].sender if found else ""


def _authorised_details(archive: StateReads, room_ids: list[str]) -> list[RoomEvent]:
    found = archive.details_messages(room_ids)
    return [e for e in found if _authorised(archive, e)]


def _authorised(archive: StateReads, event: RoomEvent) -> bool:
    if event.status is not EventStatus.OK:
        return False
    before = {e.type: e for e in archive.state_before(event.event_id, _LEVEL_TYPES)}
    create, levels = before.get("m.room.create"), before.get("m.room.power_levels")
    have = roles.user_level(
        event.sender,
        levels.content if levels else None,
        create.content if create else None,
        create.sender if create else "",
    )
    return have >= roles.ADMIN_LEVEL


def spaces_with_new_details(archive: Archive, fresh: list[RoomEvent]) -> set[str]:
    """Session spaces whose encrypted details just arrived (their rosters change)."""
    rooms = [e.room_id for e in fresh if carries_details(e.type, e.content)]
    return {e.state_key for e in archive.state(rooms, ("m.space.parent",)) if e.state_key}


_LEVEL_TYPES = ("m.room.create", "m.room.power_levels")


def _state_dicts(archive: StateReads, room_ids: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "type": e.type,
            "state_key": e.state_key,
            "content": dict(e.content),
            "room_id": e.room_id,
        }
        for e in archive.state(room_ids)
    ]


def _named_delegations(
    archive: StateReads, info: SessionInfo
) -> tuple[SessionInfo, dict[str, str]]:
    """Delegations and their delegates, as far as the delegation rooms we are in say."""
    ours = [r.room_id for r in info.rooms if r.kind is roles.RoomKind.DELEGATION]
    state = _state_dicts(archive, ours)
    described = {
        e["room_id"]: e["content"]
        for e in state
        if e["type"] == roles.DELEGATION and e["state_key"] == ""
    }
    return with_delegations(info, described), delegates_of(state)


def claimed_rooms(archive: StateReads, space_id: str) -> tuple[str, ...]:
    """The space and every room its session state names, whether or not the room's own
    state says it belongs (``_rooms_that_belong``): where the record's holes are looked
    for. A room the archive could read nothing of has no state to say so, and a hole
    there is the very one a record must state; one stated too many harms no reader."""
    info = _session_of(space_id, _state_dicts(archive, [space_id]))
    return (space_id, *(r.room_id for r in info.rooms)) if info else (space_id,)


def _rooms_that_belong(archive: StateReads, info: SessionInfo) -> tuple[SessionRoom, ...]:
    """Only rooms whose own state names this space as parent (level 100 in the room):
    anyone can make a space that claims another session's rooms as its own."""
    claimed = [r.room_id for r in info.rooms]
    parents = {(e.room_id, e.state_key) for e in archive.state(claimed, ("m.space.parent",))}
    return tuple(r for r in info.rooms if (r.room_id, info.space_id) in parents)


def _session_of(space_id: str, state: list[dict[str, Any]]) -> SessionInfo | None:
    found = (e for e in state if e["type"] == roles.SESSION and e["state_key"] == "")
    return next((i for e in found if (i := read_session(space_id, e["content"]))), None)


def pins_with(archive: Archive, details: RoomEvent) -> list[str] | None:
    """The room's pinned events with this details message in place of older details;
    None when it is pinned already."""
    pinned = archive.state([details.room_id], ("m.room.pinned_events",))
    current = pinned[0].content.get("pinned") if pinned else []
    current = [i for i in current if isinstance(i, str)] if isinstance(current, list) else []
    if details.event_id in current:
        return None
    older = {e.event_id for e in archive.details_messages([details.room_id])}
    return [i for i in current if i not in older] + [details.event_id]
