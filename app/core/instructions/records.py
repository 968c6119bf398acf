"""Instructions, acks, requests and clarifications as read from archived events, and
the board/feed rows they fold into.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.core.instructions.drafts import STAGE_RANK, Stage


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction as one delegation received it."""

    event_id: str  # or the transaction id while it is still in our outbox
    room_id: str
    delegation: str
    ref: str
    sender: str
    issued_ts: int
    subject: str
    body: str
    priority: str
    requires_ack: bool
    action: bool  # this delegation must act (not only informed)
    deadline: int | None = None
    classification: str = ""
    supersedes: str = ""
    answers: str = ""


@dataclass(frozen=True, slots=True)
class Ack:
    event_id: str
    room_id: str
    instruction_id: str
    sender: str
    ts: int
    state: Stage
    note: str = ""
    via_other_client: bool = False  # a plain reply ("done") from a client without the app


@dataclass(frozen=True, slots=True)
class Request:
    event_id: str
    room_id: str
    delegation: str
    sender: str
    ts: int
    subject: str
    body: str
    deadline: int | None = None
    answered_by: str = ""  # ref of the instruction that answers it
    overdue: bool = False


@dataclass(frozen=True, slots=True)
class Clarification:
    event_id: str
    instruction_id: str
    sender: str
    ts: int
    text: str


class Doubt(enum.StrEnum):
    """Why an instruction-feed event does not count (the UI says it in the user's language)."""

    FORGED = "forged"  # the sender's role or delegation does not allow it
    MALFORMED = "malformed"  # its content does not fit the schema
    STRAY = "stray"  # an ack of no instruction in its own delegation room
    UNVERIFIED = "unverified"  # from a device its owner has not cross-signed


@dataclass(frozen=True, slots=True)
class Suspect:
    """An instruction-feed event that does not count, and why (the audit view)."""

    event_id: str
    room_id: str
    sender: str
    ts: int
    type: str
    doubt: Doubt
    reason: str  # the record's own words (the archived note), for the curious


@dataclass(frozen=True, slots=True)
class Addressed:
    """One row of the status board: an instruction with one delegation."""

    instruction: Instruction
    stage: Stage = Stage.ISSUED
    stage_by: str = ""
    stage_ts: int = 0
    note: str = ""
    stage_via_other_client: bool = False  # the stage came from a plain reply, not the app
    history: tuple[Ack, ...] = ()
    superseded_by: str = ""  # ref of the newer instruction
    overdue: bool = False
    thread: tuple[Clarification, ...] = ()
    error: str = ""  # why the outbox could not send it

    @property
    def open(self) -> bool:
        """Still waiting for this delegation's deliberate acknowledgement."""
        i = self.instruction
        return (
            i.requires_ack
            and i.action
            and not self.superseded_by
            and STAGE_RANK[self.stage] < STAGE_RANK[Stage.ACKNOWLEDGED]
        )


@dataclass(frozen=True, slots=True)
class Feed:
    """Everything instruction-related in one session's delegation rooms."""

    rows: tuple[Addressed, ...] = ()
    requests: tuple[Request, ...] = ()
    suspects: tuple[Suspect, ...] = ()
    by_ref: Mapping[str, tuple[Addressed, ...]] = field(default_factory=dict)
    #: Encrypted events in the delegation rooms this device cannot read (no room key):
    #: instructions, acks or requests it cannot show, said rather than silently left out.
    unreadable: int = 0
