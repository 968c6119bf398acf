"""Convening a session: the space, its rooms with their power levels, roles, invitations.

Why its own module: convening is the one long step that creates things on the server,
and it must leave something closable if it stops half-way. The session state is written
first (status 'convening') and kept up to date room by room; the names it gives the
server (``Session 1234 · Operations``) say nothing of the crisis.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from app.core import protocol, roles
from app.core.errors import SendFailed
from app.core.roles import Role, RoomKind
from app.core.session import (
    Blueprint,
    Participant,
    SessionInfo,
    SessionRoom,
    info_payload,
    session_content,
    with_keeper,
)
from app.matrix import MatrixClient
from app.services.sessions.errors import SessionError
from app.services.sessions.membership import (
    invite_where_entitled,
    refuse_strangers,
    write_role,
)
from app.services.sessions.publish import Send, publish_convened
from app.services.sessions.server_state import creators as creators_of

ROOM_NAMES = {
    RoomKind.OPERATIONS: "Operations",
    RoomKind.RESTRICTED: "Restricted",
    RoomKind.OUTREACH: "Outreach",
}


async def convene(client: MatrixClient, send: Send, bp: Blueprint) -> SessionInfo:
    """Create the space and its rooms, set roles and power levels, send the invitations;
    the encrypted details go out through ``send``."""
    me, bp = client.user_id, with_keeper(bp)  # the ministry's keeper, if any
    if why := protocol.problem(roles.SESSION_INFO, info_payload(bp, bp.participants)):
        raise SessionError(f"the blueprint does not fit the protocol's limits: {why}")
    await refuse_strangers(client, [p.user_id for p in bp.participants if p.user_id != me])
    people = {p.user_id: p for p in bp.participants}
    people[me] = replace(people.get(me, Participant(me, Role.FACILITATOR)), role=Role.FACILITATOR)
    label = f"Session {secrets.randbelow(9000) + 1000}"  # says nothing of the crisis
    space = await client.create_room(label, space=True)
    creators = creators_of(await client.all_state(space))
    by_role = {u: p.role for u, p in people.items()}
    await client.put_state(
        space, "m.room.power_levels", roles.power_levels(by_role, creators, space=True)
    )
    rooms: list[SessionRoom] = []
    await client.put_state(space, roles.SESSION, session_content(label, "convening", rooms))
    try:
        for kind, delegation in _plan(bp):
            levels = roles.power_levels(by_role, creators)
            rooms.append(await _create_room(client, bp, space, (label, kind, delegation), levels))
            await client.put_state(space, roles.SESSION, session_content(label, "convening", rooms))
    except SendFailed as exc:
        raise SessionError(
            f"convening stopped after {len(rooms)} room(s): {exc.detail}. The partial "
            f"session {space} is marked 'convening'; close it and convene again."
        ) from exc
    content = session_content(label, "convened", rooms)
    await client.put_state(space, roles.SESSION, content)
    info = SessionInfo(
        space, bp.title, bp.kind, "convened", bp.capital_tz, bp.classification,
        bp.exercise, tuple(rooms), bp.delegations, details_known=True,
    )  # fmt: skip
    for participant in people.values():
        await write_role(client, info, participant)
        if participant.user_id != me:
            await invite_where_entitled(client, info, participant)
    # After the invitations: the room keys then reach the invited members too.
    await publish_convened(send, info, bp, people.values())
    return info


async def _create_room(
    client: MatrixClient,
    bp: Blueprint,
    space: str,
    where: tuple[str, RoomKind, str],
    power_levels: dict[str, Any],
) -> SessionRoom:
    via = {"via": [client.user_id.split(":", 1)[1]]}
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
    room_id = await client.create_room(
        name,
        encrypted=kind is not RoomKind.OUTREACH or bp.outreach_encrypted,
        initial_state=initial,
        power_levels=power_levels,
    )
    await client.put_state(space, "m.space.child", via, state_key=room_id)
    return SessionRoom(kind, room_id, delegation)


def _plan(bp: Blueprint) -> list[tuple[RoomKind, str]]:
    plan = [(RoomKind.OPERATIONS, ""), (RoomKind.RESTRICTED, "")]
    plan += [(RoomKind.DELEGATION, d.id) for d in bp.delegations]
    return [*plan, (RoomKind.OUTREACH, "")] if bp.outreach else plan
