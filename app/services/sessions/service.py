"""Crisis sessions: convene, invite with roles, re-role, remove, close, join.

Both locks of DESIGN.md are set here. Membership: a participant is invited only to the
rooms their role entitles them to (an influencer never to restricted or delegation
rooms). Power levels: every room names every custom type, and each participant's level
follows their role; closing raises every type to the facilitator's level.

The server learns little (protocol 1.2): names, topics and invitations are neutral, and
what the session is about is sent encrypted (``publish.py``).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from typing import Any

from app.core import protocol, roles
from app.core.errors import SendFailed, SendProblem
from app.core.roles import Role, RoomKind
from app.core.session import (
    Blueprint,
    Participant,
    Roster,
    SessionInfo,
    SessionRoom,
    delegates_of,
    entitled_rooms,
    info_payload,
    invite_reason,
    read_role,
    read_session,
    role_content,
    role_key,
    roster,
    session_content,
    user_of_role_key,
    with_delegations,
    with_keeper,
)
from app.matrix import MatrixClient
from app.services.sessions.publish import (
    Outboxed,
    Send,
    direct_sender,
    publish_convened,
    publish_person,
)
from app.services.sessions.server_state import creators as creators_of
from app.services.sessions.server_state import state_event

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


class Sessions:
    """Session use cases for one signed-in client (the facilitator's, mostly). ``send``
    carries the encrypted details: the account's outbox (``Sessions.of``) or, on the
    command line, a direct send."""

    def __init__(self, client: MatrixClient, send: Send | None = None) -> None:
        self.client = client
        self._send = send or direct_sender(client)

    @classmethod
    def of(cls, account: Outboxed) -> Sessions:
        """Sessions of a running account: its details go through its persisted outbox."""
        return cls(account.client, account.send)

    # -- convene -------------------------------------------------------------------------

    async def convene(self, bp: Blueprint) -> SessionInfo:
        """Create the space and its rooms, set roles and power levels, send the invitations.

        The session state is written first (status 'convening') and kept up to date room
        by room, so a convene that fails half-way leaves a session that can be closed.
        """
        me, bp = self.client.user_id, with_keeper(bp)  # the ministry's keeper, if any
        if why := protocol.problem(roles.SESSION_INFO, info_payload(bp, bp.participants)):
            raise SessionError(f"the blueprint does not fit the protocol's limits: {why}")
        await self._refuse_strangers([p.user_id for p in bp.participants if p.user_id != me])
        people = {p.user_id: p for p in bp.participants}
        people[me] = replace(
            people.get(me, Participant(me, Role.FACILITATOR)), role=Role.FACILITATOR
        )
        label = f"Session {secrets.randbelow(9000) + 1000}"  # says nothing of the crisis
        space = await self.client.create_room(label, space=True)
        creators = creators_of(await self.client.all_state(space))
        by_role = {u: p.role for u, p in people.items()}
        await self.client.put_state(
            space, "m.room.power_levels", roles.power_levels(by_role, creators, space=True)
        )
        rooms: list[SessionRoom] = []
        await self.client.put_state(
            space, roles.SESSION, session_content(label, "convening", rooms)
        )
        try:
            for kind, delegation in _plan(bp):
                rooms.append(
                    await self._create_room(
                        bp, space, (label, kind, delegation), by_role=by_role, creators=creators
                    )
                )
                await self.client.put_state(
                    space, roles.SESSION, session_content(label, "convening", rooms)
                )
        except SendFailed as exc:
            raise SessionError(
                f"convening stopped after {len(rooms)} room(s): {exc.detail}. The partial "
                f"session {space} is marked 'convening'; close it and convene again."
            ) from exc
        content = session_content(label, "convened", rooms)
        await self.client.put_state(space, roles.SESSION, content)
        info = SessionInfo(
            space, bp.title, bp.kind, "convened", bp.capital_tz, bp.classification,
            bp.exercise, tuple(rooms), bp.delegations,
        )  # fmt: skip
        for participant in people.values():
            await self._write_role(info, participant)
            if participant.user_id != me:
                await self._invite_where_entitled(info, participant)
        # After the invitations: the room keys then reach the invited members too.
        await publish_convened(self._send, info, bp, people.values())
        return info

    async def _refuse_strangers(self, user_ids: list[str]) -> None:
        """Before anything is created: every invitee must be an account the server knows."""
        try:
            unknown = [u for u in user_ids if not await self.client.user_exists(u)]
        except SendFailed as exc:
            raise SessionError(f"could not look up the participants: {exc.detail}") from exc
        if unknown:
            raise SessionError(f"no such user on the server: {', '.join(unknown)}")

    async def _write_role(self, info: SessionInfo, p: Participant, removed: bool = False) -> None:
        """The role in the space for everyone; a delegate's delegation only in its room."""
        if p.delegation and (room := info.room(RoomKind.DELEGATION, p.delegation)):
            content = role_content(p, removed)
            await self.client.put_state(room, roles.ROLE, content, role_key(p.user_id))
        public = replace(p, delegation="")
        await self.client.put_state(
            info.space_id, roles.ROLE, role_content(public, removed), role_key(p.user_id)
        )

    async def _create_room(
        self,
        bp: Blueprint,
        space: str,
        where: tuple[str, RoomKind, str],
        *,
        by_role: dict[str, Role],
        creators: frozenset[str],
    ) -> SessionRoom:
        via = {"via": [self.client.user_id.split(":", 1)[1]]}
        initial: list[dict[str, Any]] = [
            {"type": "m.space.parent", "state_key": space, "content": {**via, "canonical": True}}
        ]
        label, kind, delegation = where
        name = f"{label} · {ROOM_NAMES.get(kind, '')}"
        if kind is RoomKind.DELEGATION:
            number = 1 + [d.id for d in bp.delegations].index(delegation)
            name = f"{label} · Delegation {number}"
            initial.append(
                {
                    "type": roles.DELEGATION,
                    "state_key": "",
                    "content": {"body": f"Delegation {delegation}", "id": delegation},
                }
            )
        room_id = await self.client.create_room(
            name,
            encrypted=kind is not RoomKind.OUTREACH or bp.outreach_encrypted,
            initial_state=initial,
            power_levels=roles.power_levels(by_role, creators),
        )
        await self.client.put_state(space, "m.space.child", via, state_key=room_id)
        return SessionRoom(kind, room_id, delegation)

    async def _invite_where_entitled(self, info: SessionInfo, p: Participant) -> None:
        # The server keeps the reason: it names neither session, role nor delegation.
        await self._invite_tolerant(info.space_id, p.user_id, invite_reason())
        for room in entitled_rooms(info, p):
            await self._invite_tolerant(room.room_id, p.user_id, invite_reason())

    async def _invite_tolerant(self, room_id: str, user_id: str, reason: str) -> None:
        """Invite; someone already invited or joined is fine, anything else is reported."""
        try:
            await self.client.invite(room_id, user_id, reason)
        except SendFailed as exc:
            if "already in the room" in exc.detail or "is already joined" in exc.detail:
                return
            raise SessionError(f"could not invite {user_id}: {exc.detail}") from exc

    # -- reading -------------------------------------------------------------------------

    async def _delegation_rooms(self, info: SessionInfo) -> tuple[SessionInfo, dict[str, str]]:
        """Name the delegation rooms we can read, and who is a delegate of which."""
        described: dict[str, dict[str, Any]] = {}
        delegates: dict[str, str] = {}
        for room in info.rooms:
            if room.kind is not RoomKind.DELEGATION:
                continue
            try:
                state = await self.client.all_state(room.room_id)
            except SendFailed:
                continue  # not a member: the server keeps it from us, as it should
            described[room.room_id] = (state_event(state, roles.DELEGATION) or {}).get(
                "content"
            ) or {}
            delegates |= delegates_of(state)
        return with_delegations(info, described), delegates

    async def load(self, space_id: str) -> _Context:
        state = await self.client.all_state(space_id)
        info, delegates = await self._delegation_rooms(session_from_state(space_id, state))
        participants, recorded = {}, set()
        for event in state:
            if event.get("type") == roles.ROLE and isinstance(event.get("state_key"), str):
                user_id = user_of_role_key(event["state_key"])
                recorded.add(user_id)
                p = read_role(user_id, event.get("content") or {})
                if p is not None:
                    participants[p.user_id] = replace(p, delegation=delegates.get(user_id, ""))
        create = state_event(state, "m.room.create") or {}
        return _Context(
            info,
            participants,
            frozenset(recorded),
            creators_of(state),
            state_event(state, "m.room.power_levels") or {},
            create.get("content") or {},
            str(create.get("sender", "")),
        )

    async def roster(self, space_id: str) -> Roster:
        state = await self.client.all_state(space_id)
        info, delegates = await self._delegation_rooms(session_from_state(space_id, state))
        return roster(info, state, delegates)

    # -- changes -------------------------------------------------------------------------

    async def invite(self, space_id: str, p: Participant) -> None:
        """Add a participant with a role; invited to the rooms that role entitles them to."""
        await self.set_role(space_id, p, adding=True)

    async def set_role(self, space_id: str, p: Participant, *, adding: bool = False) -> None:
        """(Re-)role a participant: power levels everywhere and memberships to match.

        The role state is written last, so a failure half-way never leaves the roster
        claiming a role the power levels and memberships do not have.
        """
        ctx = await self.load(space_id)
        _refuse_if_closed(ctx.info)
        if adding and p.user_id in ctx.participants:
            raise SessionError(f"{p.user_id} is already a participant: change their role instead")
        if adding:
            await self._refuse_strangers([p.user_id])
        if not adding and p.user_id not in ctx.participants:
            raise SessionError(f"{p.user_id} is not a participant: invite them first")
        self._may_change(ctx, p.user_id, p.role)
        if p.role is Role.DELEGATE and p.delegation not in {d.id for d in ctx.info.delegations}:
            raise SessionError(
                f"a delegate needs one of the session's delegations, not '{p.delegation}'"
            )
        participants = {**ctx.participants, p.user_id: p}
        await self._apply_levels(replace(ctx, participants=participants))
        await self._invite_where_entitled(ctx.info, p)
        keep = {r.room_id for r in entitled_rooms(ctx.info, p)}
        old = ctx.participants.get(p.user_id)
        if old is not None and old.delegation and old.delegation != p.delegation:
            await self._write_role(ctx.info, old, removed=True)  # off the old delegation's roll
        for room in ctx.info.rooms:
            if room.room_id not in keep:
                await self._kick_tolerant(room.room_id, p.user_id, "role changed")
        await self._write_role(ctx.info, p)
        await publish_person(self._send, ctx.info, p)

    async def remove(self, space_id: str, user_id: str) -> None:
        """Take a participant out of every room; their role state records the removal.

        Repeating it is safe: someone already removed is taken out again where needed.
        """
        ctx = await self.load(space_id)
        if user_id not in ctx.recorded:
            raise SessionError(f"{user_id} is not a participant of this session")
        self._may_change(ctx, user_id, None)
        old = ctx.participants.pop(user_id, None) or Participant(user_id, Role.OBSERVER)
        await self._apply_levels(ctx)
        for room_id in [space_id, *(r.room_id for r in ctx.info.rooms)]:
            await self._kick_tolerant(room_id, user_id, "removed from the session")
        await self._write_role(ctx.info, old, removed=True)

    async def close(self, space_id: str) -> None:
        """Status closed; every room read-only for all but facilitators; the record stays."""
        ctx = await self.load(space_id)
        if ctx.info.status == "closed":
            return
        state = await self.client.get_state(space_id, roles.SESSION) or {}
        closed = {**state, "status": "closed", "body": f"{ctx.info.title} (closed)"}
        await self._apply_levels(replace(ctx, info=replace(ctx.info, status="closed")))
        await self.client.put_state(space_id, roles.SESSION, closed)

    def _may_change(self, ctx: _Context, user_id: str, new_role: Role | None) -> None:
        """The server forbids lowering someone at or above your own level; say so first,
        and never let a session lose its last facilitator."""
        me = self.client.user_id
        if user_id != me and ctx.level(user_id) >= ctx.level(me):
            raise SessionError(
                f"{user_id} has as much power as you ({ctx.level(user_id):g}); "
                "only a creator of the session's rooms can change their role"
            )
        facilitators = {u for u, p in ctx.participants.items() if p.role is Role.FACILITATOR}
        if facilitators == {user_id} and new_role is not Role.FACILITATOR:
            raise SessionError(f"{user_id} is the session's last facilitator")

    async def _apply_levels(self, ctx: _Context) -> None:
        by_role = {u: p.role for u, p in ctx.participants.items()}
        closed = ctx.info.status == "closed"
        rooms = [r.room_id for r in ctx.info.rooms]
        await self.client.put_state(
            ctx.info.space_id,
            "m.room.power_levels",
            roles.power_levels(by_role, ctx.creators, closed, space=True),
        )
        for room_id in rooms:
            levels = roles.power_levels(by_role, ctx.creators, closed)
            await self.client.put_state(room_id, "m.room.power_levels", levels)

    async def _kick_tolerant(self, room_id: str, user_id: str, reason: str) -> None:
        """Take someone out of a room; fine if they are not in it, an error otherwise."""
        member = await self.client.get_state(room_id, "m.room.member", user_id)
        if (member or {}).get("membership") not in ("join", "invite", "knock"):
            return
        try:
            await self.client.kick(room_id, user_id, reason)
        except SendFailed as exc:
            raise SessionError(f"could not remove {user_id} from {room_id}: {exc.detail}") from exc

    # -- the invitee's side --------------------------------------------------------------

    async def join(self, space_id: str) -> list[str]:
        """Accept a session invitation: join the space and every room we were invited to."""
        await self.client.join(space_id)
        info = session_from_state(space_id, await self.client.all_state(space_id))
        joined = []
        for room in info.rooms:
            try:
                await self.client.join(room.room_id)
            except SendFailed as exc:
                if exc.problem is SendProblem.TRANSIENT:
                    raise SessionError(f"joining stopped: {exc.detail}; try again") from exc
                log.info("not joining %s: %s", room.room_id, exc.detail)  # not invited there
                continue
            joined.append(room.room_id)
        return joined


def _plan(bp: Blueprint) -> list[tuple[RoomKind, str]]:
    plan = [(RoomKind.OPERATIONS, ""), (RoomKind.RESTRICTED, "")]
    plan += [(RoomKind.DELEGATION, d.id) for d in bp.delegations]
    return [*plan, (RoomKind.OUTREACH, "")] if bp.outreach else plan


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
