"""What the backend tells the UI: small immutable notices, one per change.

The UI thread receives them through the bridge and applies them to its models; they
carry plain data only, so nothing mutable is shared between threads.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.core.errors import LoginProblem
from app.core.records import Invitation, OutboxItem, RoomEvent, RoomSummary
from app.core.session import Roster


class Connection(enum.StrEnum):
    STARTING = "starting"  # the embedded homeserver is starting, or a login is under way
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"  # the homeserver does not answer; retrying with back-off


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    state: Connection
    detail: str = ""
    retry_in: float = 0.0  # seconds until the next attempt, when OFFLINE


@dataclass(frozen=True, slots=True)
class LoginNeeded:
    """No usable login: show the login screen, prefilled with this homeserver."""

    homeserver: str = ""
    problem: LoginProblem | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class LoggedIn:
    user_id: str
    device_id: str
    homeserver: str
    credentials_location: str  # where the login is kept, so the user can be told


@dataclass(frozen=True, slots=True)
class RoomsChanged:
    rooms: tuple[RoomSummary, ...]  # every room, newest activity first


@dataclass(frozen=True, slots=True)
class RoomLoaded:
    """A room opened: its newest archived events and what still waits in the outbox."""

    room_id: str
    events: tuple[RoomEvent, ...]
    pending: tuple[OutboxItem, ...]


@dataclass(frozen=True, slots=True)
class EventsArrived:
    """New or newly decrypted events, already archived."""

    events: tuple[RoomEvent, ...]


@dataclass(frozen=True, slots=True)
class OutboxChanged:
    item: OutboxItem


@dataclass(frozen=True, slots=True)
class Problem:
    """Something failed that the user should see; ``detail`` is for the record."""

    what: str  # a short, translatable key such as "send_failed" or "backend_error"
    detail: str = ""


@dataclass(frozen=True, slots=True)
class InvitationsChanged:
    """Every pending invitation (sessions and rooms), newest state."""

    invitations: tuple[Invitation, ...]


@dataclass(frozen=True, slots=True)
class RosterChanged:
    """A session's metadata and participants changed (or were first read)."""

    roster: Roster
    room_ids: tuple[str, ...]  # the space and its rooms: where this roster applies


Notice = (
    ConnectionChanged
    | LoginNeeded
    | LoggedIn
    | RoomsChanged
    | RoomLoaded
    | EventsArrived
    | OutboxChanged
    | InvitationsChanged
    | RosterChanged
    | Problem
)
