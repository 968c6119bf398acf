"""The receive path after nio: judge a sync batch, show it, archive it.

Why at most one store call per batch, and why the notice goes out before the write:
every hop between the event loop and the store thread waits for the GIL (up to Python's
switch interval when another thread is busy), and the archive write (hash chain,
full-text index, room summaries, sync token, commit) takes as long again. A user waiting
for a message should wait for neither. So a batch that needs the archive to be decided
is judged (the power-level check) and its new events decided in one store call, the
notice handed to the event loop at that point, and the write completes while the loop
delivers it; most batches need no store call to be decided at all (``show_at_once``
below).

Still nothing lost: the sync token moves only in the same transaction that archives the
batch. If that transaction fails, or the process dies before it commits, the token
stays, the server sends the batch again, and it is archived then (tests/test_arrival.py
kills a receiver in between). Nothing twice: the timeline and room list key rows by
event id, and an event shown early but not yet archived is not shown again when its
batch comes back in the same run (``Arrivals.shown``). Features act on the record: they
hear of events after the commit; one that only projects what is shown (the instruction
boards, ``show_early``) folds them in with the notice, and acts on them after the commit.

With a window (``Screen``), the notice goes to it from the store thread itself, and the
write waits until the window has applied the events and run the paints that this asked
for (rows, badges, boards; ``Bridge._apply_early``), for at most ``SCREEN_GRACE_SECONDS``.
Why: the write is some 5-10 ms of Python (SQLAlchemy building statements, the hash chain)
and the window's part is as much again; run side by side on two threads they share the
GIL, and each waited for the other at every hand-over, so the message reached the screen
about twice as late as the window's own work (docs/performance.md, session 7). A hop to
the event loop first cost another hand-over. Nothing changes for what the write does or
when the token moves; the features act on the record a few milliseconds later. A window
that lets a wait time out is not waited for again until it has answered.

A batch after the sync token that brings no state needs no store call to be shown:
``show_at_once`` shows it from the event loop before the store call, which then waits for
the paint as above (``shown`` still keeps a failed write's events from being shown twice).
Plain chat has nothing to judge; instructions and acknowledgements are judged there by
the rooms' state as archived, copied between sync steps (``authority_state``). Sessions 8
and 9 of docs/performance.md: the call's hop and look-up were ~2 ms of the way to the
screen, and the state read with its hops 10-20 ms of an acknowledgement's under load.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from app.core.records import RoomEvent
from app.core.trust import DeviceBook
from app.matrix import SyncBatch
from app.services.authority import AUTH_TYPES, RoomAuthority
from app.services.authority_state import AuthorityState
from app.services.notices import EventsArrived, RoomLoaded
from app.store import Archive, StoreError
from app.store.jsontext import canonical_json

log = logging.getLogger(__name__)
_HANDOVER_SECONDS = 0.001  # Python's default switch interval is 5 ms
SCREEN_GRACE_SECONDS = 0.05  # a window busy longer than this (opening a room) is not waited for

Screen = Callable[[EventsArrived | RoomLoaded], Callable[[float], bool]]
"""Shows early events (or a room opened, ``app.services.room_opening``) from any thread;
returns ``wait(seconds)``, which returns True once the window has applied the notice and
painted what that changed, False if the time is up."""


class PaintWaits:
    """The store thread's waits for the window's paint, shared by all it hands the window
    (arriving events; a room opened, ``app.services.room_opening``).

    A wait that timed out is remembered until the window answers it: the store thread is
    the only one for SQL (sends, opening a room, search queue behind it), so a window
    busy for long (stalled, closing) is not waited for again, by either, until then."""

    def __init__(self) -> None:
        self._unanswered: Callable[[float], bool] | None = None

    def wait(self, painted: Callable[[float], bool], grace: float) -> None:
        """Wait for this paint, up to ``grace``, unless the window has not answered an
        earlier wait yet (then this one's answer is the one to look for next time)."""
        if self._unanswered is not None and not self._unanswered(0):
            self._unanswered = painted
            return
        self._unanswered = None if painted(grace) else painted


@dataclass(frozen=True)
class Shown:
    """A batch's events shown from the loop before its store call, and the window's
    ``wait`` for their paint (None: no window; the loop told the UI)."""

    notice: EventsArrived
    painted: Callable[[float], bool] | None
    judged: list[RoomEvent]  # the whole batch as judged on the loop: archived as shown


def _rooms_to_judge(events: list[RoomEvent]) -> list[str]:
    """The rooms of the events ``RoomAuthority.check`` could mark, each once."""
    return list(dict.fromkeys(e.room_id for e in events if RoomAuthority.may_refuse(e)))


def _clear_in(encrypted_rooms: set[str], event: RoomEvent) -> bool:
    """A message sent in the clear into an encrypted room: only the archive can tell it
    from the decryption of a message it holds locked (a homeserver may send a plain copy
    under that message's id, with text of its own), so it is decided there, not shown
    first."""
    return event.room_id in encrypted_rooms and event.source.get("type") != "m.room.encrypted"


def _storable(event: RoomEvent) -> bool:
    """Whether the archive can write the event's source (plain JSON: a server may send
    NaN, which Python's parser takes); if not, the store path fails the write as before."""
    try:
        canonical_json(event.source)
    except StoreError:
        return False
    return True


def store_thread() -> ThreadPoolExecutor:
    """The one thread SQL runs on, with quick hand-overs of the GIL to and from it.

    Every store call crosses threads twice and every SQLite statement lets the GIL go and
    takes it back; a thread that wants the GIL gets it once the holder's switch interval
    has passed. Python's default (5 ms) is tuned for throughput: while the UI paints or
    nio decrypts, each crossing on the receive path could wait that long. The interval
    is process-wide; 1 ms costs the busy threads little and the message much less time
    (docs/performance.md, session 5)."""
    sys.setswitchinterval(min(sys.getswitchinterval(), _HANDOVER_SECONDS))
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="oor-store")


def authorized_at_arrival(
    archive: Archive, devices: DeviceBook, events: list[RoomEvent]
) -> list[RoomEvent]:
    """Late decryptions are judged by the power levels in force when they arrived,
    not today's: a key held back must not launder a forgery, nor a demotion forge."""
    state = archive.state_before
    return [RoomAuthority(state(e.event_id, AUTH_TYPES), devices).check(e) for e in events]


class Arrivals:
    """Shows what a sync batch brings as soon as it is judged, then archives it."""

    def __init__(
        self,
        archive: Archive,
        devices: DeviceBook,
        user_id: str,
        show_early: Callable[[EventsArrived, bool], None],
        screen: Screen | None,
        *,
        paints: PaintWaits,
    ) -> None:
        self._archive = archive
        self._devices = devices
        self._user_id = user_id
        self._show_early = show_early  # on the loop: the notice, unless on screen already
        self._screen = screen
        self._paints = paints  # the window's, shared with rooms opened
        # Shown ahead of the archive and not archived yet: a batch that failed to save
        # comes again and must not count twice in the room list's unread badges.
        self.shown: set[str] = set()
        # Of those, archived by a gap fill or a page of history while their batch's write
        # failed: that batch comes again, and its early show (no store call to find them
        # archived) must not show them twice. Forgotten once the batch is archived.
        self._archived_ahead: set[str] = set()
        self._state = AuthorityState()  # read on the store thread, used on the loop too

    def authorized(self, events: list[RoomEvent]) -> list[RoomEvent]:
        """Mark custom events the sender's power level does not allow (store thread)."""
        judged_in = _rooms_to_judge(events)
        if not judged_in:
            return events  # plain chat: nothing to judge, so no state to read
        state = self._state.read(self._archive, judged_in)
        return RoomAuthority(state, self._devices).check_all(events)

    def show_at_once(
        self, loop: asyncio.AbstractEventLoop, batch: SyncBatch, after_token: bool
    ) -> Shown | None:
        """Show a batch without state from the event loop, before any store call (loop).

        A batch that came after the stored sync token (``after_token``: an incremental
        sync, not the first of a run) holds events the archive has not seen, except those
        shown already (``shown``: a batch whose write failed, again). If it brings no
        state and its custom events' rooms have their state copied (``authority_state``),
        no store call is needed to decide what to show: the hop to the store thread, its
        connection and its look-up of the stored ids (~2 ms) come after the paint. Events
        a gap fill archived while their batch's write failed are left out
        (``settle_history``); one the write finds archived all the same is forgotten by
        ``archive_batch``, so that a later decryption of it is told. Returns what was
        shown, for ``archive_batch``; None when the batch needs the store (decided there,
        as before)."""
        if not after_token or any(e.state_key is not None for e in batch.events):
            return None  # state: a full-state sync repeats what is archived; judged in order
        encrypted = {r.room_id for r in batch.rooms if r.encrypted}
        if any(_clear_in(encrypted, e) for e in batch.events):
            return None
        to_show = {
            e.event_id
            for e in batch.events
            if self._shows_early(e) and e.event_id not in self._archived_ahead
        }
        if not to_show or not all(_storable(e) for e in batch.events if e.event_id in to_show):
            return None  # one that cannot be stored fails the write, never shown first
        judged = self._judged_now(batch.events)
        if judged is None:
            return None
        early = tuple(e for e in judged if e.event_id in to_show)
        notice = EventsArrived(early)
        painted = self._on_screen(notice)
        if painted is None:  # a failure there is the loop's to report, not this sync step's
            loop.call_soon(self._show_early, notice, False)
        self.shown.update(e.event_id for e in early)
        return Shown(notice, painted, judged)

    def _judged_now(self, events: list[RoomEvent]) -> list[RoomEvent] | None:
        """The events judged by the copied state (loop); None if a room's is not copied
        yet (the store call reads it, for this batch and the next)."""
        judged_in = _rooms_to_judge(events)
        if not judged_in:
            return events
        state = self._state.known(judged_in)
        if state is None:
            return None
        return RoomAuthority(state, self._devices).check_all(events)

    def archive_batch(
        self,
        loop: asyncio.AbstractEventLoop,
        batch: SyncBatch,
        shown: Shown | None = None,
    ) -> tuple[list[RoomEvent], list[str]]:
        """Judge, announce and archive one batch with its token (store thread); returns
        the new or upgraded events, as ``Archive.save_sync_batch`` does, and the rooms a
        hole in history was noted in with it (only then has the fill anything new to
        fetch: a room just joined is cut short too, and noted nothing). ``shown``: what
        ``show_at_once`` showed of it; the write waits until the window has painted it."""
        if shown is not None:
            self._after_paint(loop, shown.notice, shown.painted)
        checked = shown.judged if shown is not None else self.authorized(batch.events)

        def announce(fresh: list[RoomEvent]) -> None:
            early = tuple(e for e in fresh if self._shows_early(e))
            if not early:
                return
            notice = EventsArrived(early)
            painted = self._on_screen(notice)
            if painted is None:
                loop.call_soon_threadsafe(self._show_early, notice, False)
            self.shown.update(e.event_id for e in early)  # handed off: not to count twice
            self._after_paint(loop, notice, painted)

        stated = {e.room_id for e in batch.events if e.state_key is not None}
        holes: list[str] = []
        try:
            fresh = self._archive.save_sync_batch(
                checked,
                batch.rooms,
                batch.next_batch,
                announce,
                holes=batch.gaps,
                noted=holes.extend,
                left=batch.left,
            )
        finally:  # written or rolled back: those rooms' copies may be stale either way
            copied = self._state.drop(stated)
        self._state.reread(self._archive, copied)
        if shown is not None:  # found archived already: nothing to remember for a retry
            self.shown -= {e.event_id for e in shown.notice.events} - {e.event_id for e in fresh}
        self._archived_ahead -= {e.event_id for e in batch.events}  # the batch is in
        return fresh, holes

    def _after_paint(
        self,
        loop: asyncio.AbstractEventLoop,
        notice: EventsArrived,
        painted: Callable[[float], bool] | None,
    ) -> None:
        """Let the window paint first: the write starts when it is done, and the loop's
        part (the boards) comes after the paint too; woken earlier, the loop would take
        the GIL from the window while the window applies the events."""
        if painted is None:
            return
        self._paints.wait(painted, SCREEN_GRACE_SECONDS)
        loop.call_soon_threadsafe(self._show_early, notice, True)

    def _on_screen(self, notice: EventsArrived) -> Callable[[float], bool] | None:
        """The window's ``wait``, or None without a window or if it could not take the
        notice (its bridge being deleted at close): then the loop shows it, as without a
        window. Were the failure to roll the batch back, the batch's retry would find its
        events in ``shown`` and archive them without ever showing them."""
        if self._screen is None:
            return None
        try:
            return self._screen(notice)
        except Exception:
            log.exception("the window could not take arriving events; the loop shows them")
            return None

    def _shows_early(self, event: RoomEvent) -> bool:
        """Our own echoes wait for the commit: the outbox row is marked sent first, as
        before (the 'sending' row turns into the message in one step)."""
        own_echo = event.sender == self._user_id and event.txn_id is not None
        return not own_echo and event.event_id not in self.shown

    def settle(self, fresh: list[RoomEvent]) -> set[str]:
        """Which of an archived batch's events were shown early; being archived now,
        they need not be remembered any more."""
        early = {e.event_id for e in fresh if e.event_id in self.shown}
        self.shown -= early
        return early

    def settle_history(self, fresh: list[RoomEvent]) -> set[str]:
        """``settle`` for events archived by a gap fill or a page of history: those shown
        early came in a batch whose write failed, which comes again (``_archived_ahead``)."""
        early = self.settle(fresh)
        self._archived_ahead |= early
        return early
