"""Schemas of the events the app understands, validated in one place.

Content from other clients is untrusted: anything that does not match becomes a
MALFORMED record with a reason, never an exception that escapes the receive path.
Custom ``org.openopsroom.*`` types join this table as their issues land.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.core.records import EventStatus

PROTOCOL_VERSION = "0.1"
NAMESPACE = "org.openopsroom."
MAX_BODY_CHARS = 65_536  # a Matrix event is at most 64 KiB; more text than that is not a message

Validator = Callable[[Mapping[str, Any]], str]


def _text_message(content: Mapping[str, Any]) -> str:
    body = content.get("body")
    if not isinstance(body, str):
        return "body is missing or not text"
    if len(body) > MAX_BODY_CHARS:
        return f"body is {len(body)} characters, more than {MAX_BODY_CHARS}"
    if not isinstance(content.get("msgtype"), str):
        return "msgtype is missing or not text"
    return ""


_VALIDATORS: dict[str, Validator] = {
    "m.room.message": _text_message,
}


def validate(event_type: str, content: Any) -> tuple[EventStatus, str]:
    """Check one event's content against its schema.

    Returns the status to archive and, when it is MALFORMED, the reason a person can read.
    Unknown types pass: other clients may send anything, and the archive keeps it as is.
    """
    if not isinstance(content, Mapping):
        return EventStatus.MALFORMED, "content is not an object"
    check = _VALIDATORS.get(event_type)
    problem = check(content) if check else ""
    return (EventStatus.MALFORMED, problem) if problem else (EventStatus.OK, "")


def text_message(body: str) -> dict[str, Any]:
    """Content of a plain text message, as every Matrix client shows it."""
    return {"msgtype": "m.text", "body": body}
