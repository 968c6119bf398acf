"""What one timeline row says: archive events and outbox items as readable rows.

Every visible word goes through ``translate`` so Arabic and English read alike.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.core import roles
from app.core.records import EventStatus, OutboxItem, OutboxState, RoomEvent
from app.core.session import user_of_role_key
from app.core.text import is_rtl
from app.ui.texts import fill, role_label, tr

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
    NOTICE = "notice"  # a change to the room, in small grey type
    PENDING = "pending"  # in the outbox, not yet confirmed by the server
    FAILED = "failed"  # refused by the server; kept, can be retried
    UNDECRYPTED = "undecrypted"
    MALFORMED = "malformed"
    FORGED = "forged"  # the sender's role does not allow it: kept for audit, never as valid


@dataclass(frozen=True, slots=True)
class TimelineRow:
    key: str  # event id, or the transaction id while only the outbox knows the message
    sender: str
    ts: int  # milliseconds since the epoch
    text: str
    kind: RowKind
    detail: str = ""
    txn_id: str | None = None

    @property
    def rtl(self) -> bool:
        return is_rtl(self.text)


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
        roles.INSTRUCTION: tr("Instruction"),
        roles.ACK: tr("Acknowledgement"),
        roles.INDICATOR: tr("Indicator"),
    }.get(event_type, event_type)


def _notice_text(event: RoomEvent) -> str | None:
    content = event.content
    match event.type:
        case "m.room.create":
            return fill(tr("%1 created the room"), event.sender)
        case "m.room.member":
            return _member_text(event)
        case "m.room.encryption":
            return tr("End-to-end encryption is on")
        case "m.room.name":
            return fill(tr("Room name: %1"), content.get("name", ""))
        case "m.room.topic":
            return fill(tr("Topic: %1"), content.get("topic", ""))
        case roles.ROLE:
            return _role_text(event)
        case roles.SESSION:
            return fill(tr("Session %1 is %2"), content.get("title", ""), content.get("status", ""))
        case roles.DELEGATION:
            return fill(tr("Delegation: %1 (%2)"), content.get("name", ""), content.get("tz", ""))
    if event.type in _SILENT_TYPES:
        return None
    if event.state_key is not None:
        return fill(tr("Room setting changed: %1"), event.type)
    return fill(tr("Event of a type this app does not show: %1"), event.type)


def event_row(event: RoomEvent) -> TimelineRow | None:
    """The row for an archived event, or None for events with nothing to show."""
    base = {"key": event.event_id, "sender": event.sender, "ts": event.origin_ts}
    if event.status is EventStatus.UNDECRYPTED:
        text = tr("Encrypted message: waiting for the key from the sender's device")
        return TimelineRow(**base, text=text, kind=RowKind.UNDECRYPTED, detail=event.note)
    if event.status is EventStatus.FORGED:
        text = fill(
            tr("Forged %1: the sender's role does not allow it (kept for audit)"),
            _custom_label(event.type),
        )
        return TimelineRow(**base, text=text, kind=RowKind.FORGED, detail=event.note)
    if event.status is EventStatus.MALFORMED:
        text = tr("Malformed event from another client (kept in the record)")
        return TimelineRow(**base, text=text, kind=RowKind.MALFORMED, detail=event.note)
    if event.type == "m.room.message":
        body = str(event.content.get("body", ""))
        return TimelineRow(**base, text=body, kind=RowKind.MESSAGE, txn_id=event.txn_id)
    if event.type.startswith(roles.NS) and event.state_key is None:
        text = f"{_custom_label(event.type)}: {event.content.get('body', '')}"
        return TimelineRow(**base, text=text, kind=RowKind.MESSAGE, txn_id=event.txn_id)
    notice = _notice_text(event)
    return None if notice is None else TimelineRow(**base, text=notice, kind=RowKind.NOTICE)


def outbox_row(item: OutboxItem, sender: str) -> TimelineRow:
    """A message the user sent that the server has not echoed yet."""
    failed = item.state is OutboxState.FAILED
    return TimelineRow(
        key=item.txn_id,
        sender=sender,
        ts=int(item.created_at * 1000),
        text=str(item.content.get("body", "")),
        kind=RowKind.FAILED if failed else RowKind.PENDING,
        detail=item.error,
        txn_id=item.txn_id,
    )
