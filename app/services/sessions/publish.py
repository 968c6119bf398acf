"""Sending a session's encrypted details (protocol 1.2) to the rooms that may know them.

The details go only into encrypted rooms: an outreach room the facilitator opened would
hand them to the server. A delegation's name, place and zone go only into its own room.
In the app every send goes through the account's persisted outbox; the command line,
which runs no outbox, sends directly with a stable transaction id per message.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

from app.core.errors import SendFailed, SendProblem
from app.core.records import OutboxItem
from app.core.roles import RoomKind
from app.core.session import (
    Blueprint,
    Participant,
    SessionInfo,
    info_message,
    info_payload,
)
from app.matrix import MatrixClient

log = logging.getLogger(__name__)
Send = Callable[[str, str, Mapping[str, Any]], Awaitable[Any]]
DIRECT_ATTEMPTS = 5


class Outboxed(Protocol):
    """A running account: its client and its persisted outbox."""

    @property
    def client(self) -> MatrixClient: ...

    async def send(self, room_id: str, event_type: str, content: Mapping[str, Any]) -> Any: ...


def direct_sender(client: MatrixClient) -> Send:
    """For the command line: send now, syncing first when nio does not know the room yet
    (a room made a moment ago). Each message keeps one transaction id across attempts,
    so the server stores it once."""

    async def send(room_id: str, event_type: str, content: Mapping[str, Any]) -> None:
        item = OutboxItem(f"oor-{uuid.uuid4().hex}", room_id, event_type, dict(content))
        since: str | None = None  # each retry syncs on from the last: Synapse answers a
        # repeated identical initial sync from its cache (up to 2 min old), without the room
        for attempt in range(DIRECT_ATTEMPTS):
            try:
                await client.send(item)
                return
            except SendFailed as exc:
                if exc.problem is not SendProblem.TRANSIENT or attempt == DIRECT_ATTEMPTS - 1:
                    raise
                log.info("details for %s wait for a sync: %s", room_id, exc.detail)
                since = (await client.sync(since, 0)).next_batch

    return send


def encrypted_rooms(info: SessionInfo, open_outreach: bool) -> list[tuple[str, str]]:
    """(room id, delegation id) of the session's rooms the details may go to."""
    return [
        (r.room_id, r.delegation)
        for r in info.rooms
        if not (r.kind is RoomKind.OUTREACH and open_outreach)
    ]


async def publish_convened(
    send: Send, info: SessionInfo, bp: Blueprint, people: Iterable[Participant]
) -> None:
    """Everything about the session, in each encrypted room; a delegation's own details
    only in its room."""
    people = list(people)
    delegations = {d.id: d for d in bp.delegations}
    for room_id, delegation in encrypted_rooms(info, not bp.outreach_encrypted):
        payload = info_payload(bp, people, delegations.get(delegation))
        await send(room_id, "m.room.message", info_message(payload))


async def publish_person(send: Send, info: SessionInfo, p: Participant) -> None:
    """A participant's title and organisation, after an invitation or a change of role:
    in the operations room, where everyone is."""
    operations = info.room(RoomKind.OPERATIONS)
    if operations is not None:
        await send(operations, "m.room.message", info_message(info_payload(None, [p])))
