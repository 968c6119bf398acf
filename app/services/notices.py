"""What the backend tells the UI: small immutable notices, one per change.

The UI thread receives them through the bridge and applies them to its models; they
carry plain data only, so nothing mutable is shared between threads.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from app.charts.figures import ChartFigure
from app.core.entries import TimelineQuery, Verification
from app.core.errors import LoginProblem
from app.core.exercise_clock import ClockState
from app.core.indicators import CsvImport, Rejected
from app.core.instructions import Addressed, Desk, Draft, Feed
from app.core.records import Invitation, OutboxItem, RoomEvent, RoomSummary
from app.core.scenario import EvaluatorNote
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


@dataclass(frozen=True, slots=True)
class InstructionsChanged:
    """A session's instruction feed and status board, whole (they hold hundreds, not more)."""

    desk: Desk
    feed: Feed


@dataclass(frozen=True, slots=True)
class InstructionAlert:
    """An immediate or flash instruction for our delegation arrived: raise a notification."""

    desk: Desk
    row: Addressed


@dataclass(frozen=True, slots=True)
class InstructionOverdue:
    """An instruction we issued is overdue with a delegation (told once)."""

    desk: Desk
    row: Addressed


@dataclass(frozen=True, slots=True)
class DraftsChanged:
    drafts: tuple[Draft, ...]


@dataclass(frozen=True, slots=True)
class DashboardLoaded:
    """A room's charts drawn whole: when the dashboard opens, or a chart was (re)defined."""

    room_id: str
    page: str  # the dashboard page's file, written once by the backend
    charts: tuple[ChartFigure, ...]
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True, slots=True)
class ChartsUpdated:
    """Fresh values on the shown dashboard: lines to extend in place, charts to redraw."""

    room_id: str
    extend: tuple[tuple[str, dict], ...]  # (chart id, Plotly.extendTraces payload)
    redraw: tuple[ChartFigure, ...]
    rejected: tuple[Rejected, ...]  # values newly refused


@dataclass(frozen=True, slots=True)
class IndicatorRefused:
    """Our own value, chart, import or export could not go out; ``reason`` says why."""

    room_id: str
    what: str  # value | chart | import | export
    reason: str


@dataclass(frozen=True, slots=True)
class CsvPreviewed:
    """A CSV file read and checked, nothing published yet."""

    room_id: str
    path: str
    result: CsvImport


@dataclass(frozen=True, slots=True)
class ChartExported:
    path: str


@dataclass(frozen=True, slots=True)
class VerificationsChanged:
    """Current verification status and history of entries of a room (those named, or all)."""

    room_id: str
    verifications: tuple[Verification, ...]


@dataclass(frozen=True, slots=True)
class AttachmentFetched:
    """A message's file, decrypted: for preview (``data``) or saved (``saved_to``)."""

    event_id: str
    data: bytes
    saved_to: str = ""


@dataclass(frozen=True, slots=True)
class PinsChanged:
    """A room's pinned events (``m.room.pinned_events``), in the room's order."""

    room_id: str
    event_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OlderLoaded:
    """A page of a room's timeline older than ``before`` (an event id), oldest first."""

    room_id: str
    before: str
    events: tuple[RoomEvent, ...]
    at_start: bool  # nothing older, in the archive or on the server


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What the archive holds matching a search or filter, newest first."""

    query: TimelineQuery
    events: tuple[RoomEvent, ...]
    verifications: tuple[Verification, ...]  # of the entries among them


@dataclass(frozen=True, slots=True)
class ExerciseProgress:
    """Where a running exercise stands (its clock runs on in the UI from these figures)."""

    title: str
    space_id: str
    state: ClockState
    elapsed: float  # exercise seconds at the moment of the notice
    speed: float
    done: int  # injects played
    total: int
    next_at: float | None  # exercise time of the next inject
    last: str = ""  # what was just played (or failed)
    failures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EvaluatorNotes:
    """The facilitator's observations on an exercise session (local, never sent)."""

    space_id: str
    notes: tuple[EvaluatorNote, ...]


class Recovery(enum.StrEnum):
    """Where this device stands with key backup and the recovery key."""

    SET_UP_NEEDED = "set_up_needed"  # the account has no recovery key yet: offer to make one
    KEY_CREATED = "key_created"  # the new key is in the notice: show it once
    RESTORE_OFFERED = "restore_offered"  # the account has a backup this device has not opened
    RESTORING = "restoring"
    RESTORED = "restored"
    FAILED = "failed"  # ``reason`` says why (wrong_key, not_a_key, no_backup, unreachable, …)
    READY = "ready"  # keys of this device go to the backup
    HISTORY_FETCHED = "history_fetched"  # a new device has archived its rooms' history


@dataclass(frozen=True, slots=True)
class RecoveryChanged:
    """Key backup and recovery, as the user should hear of it. The recovery key travels
    only in KEY_CREATED and is left out of the repr, so no log or record ever shows it."""

    state: Recovery
    reason: str = ""
    recovery_key: str = field(default="", repr=False)
    has_passphrase: bool = False  # the account's key can also be unlocked by a passphrase
    imported: int = 0  # room keys a restore brought
    decrypted: int = 0  # archived events that became readable
    backed_up: int = 0  # room keys of this device in the backup


Notice = (
    RecoveryChanged
    | ConnectionChanged
    | LoginNeeded
    | LoggedIn
    | RoomsChanged
    | RoomLoaded
    | EventsArrived
    | OutboxChanged
    | InvitationsChanged
    | RosterChanged
    | InstructionsChanged
    | InstructionAlert
    | InstructionOverdue
    | DraftsChanged
    | ExerciseProgress
    | EvaluatorNotes
    | VerificationsChanged
    | OlderLoaded
    | PinsChanged
    | AttachmentFetched
    | SearchResults
    | DashboardLoaded
    | ChartsUpdated
    | IndicatorRefused
    | CsvPreviewed
    | ChartExported
    | Problem
)
