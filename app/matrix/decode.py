"""Turn nio's event objects into the app's plain RoomEvent records.

nio decrypts Megolm events in place; the ciphertext the server sent is kept by the
client (see ``MatrixClient.decrypt_event``) so the archive's hash chain is computed
over what the server really delivered, whether or not the key was there yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nio import BadEvent, Event, MegolmEvent, UnknownBadEvent

from app.core import protocol
from app.core.records import EventStatus, RoomEvent


def _transaction_id(source: Mapping[str, Any]) -> str | None:
    unsigned = source.get("unsigned")
    txn = unsigned.get("transaction_id") if isinstance(unsigned, Mapping) else None
    return txn if isinstance(txn, str) else None


def to_record(
    event: Event | UnknownBadEvent, room_id: str, server_source: Mapping[str, Any]
) -> RoomEvent:
    """Build the archive record of one timeline or state event; never raises on bad content."""
    plain = event.source if isinstance(event.source, Mapping) else {}
    event_type = plain.get("type") if isinstance(plain.get("type"), str) else "unknown"
    content = plain.get("content")
    state_key = plain.get("state_key") if isinstance(plain.get("state_key"), str) else None
    if isinstance(event, MegolmEvent):
        status, note = EventStatus.UNDECRYPTED, "waiting for the room key"
    elif isinstance(event, BadEvent | UnknownBadEvent):
        status, note = EventStatus.MALFORMED, "the event does not follow the Matrix schema"
    else:
        status, note = protocol.validate(event_type, content)
    ts = plain.get("origin_server_ts")
    return RoomEvent(
        event_id=str(plain.get("event_id", "")),
        room_id=room_id,
        sender=str(plain.get("sender", "")),
        type=event_type,
        origin_ts=ts if isinstance(ts, int) else 0,
        content=content if isinstance(content, Mapping) else {},
        state_key=state_key,
        txn_id=_transaction_id(server_source) or _transaction_id(plain),
        status=status,
        note=note,
        source=server_source,
    )
