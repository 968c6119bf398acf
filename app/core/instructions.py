"""The instruction lifecycle: what the capital issues, what each delegation has done with it.

An instruction to several delegations travels as one encrypted event in each delegation
room, tied together by a ``ref``. Per delegation it moves issued → received (automatic,
when a delegate's device decrypted it) → acknowledged (a deliberate act) → done, or
unable (with a reason). Everything here is pure: the service feeds it archived events
and the clock, and shows what comes out.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from app.core import protocol, roles
from app.core.blueprint import Delegation
from app.core.records import EventStatus, OutboxItem, RoomEvent
from app.core.roles import Role, RoomKind
from app.core.session import Roster

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
ENCRYPTED = "m.room.encrypted"  # the type an event keeps while its room key is missing


class Stage(enum.StrEnum):
    """Where one instruction stands with one delegation, in lifecycle order."""

    PENDING = "pending"  # still in our outbox (offline, or the server refused it)
    ISSUED = "issued"
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"
    UNABLE = "unable"


_RANK = {stage: n for n, stage in enumerate(Stage)}
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


# -- reading archived events ------------------------------------------------------------


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


@dataclass
class _Sorted:
    """A session's feed events by kind, before they are folded into rows."""

    instructions: dict[str, Instruction] = field(default_factory=dict)
    acks: dict[str, list[Ack]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    threads: dict[str, list[Clarification]] = field(default_factory=dict)
    suspects: list[Suspect] = field(default_factory=list)
    unreadable: int = 0  # encrypted events this device holds no key for


def _sort(events: Iterable[RoomEvent], delegations: Mapping[str, str]) -> _Sorted:
    found = _Sorted()
    for event in events:
        delegation = delegations.get(event.room_id)
        if delegation is None:
            continue
        if event.status in (EventStatus.FORGED, EventStatus.MALFORMED):
            found.suspects.append(_suspect(event, Doubt(event.status.value), event.note))
        elif event.status is EventStatus.UNDECRYPTED and event.type == ENCRYPTED:
            found.unreadable += 1
        elif event.status is not EventStatus.OK:
            continue
        elif event.type == roles.INSTRUCTION:
            found.instructions[event.event_id] = read_instruction(event, delegation)
        elif event.type == roles.ACK:
            ack = _read_ack(event)
            found.acks.setdefault(ack.instruction_id, []).append(ack)
        elif event.type == roles.REQUEST:
            found.requests.append(_read_request(event, delegation))
        elif event.type == "m.room.message" and (target := _relates(event.content, "m.thread")):
            text = str(event.content.get("body", ""))
            found.threads.setdefault(target, []).append(
                Clarification(event.event_id, target, event.sender, event.origin_ts, text)
            )
    return found


@dataclass(frozen=True, slots=True)
class Addressed:
    """One row of the status board: an instruction with one delegation."""

    instruction: Instruction
    stage: Stage = Stage.ISSUED
    stage_by: str = ""
    stage_ts: int = 0
    note: str = ""
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
            and _RANK[self.stage] < _RANK[Stage.ACKNOWLEDGED]
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


@dataclass(frozen=True, slots=True)
class Desk:
    """One session as the instruction feature sees it from this account."""

    space_id: str
    title: str
    exercise: bool
    capital_tz: str
    delegations: tuple[Delegation, ...]
    rooms: dict[str, str]  # delegation room -> delegation id (the rooms we are in)
    my_role: Role | None
    my_delegation: str
    my_tz: str = ""  # the user's own m.tz profile zone, where set: their local clock

    @property
    def can_issue(self) -> bool:
        return self.my_role in ISSUERS

    def room_of(self, delegation: str) -> str | None:
        return next((room for room, d in self.rooms.items() if d == delegation), None)


def desk_of(roster: Roster, user_id: str, my_tz: str = "") -> Desk:
    info = roster.session
    me = next((m for m in roster.members if m.user_id == user_id), None)
    return Desk(
        info.space_id,
        info.title,
        info.exercise,
        info.capital_tz,
        info.delegations,
        {
            r.room_id: r.delegation
            for r in info.rooms
            if r.kind is RoomKind.DELEGATION and r.delegation
        },
        me.role if me else None,
        me.delegation if me else "",
        my_tz if protocol.is_time_zone(my_tz) else "",
    )


def _relates(content: Mapping[str, Any], rel_type: str) -> str:
    relates = content.get("m.relates_to")
    if isinstance(relates, Mapping) and relates.get("rel_type") == rel_type:
        target = relates.get("event_id")
        return target if isinstance(target, str) else ""
    return ""


def acknowledged_id(content: Mapping[str, Any]) -> str:
    """The instruction event an ack refers to ('' if none)."""
    return _relates(content, "m.reference")


def read_instruction(event: RoomEvent, delegation: str) -> Instruction:
    c = event.content
    action = c.get("action")
    return Instruction(
        event_id=event.event_id,
        room_id=event.room_id,
        delegation=delegation,
        ref=str(c.get("ref") or event.event_id),
        sender=event.sender,
        issued_ts=event.origin_ts,
        subject=str(c["subject"]),
        body=_text_of(str(c.get("body", "")), str(c["subject"])),
        priority=str(c["priority"]),
        requires_ack=bool(c["requires_ack"]),
        # A sender that names no addressee lists means: every receiving delegation acts.
        action=delegation in action if isinstance(action, list) else True,
        deadline=c.get("deadline"),
        classification=str(c.get("classification") or ""),
        supersedes=str(c.get("supersedes") or ""),
        answers=str(c.get("answers") or ""),
    )


def _text_of(body: str, subject: str) -> str:
    """The instruction's text without the heading line other clients are shown."""
    heading, sep, rest = body.partition("\n\n")
    return rest if sep and heading.endswith(subject) else body


def pending_instruction(item: OutboxItem, delegation: str, sender: str) -> Instruction:
    """An instruction still in our outbox, shown as pending until its echo arrives."""
    ts = int(item.created_at * 1000)
    event = RoomEvent(item.txn_id, item.room_id, sender, item.event_type, ts, item.content)
    return read_instruction(event, delegation)


def build_feed(
    events: Iterable[RoomEvent],
    delegations: Mapping[str, str],
    now_ms: int,
    pending: Sequence[tuple[Instruction, str]] = (),
) -> Feed:
    """Fold a session's instruction, request, ack and thread events into the board.

    ``delegations`` maps delegation room → delegation id. Events that are forged,
    malformed or still undecrypted never count; forged and malformed ones go to the
    audit list. An ack moves a row only forward, and only for its own room's copy.
    """
    found = _sort(events, delegations)
    instructions, requests, suspects = found.instructions, found.requests, found.suspects
    # An ack counts only for the copy in its own room: the authority check vouches for
    # the sender's membership of *that* room's delegation, not of another one.
    counted: dict[str, list[Ack]] = {}
    for target, acks in found.acks.items():
        instruction = instructions.get(target)
        for ack in acks:
            if instruction is not None and instruction.room_id == ack.room_id:
                counted.setdefault(target, []).append(ack)
            else:
                suspects.append(
                    Suspect(ack.event_id, ack.room_id, ack.sender, ack.ts, roles.ACK, Doubt.STRAY,
                            "acknowledges no instruction of its own delegation room")
                )  # fmt: skip
    newer = _supersessions([*instructions.values(), *(i for i, _ in pending)])
    rows = [
        _addressed(
            i,
            counted.get(i.event_id, ()),
            found.threads.get(i.event_id, ()),
            newer.get((i.room_id, i.ref), ""),
            now_ms,
        )
        for i in instructions.values()
    ]
    rows += [
        Addressed(i, Stage.PENDING, superseded_by=newer.get((i.room_id, i.ref), ""), error=error)
        for i, error in pending
    ]
    answered = {r.instruction.answers: r.instruction.ref for r in rows if r.instruction.answers}
    requests = [
        replace(r, answered_by=answered.get(r.event_id, ""),
                overdue=bool(r.deadline and now_ms > r.deadline and r.event_id not in answered))
        for r in requests
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.instruction.issued_ts, r.instruction.delegation))
    by_ref: dict[str, list[Addressed]] = {}
    for row in rows:
        by_ref.setdefault(row.instruction.ref, []).append(row)
    return Feed(
        tuple(rows),
        tuple(sorted(requests, key=lambda r: -r.ts)),
        tuple(sorted(suspects, key=lambda s: -s.ts)),
        {ref: tuple(copies) for ref, copies in by_ref.items()},
        found.unreadable,
    )


def _suspect(event: RoomEvent, doubt: Doubt, reason: str) -> Suspect:
    return Suspect(
        event.event_id, event.room_id, event.sender, event.origin_ts, event.type, doubt, reason
    )


def _read_ack(event: RoomEvent) -> Ack:
    return Ack(
        event.event_id,
        event.room_id,
        acknowledged_id(event.content),
        event.sender,
        event.origin_ts,
        Stage(event.content["state"]),
        str(event.content.get("note") or ""),
    )


def _read_request(event: RoomEvent, delegation: str) -> Request:
    c = event.content
    return Request(
        event.event_id, event.room_id, delegation, event.sender, event.origin_ts,
        str(c["subject"]), str(c.get("body", "")), c.get("deadline"),
    )  # fmt: skip


def _addressed(
    instruction: Instruction,
    acks: Iterable[Ack],
    thread: Iterable[Clarification],
    superseded_by: str,
    now_ms: int,
) -> Addressed:
    """The furthest stage any member of the delegation reached (never moves back).

    Built once, not step by step: the board is rebuilt on every sync batch."""
    history = tuple(sorted(acks, key=lambda a: a.ts))
    furthest: Ack | None = None
    for ack in history:
        reached = furthest.state if furthest else Stage.ISSUED
        if _RANK[ack.state] > _RANK[reached] and reached not in SETTLED:
            furthest = ack
    row = Addressed(
        instruction,
        stage=furthest.state if furthest else Stage.ISSUED,
        stage_by=furthest.sender if furthest else "",
        stage_ts=furthest.ts if furthest else 0,
        note=furthest.note if furthest else "",
        history=history,
        superseded_by=superseded_by,
        thread=tuple(sorted(thread, key=lambda c: c.ts)),
    )
    return replace(row, overdue=True) if is_overdue(row, now_ms) else row


def _supersessions(instructions: Iterable[Instruction]) -> dict[tuple[str, str], str]:
    """(room, earlier ref) → the ref of a later instruction in that room that replaces it."""
    return {
        (i.room_id, i.supersedes): i.ref
        for i in instructions
        if i.supersedes and i.supersedes != i.ref
    }


def due_at(row: Addressed) -> int | None:
    """When this row becomes overdue if nothing happens (ms), or None if it never will."""
    i = row.instruction
    if row.superseded_by or row.stage in SETTLED or row.stage is Stage.PENDING or not i.action:
        return None
    times = []
    if i.deadline:
        times.append(i.deadline)
    if row.open:
        times.append(i.issued_ts + ACK_WINDOW_MS[i.priority])
    return min(times) if times else None


def is_overdue(row: Addressed, now_ms: int) -> bool:
    due = due_at(row)
    return due is not None and now_ms >= due


def next_due(rows: Iterable[Addressed], now_ms: int) -> int | None:
    """The next moment some row turns overdue (for one timer instead of polling)."""
    upcoming = [d for r in rows if (d := due_at(r)) is not None and d > now_ms]
    return min(upcoming) if upcoming else None


def feed_order(rows: Iterable[Addressed]) -> list[Addressed]:
    """A delegate's feed: open ones first, then by priority, newest first within each."""
    return sorted(
        rows,
        key=lambda r: (
            not r.open,
            bool(r.superseded_by),
            -PRIORITY_ORDER.index(r.instruction.priority),
            -r.instruction.issued_ts,
        ),
    )
