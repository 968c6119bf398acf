"""Turn nio's event objects into the app's plain RoomEvent records.

nio decrypts Megolm events in place; the ciphertext the server sent is kept by the
client (see ``MatrixClient.decrypt_event``) so the archive's hash chain is computed
over what the server really delivered, whether or not the key was there yet.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from nio import BadEvent, Event, MegolmEvent, UnknownBadEvent

from app.core import protocol
from app.core.identifiers import is_server_id
from app.core.records import EventStatus, RoomEvent


def _transaction_id(source: Mapping[str, Any]) -> str | None:
    unsigned = source.get("unsigned")
    txn = unsigned.get("transaction_id") if isinstance(unsigned, Mapping) else None
    return txn if isinstance(txn, str) else None


LOCAL_ID_PREFIX = "local:"  # a row's own id when the server gave none: never a "$" id


def server_id(value: object) -> str | None:
    """The event id as the server sent it, if it is one (``is_server_id``). Anything
    else cannot be looked up on the server, and as a row's key would collide (every
    id-less event is "", and the archive keeps one row per id)."""
    return value if isinstance(value, str) and is_server_id(value) else None


# What an event is, the same at every delivery: ``unsigned`` is filled per delivery
# (``age``, relations, ``redacted_because``), and ``room_id`` is in a page of history but
# not in a sync's timeline (the room is given separately, as ``local_id``'s argument).
# A junk ``event_id`` is kept: two junk events differing only by it stay two rows.
_IDENTITY_KEYS = ("type", "sender", "content", "origin_server_ts", "state_key", "redacts")


def local_id(room_id: str, source: Mapping[str, Any]) -> str:
    """A stable id for an event the server sent without a usable one: the same event
    delivered again, by a sync or a page of history, is the same row (nothing twice),
    two different ones are two rows (nothing lost), and it never looks like an id the
    server knows, so it is never a start scroll-back asks the server about
    (``Archive.oldest_event_id``)."""
    kept = {key: source[key] for key in (*_IDENTITY_KEYS, "event_id") if key in source}
    text = json.dumps([room_id, kept], sort_keys=True, ensure_ascii=True, default=repr)
    return LOCAL_ID_PREFIX + hashlib.sha256(text.encode("ascii")).hexdigest()


def _storable(content: Mapping[str, Any]) -> bool:
    """Plaintext from another client may hold NaN or lone surrogates, which JSON text and
    UTF-8 cannot carry; such content is kept as malformed rather than failing the batch."""
    try:
        json.dumps(content, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError):
        return False
    return True


def to_record(
    event: Event | UnknownBadEvent, room_id: str, server_source: Mapping[str, Any]
) -> RoomEvent:
    """Build the archive record of one timeline or state event; never raises on bad content."""
    plain = event.source if isinstance(event.source, Mapping) else {}
    event_type = plain.get("type") if isinstance(plain.get("type"), str) else "unknown"
    content = plain.get("content") if isinstance(plain.get("content"), Mapping) else {}
    # The state key comes from the envelope the server saw, never from decrypted plaintext:
    # an encrypted event that claims to be state would otherwise rewrite our room state.
    state_key = server_source.get("state_key")
    state_key = state_key if isinstance(state_key, str) else None
    if isinstance(event, MegolmEvent):
        status, note = EventStatus.UNDECRYPTED, "waiting for the room key"
    elif isinstance(event, BadEvent | UnknownBadEvent):
        status = EventStatus.MALFORMED  # a payload nio could not read says why (GuardedOlm)
        note = getattr(event, "reason", "") or "the event does not follow the Matrix schema"
    elif server_source.get("type") == "m.room.encrypted" and "state_key" in plain:
        status, note = EventStatus.MALFORMED, "an encrypted event cannot carry room state"
    elif not _storable(content):
        status, note = EventStatus.MALFORMED, "content holds non-finite numbers or broken text"
        content = {}
    else:
        try:
            # A 2.0 message carrying a payload is recorded and checked as its event.
            event_type, checked = protocol.recorded(event_type, plain.get("content"))
            status, note = protocol.validate(event_type, checked)
            content = checked if isinstance(checked, Mapping) else content
        except Exception as exc:  # a schema check must never stop the sync loop
            status, note = EventStatus.MALFORMED, f"content not checkable: {type(exc).__name__}"
    ts = plain.get("origin_server_ts")
    record = RoomEvent(
        event_id=server_id(plain.get("event_id")) or "",
        room_id=room_id,
        sender=str(plain.get("sender", "")),
        type=event_type,
        origin_ts=ts if isinstance(ts, int) else 0,
        content=content,
        state_key=state_key,
        txn_id=_transaction_id(server_source) or _transaction_id(plain),
        status=status,
        note=note,
        source=server_source,
    )
    if record.event_id:
        return record
    return replace(
        record,
        event_id=local_id(room_id, server_source),
        status=EventStatus.MALFORMED,
        note="the event has no valid event id" + (f"; {note}" if note else ""),
    )
