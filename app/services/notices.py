"""What the backend tells the UI: small immutable notices, one per change.

The UI thread receives them through the bridge and applies them to its models; they
carry plain data only, so nothing mutable is shared between threads.

A notice is any frozen dataclass deriving from ``Notice``: defining it registers it
(``NOTICE_TYPES``), and the bridge carries every registered notice on one signal, so a
new feature adds its notices without touching the bridge. The UI subscribes by type
(``Bridge.on(InstructionsChanged, slot)``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # named in annotations only: the window imports this module before
    # it is shown, and these (the chart figures, the feature rules) are not needed then
    from app.charts.figures import ChartFigure
    from app.core.charts import CsvImport, Rejected
    from app.core.errors import LoginProblem
    from app.core.exercise import ClockState, EvaluatorNote
    from app.core.instructions import Addressed, Desk, Draft, Feed
    from app.core.records import Invitation, OutboxItem, RoomEvent, RoomSummary
    from app.core.session import Roster
    from app.core.timeline import TimelineQuery, Verification
    from app.core.trust.states import TrustState


class Notice:
    """Base of every notice; a subclass registers itself by being defined."""

    __slots__ = ()
    registry: ClassVar[dict[str, type[Notice]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Keyed by name: dataclass(slots=True) remakes the class, and the remake replaces it.
        Notice.registry[f"{cls.__module__}.{cls.__name__}"] = cls


def notice_types() -> frozenset[type[Notice]]:
    """Every notice defined so far (a module's notices register when it is imported)."""
    return frozenset(Notice.registry.values())


class Refused(Exception):
    """A command the backend turns down with a Problem for the code that sent it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail or problem.what)
        self.problem = problem


class Connection(enum.StrEnum):
    STARTING = "starting"  # the embedded homeserver is starting, or a login is under way
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"  # the homeserver does not answer; retrying with back-off


@dataclass(frozen=True, slots=True)
class ConnectionChanged(Notice):
    state: Connection
    detail: str = ""
    retry_in: float = 0.0  # seconds until the next attempt, when OFFLINE


@dataclass(frozen=True, slots=True)
class LoginNeeded(Notice):
    """No usable login: show the login screen, prefilled with this homeserver."""

    homeserver: str = ""
    problem: LoginProblem | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class LoggedIn(Notice):
    """Signed in, said once ``Backend.account`` is set and its archive is open: the bridge
    lets room opens run from then on (``Bridge._call``), before the account's start."""

    user_id: str
    device_id: str
    homeserver: str
    credentials_location: str  # where the login is kept, so the user can be told


@dataclass(frozen=True, slots=True)
class Resuming(Notice):
    """A stored login is being restored: its archive's rooms follow at once, before the
    server has answered; ``LoggedIn`` (or ``LoginNeeded``) comes when it has."""

    user_id: str


@dataclass(frozen=True, slots=True)
class RoomsChanged(Notice):
    rooms: tuple[RoomSummary, ...]  # every room, newest activity first


@dataclass(frozen=True, slots=True)
class RoomLoaded(Notice):
    """A room opened: its newest archived events and what still waits in the outbox."""

    room_id: str
    events: tuple[RoomEvent, ...]
    pending: tuple[OutboxItem, ...]
    # Nothing archived yet (a first start): the room's events, and its history, are
    # still to come; empty says nothing of whether it has any.
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class EventsArrived(Notice):
    """New or newly decrypted events, already archived."""

    events: tuple[RoomEvent, ...]


@dataclass(frozen=True, slots=True)
class OutboxChanged(Notice):
    item: OutboxItem


@dataclass(frozen=True, slots=True)
class Problem(Notice):
    """Something failed that the user should see; ``detail`` is for the record."""

    what: str  # a short, translatable key such as "send_failed" or "backend_error"
    detail: str = ""


# The Problem told when an outbox another key made was set aside at the archive's
# opening (``app.services.at_rest``); its detail is the path it is kept at.
OUTBOX_SET_ASIDE = "outbox_set_aside"


@dataclass(frozen=True, slots=True)
class InvitationsChanged(Notice):
    """Every pending invitation (sessions and rooms), newest state."""

    invitations: tuple[Invitation, ...]


@dataclass(frozen=True, slots=True)
class RosterChanged(Notice):
    """A session's metadata and participants changed (or were first read)."""

    roster: Roster
    room_ids: tuple[str, ...]  # the space and its rooms: where this roster applies


@dataclass(frozen=True, slots=True)
class InstructionsChanged(Notice):
    """A session's instruction feed and status board, whole (they hold hundreds, not more)."""

    desk: Desk
    feed: Feed


@dataclass(frozen=True, slots=True)
class InstructionAlert(Notice):
    """An immediate or flash instruction for our delegation arrived: raise a notification."""

    desk: Desk
    row: Addressed


@dataclass(frozen=True, slots=True)
class InstructionOverdue(Notice):
    """An instruction we issued is overdue with a delegation (told once)."""

    desk: Desk
    row: Addressed


@dataclass(frozen=True, slots=True)
class DraftsChanged(Notice):
    drafts: tuple[Draft, ...]


@dataclass(frozen=True, slots=True)
class ChartsLoaded(Notice):
    """A room's charts drawn whole: when the dashboard opens, or a chart was (re)defined."""

    room_id: str
    page: str  # the dashboard page's file, written once by the backend
    charts: tuple[ChartFigure, ...]
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True, slots=True)
class ChartsUpdated(Notice):
    """Fresh values on the shown dashboard: lines to extend in place, charts to redraw."""

    room_id: str
    extend: tuple[tuple[str, dict], ...]  # (chart id, Plotly.extendTraces payload)
    redraw: tuple[ChartFigure, ...]
    rejected: tuple[Rejected, ...]  # values newly refused


@dataclass(frozen=True, slots=True)
class IndicatorRefused(Notice):
    """Our own value, import or export could not go out; ``reason`` says why (a chart
    definition is refused to its sender instead: ``Refused``)."""

    room_id: str
    what: str  # value | import | export
    reason: str


@dataclass(frozen=True, slots=True)
class CsvPreviewed(Notice):
    """A CSV file read and checked, nothing published yet."""

    room_id: str
    path: str
    result: CsvImport


@dataclass(frozen=True, slots=True)
class ChartExported(Notice):
    path: str


@dataclass(frozen=True, slots=True)
class VerificationsChanged(Notice):
    """Current verification status and history of entries of a room (those named, or all)."""

    room_id: str
    verifications: tuple[Verification, ...]


@dataclass(frozen=True, slots=True)
class AttachmentFetched(Notice):
    """A message's file, decrypted: for preview (``data``) or saved (``saved_to``)."""

    event_id: str
    data: bytes
    saved_to: str = ""


@dataclass(frozen=True, slots=True)
class PinsChanged(Notice):
    """A room's pinned events (``m.room.pinned_events``), in the room's order."""

    room_id: str
    event_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OlderLoaded(Notice):
    """A page of a room's timeline older than ``before`` (an event id), oldest first."""

    room_id: str
    before: str
    events: tuple[RoomEvent, ...]
    at_start: bool  # nothing older, in the archive or on the server


@dataclass(frozen=True, slots=True)
class SearchResults(Notice):
    """What the archive holds matching a search or filter, newest first."""

    query: TimelineQuery
    events: tuple[RoomEvent, ...]
    verifications: tuple[Verification, ...]  # of the entries among them


@dataclass(frozen=True, slots=True)
class ExerciseProgress(Notice):
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
class EvaluatorNotes(Notice):
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
class RecoveryChanged(Notice):
    """Key backup and recovery, as the user should hear of it. The recovery key travels
    only in KEY_CREATED and is left out of the repr, so no log or record ever shows it."""

    state: Recovery
    reason: str = ""
    recovery_key: str = field(default="", repr=False)
    has_passphrase: bool = False  # the account's key can also be unlocked by a passphrase
    imported: int = 0  # room keys a restore brought
    decrypted: int = 0  # archived events that became readable
    backed_up: int = 0  # room keys of this device in the backup


@dataclass(frozen=True, slots=True)
class RecordsDiffer(Notice):
    """Another member's signed seal of a room's record disagrees with ours over the same
    span (first to last event): one of the two records lacks or altered events."""

    room_id: str
    sender: str
    device_id: str
    first_event_id: str
    last_event_id: str
    their_count: int
    our_count: int


@dataclass(frozen=True, slots=True)
class ArchiveEncrypting(Notice):
    """An older release's plaintext archive is being encrypted in place (bytes written
    of all); ``done == total`` when the encrypted archive has replaced it."""

    user_id: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class ArchivePassphraseNeeded(Notice):
    """The account's archive key is a passphrase nobody has given in this run: the
    window asks for it (``wrong`` when the last one typed did not open the archive) and
    answers through ``Bridge.give_archive_passphrase``. ``choose``: the first sign-in on
    a machine without a keyring, the person picks the passphrase (typed twice)."""

    user_id: str
    wrong: bool = False
    choose: bool = False


@dataclass(frozen=True, slots=True)
class ExportProgress(Notice):
    """How far an export of a session's record has come (events written of all)."""

    space_id: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class TrustChanged(Notice):
    """Every known person's trust state (user id -> state), newest."""

    states: tuple[tuple[str, TrustState], ...]

    def of(self, user_id: str) -> TrustState | None:
        return dict(self.states).get(user_id)


@dataclass(frozen=True, slots=True)
class IdentitiesChanged(Notice):
    """People whose new identity waits for the user's acceptance, each with the rooms we
    share with them (where the timeline warns), sorted; empty once all are accepted."""

    people: tuple[tuple[str, tuple[str, ...]], ...]
