"""Schemas of the events the app understands, validated in one place.

Content from other clients is untrusted: anything that does not match becomes a
MALFORMED record with a reason, never an exception that escapes the receive path.
Every custom ``org.openopsroom.*`` type is described here and in docs/protocol.md;
change both together and bump PROTOCOL_VERSION.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core import roles
from app.core.records import EventStatus

PROTOCOL_VERSION = "2.1"
NAMESPACE = roles.NS
LATEST_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z: later is no time a clock shows
MAX_EXACT_INT = 2**53  # what every JSON reader holds exactly
MAX_BODY_CHARS = 65_536  # a Matrix event is at most 64 KiB; more text than that is not a message

CRISIS_KIND_ORDER = (
    "evacuation",
    "hostage",
    "escalation",
    "pandemic",
    "disaster",
    "cyber",
    "other",
)
CRISIS_KINDS = frozenset(CRISIS_KIND_ORDER)
SESSION_STATUSES = frozenset({"convening", "convened", "active", "closed"})
ENTRY_KINDS = frozenset({"sitrep", "decision", "statement", "analysis", "media", "rumour"})
VERIFICATION = frozenset(
    {"unverified", "corroborated", "confirmed", "disputed", "false", "retracted"}
)
PRIORITIES = frozenset({"routine", "priority", "immediate", "flash"})
ACK_STATES = frozenset({"received", "acknowledged", "done", "unable"})
CHART_KINDS = frozenset({"timeseries", "bar", "area", "kpi"})
SITREP_STAGES = frozenset({"submitted", "published"})
SITREP_VERDICTS = frozenset({"approved", "returned"})


@dataclass(frozen=True, slots=True)
class Field:
    """One content field: its name, what it holds, and whether it must be there."""

    name: str
    kind: str  # text | int | bool | number | texts | object | tz | choice
    required: bool = True
    max_len: int = 300
    choices: frozenset[str] = frozenset()


def _text(name: str, required: bool = True, max_len: int = 300) -> Field:
    return Field(name, "text", required, max_len)


def _choice(name: str, choices: frozenset[str], required: bool = True) -> Field:
    return Field(name, "choice", required, choices=choices)


_BODY = _text("body", max_len=MAX_BODY_CHARS)

SCHEMAS: Mapping[str, tuple[Field, ...]] = {
    "m.room.message": (_BODY, _text("msgtype", max_len=64)),
    roles.SESSION: (
        _BODY,
        _choice("status", SESSION_STATUSES),
        Field("rooms", "object", required=False),
        _text("label", required=False, max_len=64),  # 1.2: "Session 4821", all state says
        # Up to 1.1 the metadata was state; 1.2 sends it encrypted (roles.SESSION_INFO).
        _text("title", required=False, max_len=200),
        _choice("kind", CRISIS_KINDS, required=False),
        Field("capital_tz", "tz", required=False),
        _text("classification", required=False, max_len=64),
        Field("exercise", "bool", required=False),
    ),
    roles.ROLE: (
        _BODY,
        _choice("role", frozenset(roles.Role)),
        _text("delegation", required=False, max_len=64),
        _text("title", required=False, max_len=200),
        _text("organisation", required=False, max_len=200),
        Field("removed", "bool", required=False),
    ),
    roles.DELEGATION: (
        _BODY,
        _text("id", max_len=64),
        _text("name", required=False, max_len=200),  # 1.2: only the id is state
        _text("location", required=False, max_len=200),
        Field("tz", "tz", required=False),
    ),
    roles.ENTRY: (
        _BODY,
        _choice("kind", ENTRY_KINDS),
        _text("title"),
        Field("sources", "texts", required=False),
        _choice("verification", VERIFICATION, required=False),
        Field("occurred_at", "int", required=False),
        Field("tags", "texts", required=False),
        _text("location", required=False, max_len=200),
    ),
    roles.VERIFICATION: (
        _BODY,
        _choice("status", VERIFICATION),
        _text("reason", max_len=2000),
        Field("m.relates_to", "object"),
    ),
    roles.INSTRUCTION: (
        _BODY,
        _text("subject"),
        _choice("priority", PRIORITIES),
        Field("deadline", "int", required=False),
        Field("requires_ack", "bool"),
        _text("classification", required=False, max_len=64),
        _text("supersedes", required=False, max_len=255),
        _text("ref", required=False, max_len=64),  # one id for the copies to each delegation
        Field("action", "texts", required=False),  # delegation ids that must act
        Field("info", "texts", required=False),  # delegation ids informed only
        _text("answers", required=False, max_len=255),  # the request event this answers
    ),
    roles.REQUEST: (
        _BODY,
        _text("subject"),
        Field("deadline", "int", required=False),
    ),
    roles.ACK: (
        _BODY,
        _choice("state", ACK_STATES),
        _text("note", required=False, max_len=2000),
        Field("m.relates_to", "object"),
    ),
    roles.INDICATOR: (
        _BODY,
        _text("series", max_len=100),
        Field("value", "number"),
        _text("unit", required=False, max_len=32),
        Field("at", "int"),
        _text("region", required=False, max_len=100),
        _text("source", required=False),
    ),
    roles.CHART: (
        _BODY,
        _text("id", required=False, max_len=64),  # 2.x timeline form; 1.x: the state key
        _text("title", max_len=200),
        Field("series", "texts"),
        _choice("kind", CHART_KINDS),
        _text("unit", required=False, max_len=32),
    ),
    # New in 2.0, so only ever carried by an m.room.message (app/core/sitrep/).
    roles.SITREP: (
        _choice("stage", SITREP_STAGES),
        _text("id", max_len=64),
        Field("revision", "number"),
        _text("title", max_len=200),
        Field("sections", "object"),
        _text("unverified", required=False, max_len=MAX_BODY_CHARS),
        Field("since", "int"),
        Field("until", "int"),
        Field("exercise", "bool", required=False),
        _text("author", required=False, max_len=255),
        _text("approved_by", required=False, max_len=255),
    ),
    roles.SITREP_REVIEW: (
        _choice("verdict", SITREP_VERDICTS),
        _text("id", max_len=64),
        _text("comment", required=False, max_len=2000),
        Field("m.relates_to", "object"),
    ),
    # The payload under this key of an m.room.message (1.2): every field optional, a
    # later authorised one overrides what it names (app/core/session/details.py).
    roles.SESSION_INFO: (
        _text("title", required=False, max_len=200),
        _choice("kind", CRISIS_KINDS, required=False),
        Field("capital_tz", "tz", required=False),
        _text("classification", required=False, max_len=64),
        Field("exercise", "bool", required=False),
        Field("people", "object", required=False),
        Field("delegation", "object", required=False),
    ),
}


def _field_problem(field: Field, value: Any) -> str:
    """Why a present value does not fit its field, or '' when it does."""
    kind = field.kind
    if kind in ("text", "choice", "tz"):
        if not isinstance(value, str):
            return "is not text"
        if len(value) > field.max_len:
            return f"is {len(value)} characters, more than {field.max_len}"
        if kind == "choice" and value not in field.choices:
            return f"is {value[:40]!r}, not one of {', '.join(sorted(field.choices))}"
        if kind == "tz" and not is_time_zone(value):
            return f"is {value[:40]!r}, not an IANA time zone"
        return ""
    if kind == "bool":
        return "" if isinstance(value, bool) else "is not true/false"
    if kind == "int":  # every int field is a time in ms since the epoch
        if not isinstance(value, int) or isinstance(value, bool):
            return "is not an integer"
        return "" if 0 <= value <= LATEST_MS else "is not a time between 1970 and 9999"
    if kind == "number":  # JSON allows 10**400; math.isfinite would overflow on it
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "is not a finite number"
        finite = abs(value) <= MAX_EXACT_INT if isinstance(value, int) else math.isfinite(value)
        return "" if finite else "is not a finite number"
    if kind == "texts":
        good = isinstance(value, list) and len(value) <= 50
        good = good and all(isinstance(v, str) and len(v) <= 500 for v in value)
        return "" if good else "is not a list of at most 50 short texts"
    return "" if isinstance(value, Mapping) else "is not an object"


def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def problem(event_type: str, content: Any) -> str:
    """Why content does not fit its type's schema; '' when it does or the type is unknown."""
    if not isinstance(content, Mapping):
        return "content is not an object"
    for field in SCHEMAS.get(event_type, ()):
        if field.name not in content:
            if field.required:
                return f"{field.name} is missing"
            continue
        if content[field.name] is None and not field.required:
            continue
        why = _field_problem(field, content[field.name])
        if why:
            return f"{field.name} {why}"
    return _rule_problem(event_type, content)


def _rule_problem(event_type: str, content: Mapping[str, Any]) -> str:
    """What a schema cannot say: a relation's shape, a reason that must be given."""
    if event_type == roles.ACK:
        relates = content["m.relates_to"]
        if relates.get("rel_type") != "m.reference" or not isinstance(relates.get("event_id"), str):
            return "m.relates_to is not an m.reference to an instruction"
        if content["state"] == "unable" and not str(content.get("note") or "").strip():
            return "an 'unable' acknowledgement must say why in note"
    if event_type == roles.SITREP_REVIEW:
        relates = content["m.relates_to"]
        if relates.get("rel_type") != "m.reference" or not isinstance(relates.get("event_id"), str):
            return "m.relates_to is not an m.reference to a submitted sitrep"
        if content["verdict"] == "returned" and not str(content.get("comment") or "").strip():
            return "a returned sitrep must say why in comment"
    if event_type == roles.VERIFICATION:
        relates = content["m.relates_to"]
        if relates.get("rel_type") != "m.reference" or not isinstance(relates.get("event_id"), str):
            return "m.relates_to is not an m.reference to an entry"
        if not content["reason"].strip():
            return "a verification change must say why in reason"
    return ""


def validate(event_type: str, content: Any) -> tuple[EventStatus, str]:
    """Check one event's content against its schema.

    Returns the status to archive and, when it is MALFORMED, the reason a person can read.
    Unknown types pass: other clients may send anything, and the archive keeps it as is.
    """
    why = problem(event_type, content)
    return (EventStatus.MALFORMED, why) if why else (EventStatus.OK, "")


def text_message(body: str) -> dict[str, Any]:
    """Content of a plain text message, as every Matrix client shows it."""
    return {"msgtype": "m.text", "body": body}


# -- Protocol 2.0: person-facing events travel as m.room.message ----------------------------
# Element, Element X and Nheko hide custom event types, so the events a person must read
# (and may answer) are sent as m.room.message with a readable body, the structured payload
# under its org.openopsroom.* key. Indicators and charts stay custom types: no one reads
# them as text. Both forms are read as the same record (see ``recorded``).

CARRIED = (
    roles.INSTRUCTION,
    roles.ACK,
    roles.REQUEST,
    roles.ENTRY,
    roles.VERIFICATION,
    roles.SITREP,
    roles.SITREP_REVIEW,
)
SENT_AS = NAMESPACE + "message"  # where a 2.0 record keeps the message other clients showed
HTML = "org.matrix.custom.html"


def carried_message(
    event_type: str,
    payload: Mapping[str, Any],
    lead: str,
    text: str = "",
    *,
    tail: str = "",
    notice: bool = False,
) -> dict[str, Any]:
    """The 2.0 form of a person-facing event: a message any client shows (``lead`` in bold,
    then ``text``, then ``tail`` in italics), with ``payload`` (the 1.x content) under its
    type's key. A relation stays outside, where the server and other clients see it."""
    parts = [p for p in (lead, text, tail) if p]
    markup = [f"<strong>{_html(lead)}</strong>", _html(text), f"<em>{_html(tail)}</em>"]
    content: dict[str, Any] = {
        "msgtype": "m.notice" if notice else "m.text",
        "body": "\n\n".join(parts),
        "format": HTML,
        "formatted_body": "".join(
            f"<p>{m}</p>" for m, p in zip(markup, (lead, text, tail), strict=True) if p
        ),
        event_type: {k: v for k, v in payload.items() if k != "m.relates_to"},
    }
    if "m.relates_to" in payload:
        content["m.relates_to"] = payload["m.relates_to"]
    return content


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def recorded(event_type: str, content: Any) -> tuple[str, Any]:
    """The type and content an event is recorded and checked as.

    A message carrying one of the ``CARRIED`` keys is that event (the first key in
    ``CARRIED`` order if it carries several): its payload, the message's relation, and
    the message itself under ``SENT_AS``. Anything else is recorded as it came."""
    if event_type != "m.room.message" or not isinstance(content, Mapping):
        return event_type, content
    carried = next((t for t in CARRIED if t in content), None)
    if carried is None:
        return event_type, content
    payload = content[carried]
    flat = dict(payload) if isinstance(payload, Mapping) else {}
    flat.pop("m.relates_to", None)  # only the relation the server saw counts
    if "m.relates_to" in content:
        flat["m.relates_to"] = content["m.relates_to"]
    flat[SENT_AS] = {k: v for k, v in content.items() if k not in CARRIED}
    return carried, flat
