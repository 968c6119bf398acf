"""Session rosters rebuilt from the archived state of a space and its rooms.

Runs on the store thread (``AccountService.db``): the archive is the record, so a roster
is read back from it whenever a session's roles, members or rooms change, never kept as
a second copy that could disagree with it. Shared by the account (which announces them)
and the features that follow a session, so it sits beside them, not inside one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.core import roles
from app.core.session import (
    SessionInfo,
    SessionRoom,
    delegates_of,
    read_session,
    roster,
    with_delegations,
)
from app.services.notices import RosterChanged

if TYPE_CHECKING:
    from app.store import Archive


def rosters_of(archive: Archive, spaces: list[str]) -> list[RosterChanged]:
    """Rosters of these session spaces from archived state (store thread)."""
    found = []
    for space_id in spaces:
        state = _state_dicts(archive, [space_id])
        info = _session_of(space_id, state)
        if info is None:
            continue  # a plain space, or one whose session state we cannot read
        info = replace(info, rooms=_rooms_that_belong(archive, info))
        info, delegates = _named_delegations(archive, info)
        rooms = (space_id, *(r.room_id for r in info.rooms))
        found.append(RosterChanged(roster(info, state, delegates), rooms))
    return found


def _state_dicts(archive: Archive, room_ids: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "type": e.type,
            "state_key": e.state_key,
            "content": dict(e.content),
            "room_id": e.room_id,
        }
        for e in archive.state(room_ids)
    ]


def _named_delegations(archive: Archive, info: SessionInfo) -> tuple[SessionInfo, dict[str, str]]:
    """Delegations and their delegates, as far as the delegation rooms we are in say."""
    ours = [r.room_id for r in info.rooms if r.kind is roles.RoomKind.DELEGATION]
    state = _state_dicts(archive, ours)
    described = {
        e["room_id"]: e["content"]
        for e in state
        if e["type"] == roles.DELEGATION and e["state_key"] == ""
    }
    return with_delegations(info, described), delegates_of(state)


def _rooms_that_belong(archive: Archive, info: SessionInfo) -> tuple[SessionRoom, ...]:
    """Only rooms whose own state names this space as parent (level 100 in the room):
    anyone can make a space that claims another session's rooms as its own."""
    claimed = [r.room_id for r in info.rooms]
    parents = {(e.room_id, e.state_key) for e in archive.state(claimed, ("m.space.parent",))}
    return tuple(r for r in info.rooms if (r.room_id, info.space_id) in parents)


def _session_of(space_id: str, state: list[dict[str, Any]]) -> SessionInfo | None:
    found = (e for e in state if e["type"] == roles.SESSION and e["state_key"] == "")
    return next((i for e in found if (i := read_session(space_id, e["content"]))), None)
