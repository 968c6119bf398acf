"""Who is in which room of a session, with which role: invitations, kicks, role states.

Convening and re-roling both need these steps, and both must keep the membership lock
of DESIGN.md the same way: a participant is invited only to the rooms their role
entitles them to, and what the server keeps (the invitation's reason) names neither the
session, the role nor the delegation.
"""

from __future__ import annotations

from dataclasses import replace

from app.core import roles
from app.core.errors import SendFailed
from app.core.roles import RoomKind
from app.core.session import (
    Participant,
    SessionInfo,
    entitled_rooms,
    invite_reason,
    role_content,
    role_key,
)
from app.matrix import MatrixClient
from app.services.sessions.errors import SessionError


async def refuse_strangers(client: MatrixClient, user_ids: list[str]) -> None:
    """Before anything is created: every invitee must be an account the server knows."""
    try:
        unknown = [u for u in user_ids if not await client.user_exists(u)]
    except SendFailed as exc:
        raise SessionError(f"could not look up the participants: {exc.detail}") from exc
    if unknown:
        raise SessionError(f"no such user on the server: {', '.join(unknown)}")


async def write_role(
    client: MatrixClient, info: SessionInfo, p: Participant, removed: bool = False
) -> None:
    """The role in the space for everyone; a delegate's delegation only in its room."""
    if p.delegation and (room := info.room(RoomKind.DELEGATION, p.delegation)):
        content = role_content(p, removed)
        await client.put_state(room, roles.ROLE, content, role_key(p.user_id))
    public = replace(p, delegation="")
    await client.put_state(
        info.space_id, roles.ROLE, role_content(public, removed), role_key(p.user_id)
    )


async def invite_where_entitled(client: MatrixClient, info: SessionInfo, p: Participant) -> None:
    # The server keeps the reason: it names neither session, role nor delegation.
    await _invite_tolerant(client, info.space_id, p.user_id, invite_reason())
    for room in entitled_rooms(info, p):
        await _invite_tolerant(client, room.room_id, p.user_id, invite_reason())


async def _invite_tolerant(client: MatrixClient, room_id: str, user_id: str, reason: str) -> None:
    """Invite; someone already invited or joined is fine, anything else is reported."""
    try:
        await client.invite(room_id, user_id, reason)
    except SendFailed as exc:
        if "already in the room" in exc.detail or "is already joined" in exc.detail:
            return
        raise SessionError(f"could not invite {user_id}: {exc.detail}") from exc


async def kick_tolerant(client: MatrixClient, room_id: str, user_id: str, reason: str) -> None:
    """Take someone out of a room; fine if they are not in it, an error otherwise."""
    member = await client.get_state(room_id, "m.room.member", user_id)
    if (member or {}).get("membership") not in ("join", "invite", "knock"):
        return
    try:
        await client.kick(room_id, user_id, reason)
    except SendFailed as exc:
        raise SessionError(f"could not remove {user_id} from {room_id}: {exc.detail}") from exc
