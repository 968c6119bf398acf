"""Reading a session as the server holds it now (``/state``): plain dicts, no archive.

Session commands act on what the server holds now, not on what this device archived:
the roles and power levels a change starts from must be the ones the server enforces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.core import roles
from app.core.errors import SendFailed
from app.core.roles import RoomKind
from app.core.session import (
    Participant,
    Roster,
    SessionInfo,
    delegates_of,
    read_role,
    read_session,
    roster,
    user_of_role_key,
    with_delegations,
)
from app.matrix import MatrixClient
from app.services.sessions.errors import SessionError


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A session as the server holds it now: metadata, live roles, power levels."""

    info: SessionInfo
    participants: dict[str, Participant]
    recorded: frozenset[str]  # everyone with a role state, removed participants included
    creators: frozenset[str]
    levels: dict[str, Any]
    create: dict[str, Any]
    create_sender: str

    def level(self, user_id: str) -> float:
        return roles.user_level(user_id, self.levels, self.create, self.create_sender)


async def load_session(client: MatrixClient, space_id: str) -> LiveSession:
    state = await client.all_state(space_id)
    info, delegates = await _delegation_rooms(client, session_from_state(space_id, state))
    participants, recorded = {}, set()
    for event in state:
        if event.get("type") == roles.ROLE and isinstance(event.get("state_key"), str):
            user_id = user_of_role_key(event["state_key"])
            recorded.add(user_id)
            p = read_role(user_id, event.get("content") or {})
            if p is not None:
                participants[p.user_id] = replace(p, delegation=delegates.get(user_id, ""))
    create = state_event(state, "m.room.create") or {}
    return LiveSession(
        info,
        participants,
        frozenset(recorded),
        creators(state),
        state_event(state, "m.room.power_levels") or {},
        create.get("content") or {},
        str(create.get("sender", "")),
    )


async def load_roster(client: MatrixClient, space_id: str) -> Roster:
    state = await client.all_state(space_id)
    info, delegates = await _delegation_rooms(client, session_from_state(space_id, state))
    return roster(info, state, delegates)


async def _delegation_rooms(
    client: MatrixClient, info: SessionInfo
) -> tuple[SessionInfo, dict[str, str]]:
    """Name the delegation rooms we can read, and who is a delegate of which."""
    described: dict[str, dict[str, Any]] = {}
    delegates: dict[str, str] = {}
    for room in info.rooms:
        if room.kind is not RoomKind.DELEGATION:
            continue
        try:
            state = await client.all_state(room.room_id)
        except SendFailed:
            continue  # not a member: the server keeps it from us, as it should
        described[room.room_id] = (state_event(state, roles.DELEGATION) or {}).get("content") or {}
        delegates |= delegates_of(state)
    return with_delegations(info, described), delegates


def session_from_state(space_id: str, state: list[dict[str, Any]]) -> SessionInfo:
    for event in state:
        if event.get("type") == roles.SESSION and event.get("state_key") == "":
            info = read_session(space_id, event.get("content") or {})
            if info is not None:
                return info
    raise SessionError(f"{space_id} is not a crisis session (no valid session state)")


def state_event(
    state: list[dict[str, Any]], event_type: str, key: str = ""
) -> dict[str, Any] | None:
    for event in state:
        if event.get("type") == event_type and event.get("state_key") == key:
            return event
    return None


def creators(state: list[dict[str, Any]]) -> frozenset[str]:
    """Users with unlimited power who must not be listed (room version 12 and later)."""
    create = state_event(state, "m.room.create") or {}
    content = create.get("content") or {}
    if not roles.creators_have_infinite_power(str(content.get("room_version", "1"))):
        return frozenset()
    extra = content.get("additional_creators", [])
    return frozenset([str(create.get("sender", "")), *(extra if isinstance(extra, list) else [])])
