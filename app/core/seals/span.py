"""The chain over a span of a room's timeline, the same on every member's machine.

The archive's own chain (``core/chain.py``) covers each event's source as *this* client
received it, which includes per-recipient data (``unsigned``: age, transaction id,
redaction details) and so differs between members. A seal must be recomputable by any
member, so its chain covers only what the server sends every member alike: the event
id, the sender, the server's timestamp, the type as sent (``m.room.encrypted`` for an
encrypted event: the ciphertext is the same bytes for everyone, readable or not) and the
SHA-256 of the content as sent, in timeline order. Local arrival time, decryption and
status never enter it.

    link(e)  = canonical_json({event_id, sender, origin_server_ts, type, content_sha256})
    head_0   = ""
    head_i   = sha256_hex(head_{i-1} || link(e_i))
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from app.core.canonical_json import canonical_json


def link(source: Mapping[str, Any]) -> bytes:
    """What one event contributes to a seal's chain (from the event as the server sent it)."""
    content = source.get("content")
    return canonical_json(
        {
            "event_id": source.get("event_id"),
            "sender": source.get("sender"),
            "origin_server_ts": source.get("origin_server_ts"),
            "type": source.get("type"),
            "content_sha256": hashlib.sha256(
                canonical_json(content if content is not None else {})
            ).hexdigest(),
        }
    )


def span_head(sources: Iterable[Mapping[str, Any]]) -> tuple[int, str]:
    """(count, head) of the chain over these events, in the order given."""
    head, count = "", 0
    for source in sources:
        head = hashlib.sha256(head.encode("ascii") + link(source)).hexdigest()
        count += 1
    return count, head
