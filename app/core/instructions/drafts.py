"""The instruction lifecycle: what the capital issues, what each delegation has done with it.

An instruction to several delegations travels as one encrypted event in each delegation
room, tied together by a ``ref``. Per delegation it moves issued → received (automatic,
when a delegate's device decrypted it) → acknowledged (a deliberate act) → done, or
unable (with a reason). Everything here is pure: the service feeds it archived events
and the clock, and shows what comes out.

This module: priorities and stages, drafts and their checks, and the content of what
is sent (instructions, acks, requests, clarifications).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core import protocol
from app.core.roles import Role

PRIORITY_ORDER = ("routine", "priority", "immediate", "flash")


#: How long a priority may stay unacknowledged before the board calls it overdue.
ACK_WINDOW_MS: Mapping[str, int] = {
    "flash": 2 * 60_000,
    "immediate": 10 * 60_000,
    "priority": 60 * 60_000,
    "routine": 24 * 60 * 60_000,
}


#: Priorities that raise a desktop notification even when the window is in the background.
ALERT_PRIORITIES = frozenset({"immediate", "flash"})


ISSUERS = frozenset({Role.OFFICIAL, Role.FACILITATOR})


class Stage(enum.StrEnum):
    """Where one instruction stands with one delegation, in lifecycle order."""

    PENDING = "pending"  # still in our outbox (offline, or the server refused it)
    ISSUED = "issued"
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"
    UNABLE = "unable"


STAGE_RANK = {stage: n for n, stage in enumerate(Stage)}


SETTLED = frozenset({Stage.DONE, Stage.UNABLE})


@dataclass(frozen=True, slots=True)
class Draft:
    """An instruction being composed (also what a saved draft holds)."""

    subject: str
    body: str
    priority: str = "routine"
    action: tuple[str, ...] = ()  # delegation ids that must act (and acknowledge)
    info: tuple[str, ...] = ()  # delegation ids informed only
    deadline: int | None = None  # ms since the epoch
    requires_ack: bool = True
    classification: str = ""
    supersedes: str = ""  # ref of the instruction this replaces
    answers: str = ""  # event id of the request this answers
    draft_id: str = ""

    @property
    def addressees(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.action, *self.info)))


def draft_problems(draft: Draft, now_ms: int) -> list[str]:
    """Why a draft cannot be issued yet, as short codes the UI translates."""
    found = []
    if not draft.subject.strip():
        found.append("no_subject")
    if not draft.addressees:
        found.append("no_addressee")
    if draft.priority not in PRIORITY_ORDER:
        found.append("bad_priority")
    if draft.deadline is not None and draft.deadline <= now_ms:
        found.append("deadline_past")
    too_long = (
        len(draft.body) > protocol.MAX_BODY_CHARS // 2
        or len(draft.subject) > 300
        or len(draft.classification) > 64
    )
    if too_long:
        found.append("too_long")
    return found


def saved_draft(saved: Mapping[str, Any]) -> Draft:
    """A draft as kept in the account's instructions document (unknown keys ignored)."""
    fields = set(Draft.__dataclass_fields__)
    found = {k: v for k, v in saved.items() if k in fields}
    found["action"] = tuple(saved.get("action", ()))
    found["info"] = tuple(saved.get("info", ()))
    return Draft(**found)


def new_ref() -> str:
    return uuid.uuid4().hex


def instruction_content(draft: Draft, ref: str) -> dict[str, Any]:
    """The org.openopsroom.instruction content for one delegation room."""
    marking = f"[{draft.classification}] " if draft.classification else ""
    content: dict[str, Any] = {
        "body": f"{marking}{draft.priority.upper()}: {draft.subject}\n\n{draft.body}",
        "subject": draft.subject,
        "priority": draft.priority,
        "requires_ack": draft.requires_ack,
        "ref": ref,
        "action": list(draft.action),
        "info": list(draft.info),
    }
    optional = {
        "deadline": draft.deadline,
        "classification": draft.classification,
        "supersedes": draft.supersedes,
        "answers": draft.answers,
    }
    content.update({k: v for k, v in optional.items() if v})
    return content


def ack_content(instruction_id: str, state: str, note: str = "") -> dict[str, Any]:
    """An org.openopsroom.ack of one instruction event (``m.reference``)."""
    content: dict[str, Any] = {
        "body": f"{state}" + (f": {note}" if note else ""),
        "state": state,
        "m.relates_to": {"rel_type": "m.reference", "event_id": instruction_id},
    }
    if note:
        content["note"] = note
    return content


def request_content(subject: str, body: str, deadline: int | None) -> dict[str, Any]:
    """An org.openopsroom.request: a delegation asks the capital for instructions."""
    content: dict[str, Any] = {"body": f"Request for instructions: {subject}\n\n{body}"}
    content["subject"] = subject
    if deadline:
        content["deadline"] = deadline
    return content


def thread_message(instruction_id: str, text: str) -> dict[str, Any]:
    """A clarification in an instruction's thread (an ordinary message to other clients)."""
    return {
        "msgtype": "m.text",
        "body": text,
        "m.relates_to": {"rel_type": "m.thread", "event_id": instruction_id},
    }
