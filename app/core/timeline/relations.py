"""How Matrix events point at each other: edits, replies, threads, redactions, pins.

Pure reading rules for content from any client; anything that does not fit is simply no
relation (the event is still shown as itself, and the archive keeps it as sent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.records import RoomEvent

EDIT, THREAD, REFERENCE = "m.replace", "m.thread", "m.reference"
PINNED = "m.room.pinned_events"


@dataclass(frozen=True, slots=True)
class Relation:
    kind: str  # m.replace | m.thread | reply | m.reference
    target: str  # the event pointed at


def relation_of(content: Mapping[str, Any]) -> Relation | None:
    """An event's relation, the reply of a threaded reply counting as its thread."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, Mapping):
        return None
    kind, target = relates.get("rel_type"), relates.get("event_id")
    if isinstance(kind, str) and isinstance(target, str) and target:
        return Relation(kind, target)
    reply = relates.get("m.in_reply_to")
    if isinstance(reply, Mapping) and isinstance(reply.get("event_id"), str):
        return Relation("reply", reply["event_id"])
    return None


def edited_body(content: Mapping[str, Any]) -> str | None:
    """The new text of an edit (``m.new_content``), or None if it carries none."""
    new = content.get("m.new_content")
    body = new.get("body") if isinstance(new, Mapping) else None
    return body if isinstance(body, str) else None


def redacted_id(event: RoomEvent) -> str | None:
    """The event a redaction removes (``content.redacts`` since room v11, else top level).

    Only a redaction the server itself saw counts: one hidden inside an encrypted event
    escaped the server's power-level check, so anyone could "remove" anything with it."""
    if event.type != "m.room.redaction" or event.source.get("type") != "m.room.redaction":
        return None
    target = event.content.get("redacts") or event.source.get("redacts")
    return target if isinstance(target, str) else None


def pinned_ids(content: Mapping[str, Any]) -> tuple[str, ...]:
    pinned = content.get("pinned")
    return tuple(p for p in pinned if isinstance(p, str)) if isinstance(pinned, list) else ()


def reply_content(root: str, answered: str, body: str) -> dict[str, Any]:
    """A text message in the thread of ``root`` answering ``answered``; clients without
    threads see it as a reply (the spec's fallback)."""
    return {
        "msgtype": "m.text",
        "body": body,
        "m.relates_to": {
            "rel_type": THREAD,
            "event_id": root,
            "is_falling_back": answered == root,
            "m.in_reply_to": {"event_id": answered},
        },
    }


def edit_content(original: str, body: str) -> dict[str, Any]:
    """An edit of a text message (clients without edits show the ``* new text`` fallback)."""
    new = {"msgtype": "m.text", "body": body}
    return {
        **new,
        "body": f"* {body}",
        "m.new_content": new,
        "m.relates_to": {"rel_type": EDIT, "event_id": original},
    }
