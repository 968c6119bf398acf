"""What one timeline row says: archive events and outbox items as readable rows.

Every visible word goes through ``translate`` so Arabic and English read alike.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QImage

from app.core import protocol, roles
from app.core.records import (
    NOTE_REQUESTED,
    NOTE_WITHHELD,
    EventStatus,
    OutboxItem,
    OutboxState,
    RoomEvent,
)
from app.core.seals import NOTE_DIFFERS, SEAL
from app.core.session import carries_details, user_of_role_key
from app.core.text import is_rtl
from app.core.timeline import (
    EDIT,
    Attachment,
    Entry,
    Relation,
    Verification,
    attachment_of,
    edited_body,
    read_entry,
    relation_of,
)
from app.ui.texts import fill, role_label, send_failure, session_status_label, tr

# State events with nothing to say to a person; the archive still keeps them.
_SILENT_TYPES = {
    "m.space.child",
    "m.space.parent",
    "m.room.power_levels",
    "m.room.join_rules",
    "m.room.history_visibility",
    "m.room.guest_access",
}


class RowKind(enum.Enum):
    MESSAGE = "message"
    ENTRY = "entry"  # a typed timeline entry: kind, title, verification, fields
    NOTICE = "notice"  # a change to the room, in small grey type
    PENDING = "pending"  # in the outbox, not yet confirmed by the server
    FAILED = "failed"  # refused by the server; kept, can be retried
    UNDECRYPTED = "undecrypted"
    MALFORMED = "malformed"
    FORGED = "forged"  # the sender's role does not allow it: kept for audit, never as valid
    UNVERIFIED = "unverified"  # from a device its owner has not verified: does not count
    DIFFERS = "differs"  # another member's seal says their record of a span is not ours
    IDENTITY_CHANGED = "identity_changed"  # a participant's new master key, not yet accepted


@dataclass(frozen=True, slots=True)
class TimelineRow:
    key: str  # event id, or the transaction id while only the outbox knows the message
    sender: str
    ts: int  # milliseconds since the epoch
    text: str
    kind: RowKind
    detail: str = ""
    txn_id: str | None = None
    event: RoomEvent | None = None  # the archived event: its raw content is one click away
    entry: Entry | None = None
    verification: Verification | None = None  # current status and history, once known
    relation: Relation | None = None  # an edit, reply or thread message points at another
    edited: str | None = None  # the latest edit's text (the original stays in the archive)
    removed_by: str = ""  # who redacted it: shown as such, the archive keeps what it had
    pinned: bool = False
    context: str = ""  # what a reply or thread message answers, in a few words
    attachment: Attachment | None = None
    preview: QImage | None = None  # a decrypted image, once fetched (UI thread only)
    folded: tuple[TimelineRow, ...] = ()  # a run of room changes shown as this one row

    @property
    def rtl(self) -> bool:
        return is_rtl(self.text)

    @property
    def status(self) -> str:
        """An entry's current verification status ('' for other rows)."""
        if self.entry is None:
            return ""
        return self.verification.status if self.verification else self.entry.verification


def _member_text(event: RoomEvent) -> str:
    target = event.state_key or event.sender
    membership = event.content.get("membership")
    if membership == "join":
        return fill(tr("%1 joined"), target)
    if membership == "invite":
        return fill(tr("%1 invited %2"), event.sender, target)
    if membership == "leave":
        return fill(tr("%1 left"), target)
    return fill(tr("%1 membership: %2"), target, membership)


def _role_text(event: RoomEvent) -> str:
    user = user_of_role_key(event.state_key or "")
    if event.content.get("removed"):
        return fill(tr("%1 was removed from the session"), user)
    return fill(tr("%1 has the role %2"), user, role_label(str(event.content.get("role", ""))))


def _custom_label(event_type: str) -> str:
    return {
        roles.ENTRY: tr("Timeline entry"),
        roles.VERIFICATION: tr("Verification change"),
        roles.INSTRUCTION: tr("Instruction"),
        roles.ACK: tr("Acknowledgement"),
        roles.INDICATOR: tr("Indicator"),
        roles.REQUEST: tr("Request for instructions"),
        roles.SITREP: tr("Situation report"),
        roles.SITREP_REVIEW: tr("Sitrep review"),
        roles.CHART: tr("Chart definition"),
    }.get(event_type, tr("Event of the operations room"))


def _session_text(event: RoomEvent) -> str | None:
    status = str(event.content.get("status", ""))
    if status == "convening":
        return None  # one line per room being created said nothing a person needs
    title = event.content.get("title", "")
    return fill(tr("Session %1 is %2"), title, session_status_label(status))


# What a change to the room says, by event type (tr runs when the row is made).
_NOTICES: dict[str, Callable[[RoomEvent], str | None]] = {
    "m.room.create": lambda e: fill(tr("%1 created the room"), e.sender),
    "m.room.member": _member_text,
    "m.room.encryption": lambda e: tr("End-to-end encryption is on"),
    "m.room.name": lambda e: fill(tr("Room name: %1"), e.content.get("name", "")),
    "m.room.topic": lambda e: fill(tr("Topic: %1"), e.content.get("topic", "")),
    "m.room.redaction": lambda e: fill(
        tr("%1 removed an event (the archive keeps what it had)"), e.sender
    ),
    "m.room.pinned_events": lambda e: fill(tr("%1 changed the pinned messages"), e.sender),
    "m.room.avatar": lambda e: fill(tr("%1 changed the room picture"), e.sender),
    roles.ROLE: _role_text,
    roles.SESSION: _session_text,
    roles.DELEGATION: lambda e: fill(
        tr("Delegation: %1 (%2)"), e.content.get("name", ""), e.content.get("tz", "")
    ),
    roles.CHART: lambda e: fill(
        tr("%1 defined the chart '%2'"), e.sender, e.content.get("title", "")
    ),
}


def _notice_text(event: RoomEvent) -> str | None:
    make = _NOTICES.get(event.type)
    if make is not None:
        return make(event)
    if event.type in _SILENT_TYPES or event.type.startswith("m.key.verification."):  # steps
        return None
    if event.state_key is not None:
        return fill(tr("%1 changed a setting of the room"), event.sender)
    return tr("A kind of event this app does not show (the raw content is one key away)")


def _withheld_reasons() -> dict[str, str]:
    """The spec's m.room_key.withheld codes, as a reader would put them."""
    return {
        "m.unverified": tr("this device is not verified by the sender"),
        "m.unauthorised": tr("this device is not allowed to read it"),
        "m.blacklisted": tr("this device is blocked by the sender"),
        "m.unavailable": tr("the key is not available on the device asked"),
        "m.no_olm": tr("no secure channel could be made to this device"),
    }


def _locked_text(note: str) -> str:
    """Why an encrypted message cannot be read here: withheld (and why), key asked from
    whom, or still waiting (the note is written by app.services.key_notes)."""
    if note.startswith(NOTE_WITHHELD):
        code = note.removeprefix(NOTE_WITHHELD)
        return fill(tr("Encrypted message: withheld: %1"), _withheld_reasons().get(code, code))
    if note.startswith(NOTE_REQUESTED):
        return fill(
            tr("Encrypted message: key requested from %1"), note.removeprefix(NOTE_REQUESTED)
        )
    return tr("Encrypted message: waiting for the key from the sender's device")


def _details(event: RoomEvent) -> str:
    """What the details say, on hover: the readable body other clients show."""
    body = event.content.get("body")
    return body[:1000] if isinstance(body, str) else ""


def event_row(event: RoomEvent) -> TimelineRow | None:
    """The row for an archived event, or None for events with nothing to show."""
    base = {"key": event.event_id, "sender": event.sender, "ts": event.origin_ts, "event": event}
    if event.status is EventStatus.UNDECRYPTED:
        return TimelineRow(**base, text=_locked_text(event.note), kind=RowKind.UNDECRYPTED)
    if event.type == SEAL:
        return _seal_row(event, base)
    if event.status is EventStatus.FORGED:
        text = fill(
            tr("Forged %1: the sender's role does not allow it (kept for audit)"),
            _custom_label(event.type),
        )
        return TimelineRow(**base, text=text, kind=RowKind.FORGED, detail=event.note)
    if event.status is EventStatus.UNVERIFIED:
        text = fill(
            tr("%1 from an unverified device: it does not count until its owner verifies it"),
            _custom_label(event.type),
        )
        return TimelineRow(**base, text=text, kind=RowKind.UNVERIFIED, detail=event.note)
    if event.status is EventStatus.MALFORMED:
        text = tr("Malformed event from another client (kept in the record)")
        return TimelineRow(**base, text=text, kind=RowKind.MALFORMED, detail=event.note)
    if event.type == roles.ENTRY:
        entry = read_entry(event.content)
        return TimelineRow(
            **base,
            text=entry.body,
            kind=RowKind.ENTRY,
            txn_id=event.txn_id,
            entry=entry,
            relation=relation_of(event.content),
        )
    if event.type == roles.VERIFICATION:
        text = fill(
            tr("Verification: %1 — %2"),
            status_label(str(event.content["status"])),
            event.content["reason"],
        )
        return TimelineRow(**base, text=text, kind=RowKind.NOTICE, txn_id=event.txn_id)
    if carries_details(event.type, event.content):  # the facilitator's, re-sent on joins
        text = tr("Session details updated")
        return TimelineRow(**base, text=text, kind=RowKind.NOTICE, detail=_details(event))
    if event.type == "m.room.message":
        body = str(event.content.get("body", ""))
        relation = relation_of(event.content)
        if relation is not None and relation.kind == EDIT:
            new = edited_body(event.content) or body
            text = fill(tr("%1 edited a message: %2"), event.sender, new)
            return TimelineRow(
                **base, text=text, kind=RowKind.NOTICE, txn_id=event.txn_id, relation=relation
            )
        attachment = attachment_of(event.content)
        if attachment is not None:
            body = fill(tr("File: %1 (%2 KB)"), attachment.name, f"{attachment.size / 1024:,.0f}")
        return TimelineRow(
            **base,
            text=body,
            kind=RowKind.MESSAGE,
            txn_id=event.txn_id,
            relation=relation,
            attachment=attachment,
        )
    if event.type.startswith(roles.NS) and event.state_key is None and event.type != roles.CHART:
        sent_as = event.content.get(protocol.SENT_AS)  # a 2.0 payload may have no body of its own
        shown = event.content.get("body") or (sent_as or {}).get("body", "")
        text = f"{_custom_label(event.type)}: {shown}"
        return TimelineRow(**base, text=text, kind=RowKind.MESSAGE, txn_id=event.txn_id)
    notice = _notice_text(event)
    return None if notice is None else TimelineRow(**base, text=notice, kind=RowKind.NOTICE)


def _seal_row(event: RoomEvent, base: dict[str, object]) -> TimelineRow | None:
    """A seal is machine-only: shown when it is forged or when it disagrees with our
    record (``services/seals`` notes that on the event), hidden when all is well."""
    content = event.content
    if event.status is EventStatus.FORGED:
        text = tr("Forged seal of the record: its signature does not hold (kept for audit)")
        return TimelineRow(**base, text=text, kind=RowKind.FORGED, detail=event.note)
    if event.status is EventStatus.MALFORMED:
        text = tr("Malformed event from another client (kept in the record)")
        return TimelineRow(**base, text=text, kind=RowKind.MALFORMED, detail=event.note)
    if not event.note.startswith(NOTE_DIFFERS):
        return None
    text = fill(
        tr("Records differ: %1's record from %2 to %3 holds %4 events, ours %5"),
        event.sender,
        str(content.get("first_event_id", "")),
        str(content.get("last_event_id", "")),
        str(content.get("count", "")),
        event.note.removeprefix(NOTE_DIFFERS),
    )
    return TimelineRow(**base, text=text, kind=RowKind.DIFFERS, detail=event.note)


def identity_row(key: str, user_id: str, name: str, since_ms: int, accepted: bool) -> TimelineRow:
    """This app's own warning that a participant's identity (master key) changed: a row of
    the timeline, never an event of the room, until the user accepts the new identity;
    then a note that it was accepted (each change keeps its own row)."""
    if accepted:
        text = fill(tr("%1's new identity was accepted"), name)
        return TimelineRow(key=key, sender=user_id, ts=since_ms, text=text, kind=RowKind.NOTICE)
    text = fill(
        tr("%1's identity changed: verify them again before relying on what they send"), name
    )
    return TimelineRow(
        key=key, sender=user_id, ts=since_ms, text=text, kind=RowKind.IDENTITY_CHANGED
    )


def outbox_row(item: OutboxItem, sender: str) -> TimelineRow | None:
    """A message the user sent that the server has not echoed yet (None for a seal,
    which is machine-only: a pending row would wait for an echo that shows nothing)."""
    if item.event_type == SEAL:
        return None
    failed = item.state is OutboxState.FAILED
    event_type, content = protocol.recorded(item.event_type, item.content)
    entry = read_entry(content) if event_type == roles.ENTRY else None
    return TimelineRow(
        key=item.txn_id,
        sender=sender,
        ts=int(item.created_at * 1000),
        text=entry.body if entry else str(item.content.get("body", "")),
        kind=RowKind.FAILED if failed else RowKind.PENDING,
        detail=send_failure(item.error),
        txn_id=item.txn_id,
        entry=entry,
    )


def context_of(row: TimelineRow, target: TimelineRow | None) -> str:
    """What a reply or thread message answers, in a few words ('' for other rows)."""
    if row.relation is None or row.relation.kind not in ("reply", "m.thread"):
        return ""
    what = (target.entry.title if target.entry else target.text)[:80] if target else ""
    who = target.sender if target else row.relation.target
    template = tr("in the thread of %1: %2") if row.relation.kind == "m.thread" else None
    return fill(template or tr("reply to %1: %2"), who, what)


def kind_label(kind: str) -> str:
    """An entry kind's name in the interface language (unknown values as they are)."""
    return {
        "sitrep": tr("Situation report"),
        "decision": tr("Decision"),
        "statement": tr("Statement"),
        "analysis": tr("Analysis"),
        "media": tr("Media"),
        "rumour": tr("Rumour"),
        "chat": tr("Chat"),
    }.get(kind, kind)


def status_label(status: str) -> str:
    """A verification status in the interface language."""
    return {
        "unverified": tr("unverified"),
        "corroborated": tr("corroborated"),
        "confirmed": tr("confirmed"),
        "disputed": tr("disputed"),
        "false": tr("false"),
        "retracted": tr("retracted"),
    }.get(status, status)
