"""Crisis sessions: convene, invite with roles, re-role, remove, close, join.

Both locks of DESIGN.md are set here. Membership: a participant is invited only to the
rooms their role entitles them to (an influencer never to restricted or delegation
rooms). Power levels: every room names every custom type, and each participant's level
follows their role; closing raises every type to the facilitator's level.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from app.core import roles
from app.core.blueprint import Blueprint, Participant
from app.core.errors import SendFailed, SendProblem
from app.core.roles import Role, RoomKind
from app.core.session import (
    Roster,
    SessionInfo,
    SessionRoom,
    entitled_rooms,
    invite_reason,
    read_role,
    read_session,
    role_content,
    role_key,
    roster,
    session_content,
    user_of_role_key,
)
from app.matrix import MatrixClient

log = logging.getLogger(__name__)
ROOM_NAMES = {
    RoomKind.OPERATIONS: "Operations",
    RoomKind.RESTRICTED: "Restricted",
    RoomKind.OUTREACH: "Outreach",
}


class SessionError(Exception):
    """A session operation that cannot be done; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class _Context:
    info: SessionInfo
    participants: dict[str, Participant]
    creators: frozenset[str]


class Sessions:
    """Session use cases for one signed-in client (the facilitator's, mostly)."""

    def __init__(self, client: MatrixClient) -> None:
        self.client = client

    # -- convene -------------------------------------------------------------------------

    async def convene(self, bp: Blueprint) -> SessionInfo:
        """Create the space and its rooms, set roles and power levels, send the invitations."""
        me = self.client.user_id
        people = {p.user_id: p for p in bp.participants}
        people[me] = replace(
            people.get(me, Participant(me, Role.FACILITATOR)), role=Role.FACILITATOR
        )
        space = await self.client.create_room(bp.title, space=True, topic=_topic(bp))
        creators = await self._creators(space)
        levels = roles.power_levels({u: p.role for u, p in people.items()}, creators)
        await self.client.put_state(space, "m.room.power_levels", levels)
        via = {"via": [me.split(":", 1)[1]]}
        parent = {
            "type": "m.space.parent",
            "state_key": space,
            "content": {**via, "canonical": True},
        }
        rooms: list[SessionRoom] = []
        plan = [(RoomKind.OPERATIONS, ""), (RoomKind.RESTRICTED, "")]
        plan += [(RoomKind.DELEGATION, d.id) for d in bp.delegations]
        if bp.outreach:
            plan.append((RoomKind.OUTREACH, ""))
        for kind, delegation in plan:
            initial: list[dict[str, Any]] = [parent]
            name = f"{bp.title} · {ROOM_NAMES.get(kind, '')}"
            if kind is RoomKind.DELEGATION:
                d = next(x for x in bp.delegations if x.id == delegation)
                name = f"{bp.title} · {d.name}"
                initial.append(
                    {
                        "type": roles.DELEGATION,
                        "state_key": "",
                        "content": {
                            "body": f"Delegation {d.name} ({d.location}, {d.tz})",
                            "id": d.id,
                            "name": d.name,
                            "location": d.location,
                            "tz": d.tz,
                        },
                    }
                )
            encrypted = kind is not RoomKind.OUTREACH or bp.outreach_encrypted
            room_id = await self.client.create_room(
                name,
                encrypted=encrypted,
                initial_state=initial,
                power_levels=levels,
                topic=_topic(bp),
            )
            await self.client.put_state(space, "m.space.child", via, state_key=room_id)
            rooms.append(SessionRoom(kind, room_id, delegation))
        await self.client.put_state(space, roles.SESSION, session_content(bp, "convened", rooms))
        info = read_session(space, session_content(bp, "convened", rooms))
        assert info is not None
        for participant in people.values():
            await self.client.put_state(
                space, roles.ROLE, role_content(participant), role_key(participant.user_id)
            )
            if participant.user_id != me:
                await self._invite_where_entitled(info, participant)
        return info

    async def _creators(self, room_id: str) -> frozenset[str]:
        """Users with unlimited power who must not be listed (room version 12 and later)."""
        create = await self.client.get_state(room_id, "m.room.create") or {}
        if not roles.creators_have_infinite_power(str(create.get("room_version", "1"))):
            return frozenset()
        extra = create.get("additional_creators", [])
        return frozenset([self.client.user_id, *(extra if isinstance(extra, list) else [])])

    async def _invite_where_entitled(self, info: SessionInfo, p: Participant) -> None:
        reason = invite_reason(info.title, p)
        await self._invite_tolerant(info.space_id, p.user_id, reason)
        for room in entitled_rooms(info, p):
            await self._invite_tolerant(room.room_id, p.user_id, reason)

    async def _invite_tolerant(self, room_id: str, user_id: str, reason: str) -> None:
        """Invite; someone already invited or joined is fine, anything else is reported."""
        try:
            await self.client.invite(room_id, user_id, reason)
        except SendFailed as exc:
            if "already in the room" in exc.detail or "is already joined" in exc.detail:
                return
            raise SessionError(f"could not invite {user_id}: {exc.detail}") from exc

    # -- reading -------------------------------------------------------------------------

    async def load(self, space_id: str) -> _Context:
        state = await self.client.all_state(space_id)
        info = session_from_state(space_id, state)
        participants = {}
        for event in state:
            if event.get("type") == roles.ROLE and isinstance(event.get("state_key"), str):
                p = read_role(user_of_role_key(event["state_key"]), event.get("content") or {})
                if p is not None:
                    participants[p.user_id] = p
        return _Context(info, participants, await self._creators(space_id))

    async def roster(self, space_id: str) -> Roster:
        state = await self.client.all_state(space_id)
        return roster(session_from_state(space_id, state), state)

    # -- changes -------------------------------------------------------------------------

    async def invite(self, space_id: str, p: Participant) -> None:
        """Add a participant with a role; invited to the rooms that role entitles them to."""
        await self.set_role(space_id, p)

    async def set_role(self, space_id: str, p: Participant) -> None:
        """(Re-)role a participant: role state, power levels everywhere, memberships to match."""
        ctx = await self.load(space_id)
        _refuse_if_closed(ctx.info)
        old = ctx.participants.get(p.user_id)
        ctx.participants[p.user_id] = p
        await self.client.put_state(space_id, roles.ROLE, role_content(p), role_key(p.user_id))
        await self._apply_levels(ctx)
        await self._invite_where_entitled(ctx.info, p)
        if old is not None:
            keep = {r.room_id for r in entitled_rooms(ctx.info, p)}
            for room in entitled_rooms(ctx.info, old):
                if room.room_id not in keep:
                    await self._kick_tolerant(room.room_id, p.user_id, "role changed")

    async def remove(self, space_id: str, user_id: str) -> None:
        """Take a participant out of every room; their role state records the removal."""
        ctx = await self.load(space_id)
        old = ctx.participants.pop(user_id, None)
        if old is None:
            raise SessionError(f"{user_id} is not a participant of this session")
        await self.client.put_state(
            space_id, roles.ROLE, role_content(old, removed=True), role_key(user_id)
        )
        await self._apply_levels(ctx)
        for room_id in [space_id, *(r.room_id for r in ctx.info.rooms)]:
            await self._kick_tolerant(room_id, user_id, "removed from the session")

    async def close(self, space_id: str) -> None:
        """Status closed; every room read-only for all but facilitators; the record stays."""
        ctx = await self.load(space_id)
        state = await self.client.get_state(space_id, roles.SESSION) or {}
        closed = {**state, "status": "closed", "body": state.get("body", "") + " — closed"}
        await self._apply_levels(ctx, closed=True)
        await self.client.put_state(space_id, roles.SESSION, closed)

    async def _apply_levels(self, ctx: _Context, closed: bool = False) -> None:
        levels = roles.power_levels(
            {u: p.role for u, p in ctx.participants.items()}, ctx.creators, closed
        )
        for room_id in [ctx.info.space_id, *(r.room_id for r in ctx.info.rooms)]:
            await self.client.put_state(room_id, "m.room.power_levels", levels)

    async def _kick_tolerant(self, room_id: str, user_id: str, reason: str) -> None:
        try:
            await self.client.kick(room_id, user_id, reason)
        except SendFailed as exc:
            if exc.problem is SendProblem.TRANSIENT:
                raise SessionError(f"could not remove {user_id}: {exc.detail}") from exc
            log.info("kick of %s from %s not needed: %s", user_id, room_id, exc.detail)

    # -- the invitee's side --------------------------------------------------------------

    async def join(self, space_id: str) -> list[str]:
        """Accept a session invitation: join the space and every room we were invited to."""
        await self.client.join(space_id)
        info = session_from_state(space_id, await self.client.all_state(space_id))
        joined = []
        for room in info.rooms:
            try:
                await self.client.join(room.room_id)
            except SendFailed as exc:  # not invited there: the server's lock, as intended
                log.info("not joining %s: %s", room.room_id, exc.detail)
                continue
            joined.append(room.room_id)
        return joined


def session_from_state(space_id: str, state: list[dict[str, Any]]) -> SessionInfo:
    for event in state:
        if event.get("type") == roles.SESSION and event.get("state_key") == "":
            info = read_session(space_id, event.get("content") or {})
            if info is not None:
                return info
    raise SessionError(f"{space_id} is not a crisis session (no valid session state)")


def _refuse_if_closed(info: SessionInfo) -> None:
    if info.status == "closed":
        raise SessionError(f"the session '{info.title}' is closed")


def _topic(bp: Blueprint) -> str:
    marker = "EXERCISE · " if bp.exercise else ""
    return f"{marker}{bp.classification} · {bp.kind} · capital time {bp.capital_tz}"
