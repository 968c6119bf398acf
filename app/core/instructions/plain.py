"""Instructions, acks and requests as any Matrix client shows them (protocol 2.0), and
the plain replies such a client can answer with.

A delegate may read the room on Element or Nheko, which hide custom event types: every
instruction, ack and request is therefore an ``m.room.message`` whose body says what it
is and how to answer, and a reply whose whole text is an ack word counts as that ack.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.core import protocol, roles
from app.core.instructions.drafts import Stage

MARKS = {"flash": "⚡", "immediate": "❗", "priority": "🔶", "routine": "📄"}
STAGE_MARKS = {"received": "📥", "acknowledged": "👍", "done": "✅", "unable": "⛔"}
REPLY_HINT = (
    "Reply 'acknowledged', 'done' or 'unable: <reason>' "
    "(بالعربية: تم الإقرار، تم التنفيذ، تعذّر: <السبب>)."
)

# Whole replies that count as an ack, compared without case, Arabic marks or final
# punctuation. ``unable`` needs a reason after a colon: "unable: no quorum".
REPLY_WORDS: Mapping[str, Stage] = {
    "received": Stage.RECEIVED,
    "acknowledged": Stage.ACKNOWLEDGED,
    "done": Stage.DONE,
    "تم الاستلام": Stage.RECEIVED,
    "تم الاقرار": Stage.ACKNOWLEDGED,  # تم الإقرار: hamza folded, see _plain
    "علم": Stage.ACKNOWLEDGED,
    "تم التنفيذ": Stage.DONE,
}
UNABLE_WORDS = ("unable", "تعذر")  # تعذّر without its shadda


def _utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%d %b %H:%M UTC")


def instruction_message(
    content: Mapping[str, Any], delegation: str, delegation_name: str, text: str
) -> dict[str, Any]:
    """The 2.0 message of the copy for one delegation (``content`` is its 1.x content)."""
    priority = str(content["priority"])
    marking = f"[{content['classification']}] " if content.get("classification") else ""
    action = content.get("action")
    acting = not action or delegation in action
    kind = "instruction to" if acting else "for information to"
    lead = (
        f"{MARKS.get(priority, '')} {marking}{priority.upper()} {kind} {delegation_name}: "
        f"{content['subject']}"
    ).strip()
    tail = []
    if content.get("deadline"):
        tail.append(f"Deadline {_utc(int(content['deadline']))}.")
    if acting:
        tail.append(REPLY_HINT)
    return protocol.carried_message(roles.INSTRUCTION, content, lead, text, tail=" ".join(tail))


def ack_message(content: Mapping[str, Any], delegation_name: str, subject: str) -> dict[str, Any]:
    """The 2.0 message of an ack: a notice (nobody answers it) naming the instruction."""
    state = str(content["state"])
    lead = f"{STAGE_MARKS.get(state, '')} {delegation_name}: {state} — {subject}".strip()
    note = str(content.get("note") or "")
    return protocol.carried_message(roles.ACK, content, lead, note, notice=True)


def request_message(content: Mapping[str, Any], delegation_name: str, text: str) -> dict[str, Any]:
    """The 2.0 message of a delegation's request for instructions."""
    lead = f"❓ Request for instructions from {delegation_name}: {content['subject']}"
    deadline = content.get("deadline")
    tail = f"Answer needed by {_utc(int(deadline))}." if deadline else ""
    return protocol.carried_message(roles.REQUEST, content, lead, text, tail=tail)


def _own_text(body: str) -> str:
    """A reply's own text, without the quoted fallback ("> <@user> ...", a blank line)."""
    lines = body.strip().splitlines()
    while lines and (lines[0].startswith(">") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip()


def _folded(text: str) -> str:
    """Words as compared: one space, no case, no Arabic marks or hamza, no final dot."""
    words = " ".join(text.split()).casefold()
    words = "".join(c for c in words if unicodedata.category(c) != "Mn")
    return words.translate(str.maketrans("أإآ", "ااا")).rstrip(".!،")


def replied_to(content: Mapping[str, Any]) -> str:
    """The event a message answers: a thread's root, else the event it replies to."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, Mapping):
        return ""
    if relates.get("rel_type") == "m.thread":
        target = relates.get("event_id")
    else:
        reply = relates.get("m.in_reply_to")
        target = reply.get("event_id") if isinstance(reply, Mapping) else None
    return target if isinstance(target, str) else ""


def reply_ack(content: Mapping[str, Any]) -> tuple[str, Stage, str] | None:
    """(answered event, stage, note) when a plain message is an ack reply, else None."""
    target, body = replied_to(content), content.get("body")
    if not target or not isinstance(body, str) or content.get("msgtype") != "m.text":
        return None
    own = _own_text(body)
    words = _folded(own)
    if words in REPLY_WORDS:
        return target, REPLY_WORDS[words], ""
    head, colon, reason = words.partition(":")
    if head.strip() in UNABLE_WORDS and colon and reason.strip():
        return target, Stage.UNABLE, own.partition(":")[2].strip()  # as written, not folded
    return None
