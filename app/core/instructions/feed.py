"""Folding a session's delegation-room events into the board: stage per instruction and
delegation (moving only forward), supersessions, overdue rows, answered requests, and
the forged, malformed and stray events for the audit list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from app.core import protocol, roles
from app.core.instructions.drafts import SETTLED, STAGE_RANK, Stage
from app.core.instructions.plain import reply_ack
from app.core.instructions.records import (
    Ack,
    Addressed,
    Clarification,
    Doubt,
    Feed,
    Instruction,
    Request,
    Suspect,
)
from app.core.instructions.schedule import is_overdue
from app.core.records import EventStatus, OutboxItem, RoomEvent

ENCRYPTED = "m.room.encrypted"  # the type an event keeps while its room key is missing
FEED_TYPES = (roles.INSTRUCTION, roles.ACK, roles.REQUEST, "m.room.message", ENCRYPTED)


def in_feed(event: RoomEvent) -> bool:
    """Instruction-feed events; of the chat only clarification threads and plain replies
    that read as acks (not all talk); and every event still waiting for its key, since
    it may be an instruction (counted as unreadable, whatever it turns out to be)."""
    if event.type == ENCRYPTED:
        return event.status is EventStatus.UNDECRYPTED
    if event.type != "m.room.message":
        return event.type in FEED_TYPES
    return bool(_relates(event.content, "m.thread")) or reply_ack(event.content) is not None


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
        if event.status in (EventStatus.FORGED, EventStatus.MALFORMED, EventStatus.UNVERIFIED):
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
        elif event.type == "m.room.message" and (replied := reply_ack(event.content)):
            target, stage, note = replied
            ack = Ack(event.event_id, event.room_id, target, event.sender, event.origin_ts,
                      stage, note, via_other_client=True)  # fmt: skip
            found.acks.setdefault(target, []).append(ack)
        elif event.type == "m.room.message" and (target := _relates(event.content, "m.thread")):
            text = str(event.content.get("body", ""))
            found.threads.setdefault(target, []).append(
                Clarification(event.event_id, target, event.sender, event.origin_ts, text)
            )
    return found


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
    event_type, content = protocol.recorded(item.event_type, item.content)
    event = RoomEvent(item.txn_id, item.room_id, sender, event_type, ts, content)
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
            elif not ack.via_other_client:  # a plain "done" to a chat message is just chat
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
        if STAGE_RANK[ack.state] > STAGE_RANK[reached] and reached not in SETTLED:
            furthest = ack
    row = Addressed(
        instruction,
        stage=furthest.state if furthest else Stage.ISSUED,
        stage_by=furthest.sender if furthest else "",
        stage_ts=furthest.ts if furthest else 0,
        note=furthest.note if furthest else "",
        stage_via_other_client=bool(furthest and furthest.via_other_client),
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
