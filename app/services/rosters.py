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
    """Rosters of these session spaces from archived state (store thread)."""
    return [found for space_id in spaces if (found := _roster_of(archive, space_id))]


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
        self._spaces: list[str] | None = None  # every space the archive knows, this generation
        self._found: dict[str, RosterChanged | None] = {}
        self._unreadable: dict[str, str] = {}  # space -> why its read failed, this generation

    def read(self, spaces: list[str] | None = None) -> list[RosterChanged]:
        """Rosters of these spaces (all the archive knows when None), sessions only.

        A session whose roster cannot be read (a row the reader chokes on) is logged,
        kept in ``unreadable`` and left out: one bad session must not hide the others
        from the list and from every feature's start. It is read again after the next
        write to the archive, as every roster is."""
        self._drop_if_written()
        spaces = self.spaces() if spaces is None else spaces
        for space_id in spaces:
            if space_id not in self._found:
                self._found[space_id] = self._read_one(space_id)
        return [found for space_id in spaces if (found := self._found[space_id])]

    def unreadable(self, spaces: Sequence[str]) -> dict[str, str]:
        """Which of these spaces' rosters failed to read in this generation, and why."""
        return {s: self._unreadable[s] for s in spaces if s in self._unreadable}

    def _read_one(self, space_id: str) -> RosterChanged | None:
        try:
            return _roster_of(self._archive, space_id)
        except Exception as exc:
            log.exception("the roster of %s could not be read", space_id)
            self._unreadable[space_id] = f"{type(exc).__name__}: {exc}"
            return None

    def spaces(self) -> list[str]:
        """Every space the archive knows, sessions or not."""
        self._drop_if_written()
        if self._spaces is None:
            self._spaces = [r.room_id for r in self._archive.rooms() if r.is_space]
        return self._spaces

    def _drop_if_written(self) -> None:
        generation = self._archive.generation  # taken first: a write meanwhile outdates it
        if generation != self._generation:
            self._generation, self._spaces, self._found = generation, None, {}
            self._unreadable = {}


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
