"""Immutable records that cross layer and thread boundaries.

They carry plain data only, so the backend thread can hand them to the UI thread
without sharing anything mutable.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.text import plain_name


class EventStatus(enum.StrEnum):
    """How far an archived event could be understood."""

    OK = "ok"
    UNDECRYPTED = "undecrypted"  # the room key has not arrived (yet)
    MALFORMED = "malformed"  # content does not match the event's schema
    FORGED = "forged"  # the sender's role does not allow this event type (kept, not shown as valid)
    UNVERIFIED = "unverified"  # sent from a device its owner has not cross-signed: does not count


@dataclass(frozen=True, slots=True)
class RoomEvent:
    """One timeline event as the archive keeps it (decrypted where possible)."""

    event_id: str
    room_id: str
    sender: str
    type: str
    origin_ts: int  # milliseconds since the epoch, the server's clock
    content: Mapping[str, Any]
    state_key: str | None = None
    txn_id: str | None = None  # set when this is the echo of our own send
    status: EventStatus = EventStatus.OK
    note: str = ""  # why an event is malformed or still undecrypted
    source: Mapping[str, Any] = field(default_factory=dict)  # the event as the server sent it

    def membership_before(self) -> object:
        """A member event's membership before it, as the server sent it
        (``unsigned.prev_content``, or the older top-level ``prev_content``); None when
        the server gave none (or not an object)."""
        unsigned = self.source.get("unsigned")
        before = unsigned.get("prev_content") if isinstance(unsigned, Mapping) else None
        before = before if isinstance(before, Mapping) else self.source.get("prev_content")
        return before.get("membership") if isinstance(before, Mapping) else None


class OutboxState(enum.StrEnum):
    """Where a message waiting in the outbox stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # the server refused it for good (e.g. forbidden); kept, never dropped


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A message the user asked to send, persisted before any network I/O."""

    txn_id: str
    room_id: str
    event_type: str
    content: Mapping[str, Any]
    state: OutboxState = OutboxState.PENDING
    created_at: float = 0.0  # seconds since the epoch, local clock
    event_id: str | None = None
    error: str = ""


@dataclass(frozen=True, slots=True)
class RoomSummary:
    """What the room list shows about a room."""

    room_id: str
    name: str
    encrypted: bool = False
    is_space: bool = False
    last_ts: int = 0
    left: bool = False  # we are no member any more: left, removed, or not joined again yet


@dataclass(frozen=True, slots=True)
class Credentials:
    """A restorable Matrix login of this device."""

    homeserver: str
    user_id: str
    device_id: str
    access_token: str
    pickle_key: str  # per-device key that encrypts nio's crypto store


@dataclass(frozen=True, slots=True)
class Invitation:
    """A pending invitation to a room or a session's space, as the invitee sees it."""

    room_id: str
    name: str
    inviter: str
    reason: str = ""  # the facilitator puts the invitee's role here
    is_space: bool = False
    inviter_name: str = ""  # the inviter's display name in the room, when the server says it


def read_invitation(
    room_id: str, name: str, me: str, invite_state: Sequence[Mapping[str, Any]]
) -> Invitation:
    """What the stripped invite state tells about the room, who invited us and why.

    The inviter's name comes from their own member event: Synapse adds the sender's
    membership to the stripped state it sends with an invite (its event creation handler
    passes ``membership_user_id=event.sender``); a server that does not leaves the name to
    what we know.
    Another server wrote all of it: anything of the wrong shape is skipped, never raised,
    and the name is cleaned as any display name (``plain_name``).
    """
    inviter, reason, is_space = "", "", False
    names: dict[str, str] = {}
    for source in invite_state:
        content = source.get("content")
        content = content if isinstance(content, Mapping) else {}
        if source.get("type") == "m.room.member" and source.get("state_key") == me:
            inviter = str(source.get("sender", ""))
            reason = str(content.get("reason", ""))[:500]
        elif source.get("type") == "m.room.member" and isinstance(source.get("state_key"), str):
            shown = content.get("displayname")
            if isinstance(shown, str):
                names[source["state_key"]] = plain_name(shown)
        elif source.get("type") == "m.room.create":
            is_space = content.get("type") == "m.space"
    return Invitation(room_id, name, inviter, reason, is_space, names.get(inviter, ""))


# How an UNDECRYPTED event's note begins: the account writes it, the timeline reads it.
NOTE_WITHHELD = "withheld: "
NOTE_REQUESTED = "key requested from "
