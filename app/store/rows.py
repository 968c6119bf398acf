"""Archive rows to records: one mapping whichever way a row was read.

The store reads through SQLAlchemy, and the start-up's room list through the DB-API
driver alone (``app.store.peek``); both hand their rows here, so a room or an event
shown before SQLAlchemy has loaded is the same record as one read after. A row is
anything with the columns as attributes (a SQLAlchemy ``Row``, a named tuple).
"""

from __future__ import annotations

from typing import Any

from app.core.records import EventStatus, OutboxItem, OutboxState, RoomEvent, RoomSummary
from app.store.jsontext import parse_json

# The columns each mapping reads, in the order ``app.store.peek`` selects them.
SUMMARY_COLUMNS = ("room_id", "name", "encrypted", "is_space", "last_ts")
EVENT_COLUMNS = (
    "event_id",
    "room_id",
    "sender",
    "type",
    "origin_ts",
    "content",
    "state_key",
    "txn_id",
    "status",
    "note",
    "source",
)
STATE_COLUMNS = EVENT_COLUMNS[:7]  # a current-state row: the event without status, note, source
OUTBOX_COLUMNS = (
    "txn_id",
    "room_id",
    "event_type",
    "content",
    "state",
    "created_at",
    "event_id",
    "error",
)


def _event_fields(row: Any) -> dict[str, Any]:
    """What an archived event row and a current-state row both hold."""
    return {
        "event_id": row.event_id,
        "room_id": row.room_id,
        "sender": row.sender,
        "type": row.type,
        "origin_ts": row.origin_ts,
        "content": parse_json(row.content),
        "state_key": row.state_key,
    }


def to_event(row: Any) -> RoomEvent:
    return RoomEvent(
        **_event_fields(row),
        txn_id=row.txn_id,
        status=EventStatus(row.status),
        note=row.note,
        source=parse_json(row.source),
    )


def to_state_event(row: Any) -> RoomEvent:
    """A room's current state as ``room_state`` keeps it: the event without the archive's
    status, note and source (those stay on the event's own row)."""
    return RoomEvent(**_event_fields(row))


def to_summary(row: Any, left: bool) -> RoomSummary:
    """``left``: the room is among those the account left (``app.store.archive.left``)."""
    return RoomSummary(
        room_id=row.room_id,
        name=row.name,
        encrypted=bool(row.encrypted),
        is_space=bool(row.is_space),
        last_ts=row.last_ts,
        left=left,
    )


def to_outbox_item(row: Any) -> OutboxItem:
    return OutboxItem(
        txn_id=row.txn_id,
        room_id=row.room_id,
        event_type=row.event_type,
        content=parse_json(row.content),
        state=OutboxState(row.state),
        created_at=row.created_at,
        event_id=row.event_id,
        error=row.error,
    )
