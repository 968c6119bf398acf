"""Crisis sessions: convene, invite with roles, re-role, remove, close, join.

Both locks of DESIGN.md are set here and in the modules beside it. Membership: a
participant is invited only to the rooms their role entitles them to (an influencer
never to restricted or delegation rooms; ``membership.py``). Power levels: every room
names every custom type, and each participant's level follows their role; closing raises
every type to the facilitator's level.

The server learns little (protocol 1.2): names, topics and invitations are neutral, and
what the session is about is sent encrypted (``publish.py``). This module is the facade
the app and the command line use; convening is in ``convene.py``, reading the server's
state in ``server_state.py``.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from app.core import roles
from app.core.errors import SendFailed, SendProblem
from app.core.roles import Role
from app.core.session import Blueprint, Participant, Roster, SessionInfo, entitled_rooms
from app.matrix import MatrixClient
from app.services.sessions.convene import convene
from app.services.sessions.errors import SessionError
from app.services.sessions.membership import (
    invite_where_entitled,
    kick_tolerant,
    refuse_strangers,
    write_role,
)
from app.services.sessions.publish import Outboxed, Send, direct_sender, publish_person
from app.services.sessions.server_state import (
    LiveSession,
    load_roster,
    load_session,
    session_from_state,
)

log = logging.getLogger(__name__)


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

    async def convene(self, bp: Blueprint) -> SessionInfo:
        """Create the space and its rooms, set roles and power levels, send the invitations.

        The session state is written first (status 'convening') and kept up to date room
        by room, so a convene that fails half-way leaves a session that can be closed.
        """
        return await convene(self.client, self._send, bp)

    async def roster(self, space_id: str) -> Roster:
        return await load_roster(self.client, space_id)

    # -- changes -------------------------------------------------------------------------

    async def invite(self, space_id: str, p: Participant) -> None:
        """Add a participant with a role; invited to the rooms that role entitles them to."""
        await self.set_role(space_id, p, adding=True)

    async def set_role(self, space_id: str, p: Participant, *, adding: bool = False) -> None:
        """(Re-)role a participant: power levels everywhere and memberships to match.

        The role state is written last, so a failure half-way never leaves the roster
        claiming a role the power levels and memberships do not have.
        """
        ctx = await load_session(self.client, space_id)
        _refuse_if_closed(ctx.info)
        if adding and p.user_id in ctx.participants:
            raise SessionError(f"{p.user_id} is already a participant: change their role instead")
        if adding:
            await refuse_strangers(self.client, [p.user_id])
        if not adding and p.user_id not in ctx.participants:
            raise SessionError(f"{p.user_id} is not a participant: invite them first")
        self._may_change(ctx, p.user_id, p.role)
        if p.role is Role.DELEGATE and p.delegation not in {d.id for d in ctx.info.delegations}:
            raise SessionError(
                f"a delegate needs one of the session's delegations, not '{p.delegation}'"
            )
        participants = {**ctx.participants, p.user_id: p}
        await self._apply_levels(replace(ctx, participants=participants))
        await invite_where_entitled(self.client, ctx.info, p)
        keep = {r.room_id for r in entitled_rooms(ctx.info, p)}
        old = ctx.participants.get(p.user_id)
        if old is not None and old.delegation and old.delegation != p.delegation:
            # off the old delegation's roll
            await write_role(self.client, ctx.info, old, removed=True)
        for room in ctx.info.rooms:
            if room.room_id not in keep:
                await kick_tolerant(self.client, room.room_id, p.user_id, "role changed")
        await write_role(self.client, ctx.info, p)
        await publish_person(self._send, ctx.info, p)

    async def remove(self, space_id: str, user_id: str) -> None:
        """Take a participant out of every room; their role state records the removal.

        Repeating it is safe: someone already removed is taken out again where needed.
        """
        ctx = await load_session(self.client, space_id)
        if user_id not in ctx.recorded:
            raise SessionError(f"{user_id} is not a participant of this session")
        self._may_change(ctx, user_id, None)
        old = ctx.participants.pop(user_id, None) or Participant(user_id, Role.OBSERVER)
        await self._apply_levels(ctx)
        for room_id in [space_id, *(r.room_id for r in ctx.info.rooms)]:
            await kick_tolerant(self.client, room_id, user_id, "removed from the session")
        await write_role(self.client, ctx.info, old, removed=True)

    async def close(self, space_id: str) -> None:
        """Status closed; every room read-only for all but facilitators; the record stays."""
        ctx = await load_session(self.client, space_id)
        if ctx.info.status == "closed":
            return
        state = await self.client.get_state(space_id, roles.SESSION) or {}
        closed = {**state, "status": "closed", "body": f"{ctx.info.title} (closed)"}
        await self._apply_levels(replace(ctx, info=replace(ctx.info, status="closed")))
        await self.client.put_state(space_id, roles.SESSION, closed)

    def _may_change(self, ctx: LiveSession, user_id: str, new_role: Role | None) -> None:
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

    async def _apply_levels(self, ctx: LiveSession) -> None:
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


def _refuse_if_closed(info: SessionInfo) -> None:
    if info.status == "closed":
        raise SessionError(f"the session '{info.title}' is closed")
