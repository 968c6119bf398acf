"""One signed-in account at work: the sync loop, the archive, and the outbox whose rows
``app.services.outbox_worker`` sends.

Order matters on both paths (DESIGN.md): a sync batch is archived in the transaction
that moves its token, before any feature acts on it (the UI sees it while the write
goes on; ``app.services.arrival`` says why nothing is lost); a message is in the outbox
before any network I/O, and only the server's answer or echo marks it sent. The
archive's SQL runs on one executor thread, so the event loop never waits on its writes;
the outbox, a file of its own, is written here on the loop (``in_outbox`` says why).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from app.core import protocol
from app.core.errors import ConnectionLost, LoginFailed
from app.core.identifiers import is_server_id
from app.core.records import EventStatus, Invitation, OutboxItem, RoomEvent
from app.matrix import MatrixClient, SyncBatch, Withheld
from app.services.arrival import Arrivals, PaintWaits, Screen, authorized_at_arrival, store_thread
from app.services.backoff import Backoff
from app.services.feature import Feature
from app.services.key_notes import notes_for
from app.services.notices import (
    Connection,
    ConnectionChanged,
    EventsArrived,
    InvitationsChanged,
    LoginNeeded,
    Notice,
    OutboxChanged,
    Problem,
    Refused,
    RoomLoaded,
    RoomsChanged,
    RosterChanged,
)
from app.services.outbox_worker import OutboxWorker
from app.services.reporting import Reporter
from app.services.room_opening import open_on_screen
from app.services.roster_notices import RosterNotices
from app.services.store_calls import StoreCalls
from app.store import Archive, Outbox, ToDeviceRecord

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=Feature)
LONG_POLL_MS = 30_000


class AccountService:
    """Everything one logged-in device does while the app runs."""

    def __init__(
        self,
        client: MatrixClient,
        archive: Archive,
        outbox: Outbox,
        notify: Callable[[Notice], None],
        dispose: Callable[[], None] = lambda: None,
        *,
        to_device: ToDeviceRecord | None = None,
        file_key: bytes | None = None,
        screen: Screen | None = None,
    ) -> None:
        """``screen``: where events are shown ahead of the archive from the store thread
        (the window; see ``app.services.arrival``); without it, ``notify`` on the loop."""
        self.client = client
        self.file_key = file_key  # seals the account's small files (drafts, notes)
        self.archive = archive
        self.outbox = outbox
        self.to_device = to_device  # where skipped to-device messages are recorded
        self._report = Reporter(notify)
        self._notify = notify
        self._dispose = dispose  # closes the database when the account stops
        self._db_thread = store_thread()
        self._store_calls = StoreCalls(self._db_thread)
        self._sessions = RosterNotices(archive, self.db, notify)
        self._db_closed = False
        self._tasks: list[asyncio.Task[None]] = []
        self._state = Connection.CONNECTING
        self._invitations: dict[str, Invitation] = {}
        self._left_rooms: set[str] = set()  # left or removed during this run
        self._sender = OutboxWorker(  # wakes when a row is queued, sends in order per room
            client, outbox, self.in_outbox, notify, report=self._report, left_rooms=self._left_rooms
        )
        self.synced = asyncio.Event()  # set after every archived sync batch (tests, benchmarks)
        self._features: dict[type, Feature] = {}
        self._withheld: dict[str, Withheld] = {}  # session id -> refusal, this run
        # The token the archive holds: a batch is new only if asked from it. A step that
        # failed after its write committed asks its old token again, and gets again what
        # is archived already (not to be shown at once a second time).
        self._committed: str | None = None
        self._screen = screen  # also shows a room opened, from the store thread
        self._paints = PaintWaits()  # both wait on the window's paints, as one
        identities, user_id = client.identities, client.user_id
        self._arrivals = Arrivals(
            archive, identities, user_id, self._show_early, screen, paints=self._paints
        )

    def add_feature(self, feature: Feature) -> None:
        """Register before start(); one instance per class."""
        self._features[type(feature)] = feature

    def feature(self, kind: type[F]) -> F:
        found = self._features[kind]
        assert isinstance(found, kind)
        return found

    def notify(self, notice: Notice) -> None:
        """Tell the UI (features use this too)."""
        self._notify(notice)

    @property
    def user_id(self) -> str:
        return self.client.user_id

    @property
    def state(self) -> Connection:
        return self._state

    async def db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one store call on the store thread; once the store is closed (sign-out,
        shutdown) a command still on its way is refused ("Sign in first"), not a crash."""
        if self._db_closed:
            raise Refused(Problem("not_signed_in"))
        return await self._store_calls.run(lambda: fn(*args, **kwargs))

    async def in_outbox(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one outbox call here, on the loop, the outbox's one writer: queued for the
        store thread, a send's row waited for the archive's write in progress and crossed
        threads twice; in a file of its own, its small commit costs the loop less (no fsync
        in WAL mode but at a checkpoint; docs/performance.md, session 11)."""
        if self._db_closed:
            raise Refused(Problem("not_signed_in"))
        return fn(*args, **kwargs)

    def store_calls_waiting(self) -> int:
        """How many store calls are queued behind the one running (tests)."""
        return self._store_calls.waiting()

    # -- life cycle --------------------------------------------------------------------

    async def _reconcile_outbox(self) -> list[OutboxItem]:
        """Rows whose echo was archived before a crash could mark them: sent, not to
        resend (Synapse forgets transaction ids after a day; a resend would duplicate).
        Returns the rows still waiting (left by an earlier run)."""
        pending = await self.in_outbox(self.outbox.pending)
        echoed = await self.db(self.archive.echoed, [i.txn_id for i in pending], self.user_id)
        for txn_id, event_id in echoed.items():
            if item := await self.in_outbox(self.outbox.mark_sent, txn_id, event_id):
                self._notify(OutboxChanged(item))
        return [item for item in pending if item.txn_id not in echoed]

    async def start(self) -> None:
        """Show what the archive already has, then start syncing and sending."""
        for item in await self._reconcile_outbox():  # still waiting: shown as pending
            self._notify(OutboxChanged(item))
        # An archive without rooms has nothing to show, and a first start may show the
        # rooms of its first sync already (``app.services.first_list``): not emptied.
        if rooms := tuple(await self.db(self.archive.rooms)):
            self._notify(RoomsChanged(rooms))
        await self.announce_rosters()
        for feature in self._features.values():
            await self._guarded(feature.start(), feature)
        self._tasks = [
            asyncio.create_task(self._sync_forever(), name="oor-sync"),
            asyncio.create_task(self._sender.run_forever(), name="oor-outbox"),
        ]
        self._sender.wake()  # rows left pending by an earlier run go out first

    async def stop(self) -> None:
        """Ordered shutdown: stop syncing and sending, close the client, then the store."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)  # each ends cancelled
        self._tasks = []
        for feature in self._features.values():
            if stop := getattr(feature, "stop", None):  # optional: features with timers
                await stop()
        await self.client.close()
        self._db_closed = True  # a command still on its way is refused, not half-done
        await self._store_calls.run(self._dispose)
        self._db_thread.shutdown(wait=True)

    # -- commands ----------------------------------------------------------------------

    async def send_text(self, room_id: str, body: str) -> OutboxItem:
        return await self.send(room_id, "m.room.message", protocol.text_message(body))

    async def send(self, room_id: str, event_type: str, content: Mapping[str, Any]) -> OutboxItem:
        """Persist first (``in_outbox``: no archive write holds it up), then wake the
        worker; the caller sees the row at once as pending."""
        item = await self.in_outbox(self.outbox.enqueue, room_id, event_type, content)
        self._notify(OutboxChanged(item))
        self._sender.wake(item)  # handed over: the worker need not read it back
        await asyncio.sleep(0)
        return item

    async def retry(self, txn_id: str) -> None:
        """A failed row queued again, where a send is queued, so that a retry and the
        message sent after it keep their order (per room, as sent)."""
        item = await self.in_outbox(self.outbox.retry, txn_id)
        if item is not None:
            self._notify(OutboxChanged(item))
            self._sender.wake()

    async def open_room(self, room_id: str) -> RoomLoaded:
        """Read, and handed to the window from the store thread, whose next call waits
        for its paint, briefly (``room_opening``); without a window, announced here."""
        opened = await self.db(
            open_on_screen, self.archive, self.outbox, room_id, self._screen, self._paints
        )
        loaded, shown = opened
        if not shown:  # no window took it: announced as any notice
            self._notify(loaded)
        return loaded

    async def create_room(self, name: str, invite: tuple[str, ...] = ()) -> str:
        return await self.client.create_room(name, invite)

    # -- receive path ------------------------------------------------------------------

    def _set_state(self, state: Connection, detail: str = "", retry_in: float = 0.0) -> None:
        if state != self._state or state == Connection.OFFLINE:
            self._state = state
            self._notify(ConnectionChanged(state, detail, retry_in))

    async def _sync_forever(self) -> None:
        """Sync until stopped; no failure, expected or not, ends the loop except a lost login."""
        backoff = Backoff()
        since: str | None = None
        first = True
        while True:
            try:
                if first:
                    since = self._committed = await self.db(self.archive.sync_token)
                since = await self._sync_step(since, full_state=first and since is not None)
                if first:  # the waiting, once: keys sent while away, a new device's locked history
                    await self._apply(await self._decrypt_late(), rooms_changed=False)
                first = False
            except ConnectionLost as exc:
                delay = backoff.next_delay()
                self._set_state(Connection.OFFLINE, str(exc), delay)
                await asyncio.sleep(delay)
                continue
            except LoginFailed as exc:  # signed out elsewhere: stop sending too
                for task in self._tasks:
                    if task is not asyncio.current_task():
                        task.cancel()
                self._set_state(Connection.OFFLINE, exc.detail)
                self._notify(LoginNeeded(self.client.creds.homeserver, exc.problem, exc.detail))
                return
            except Exception as exc:
                log.exception("sync step failed")
                self._report.failure("sync_failed", exc)
                await asyncio.sleep(backoff.next_delay())
                continue
            backoff.reset()
            self._report.recovered()

    async def _sync_step(self, since: str | None, full_state: bool) -> str:
        """One long-poll, shown and archived with its token; returns the new token."""
        await self.client.housekeeping()
        timeout = 0 if since is None or full_state else LONG_POLL_MS
        batch = await self.client.sync(since, timeout, full_state)
        if batch.to_device_problems and self.to_device is not None:  # before the token moves
            self._report.skipped(await self.db(self.to_device.add, batch.to_device_problems))
        self._report.taken_out(batch.sync_problems)  # each also a row in its room, if it had one
        loop = asyncio.get_running_loop()  # plain chat shown now, else from the store call
        news = since is not None and since == self._committed and not full_state
        at_once = self._arrivals.show_at_once(loop, batch, news)
        fresh, holes = await self.db(self._arrivals.archive_batch, loop, batch, at_once)
        self._committed = batch.next_batch
        if holes:  # its holes were noted with it: the timeline's fill fetches them
            for feature in self._features.values():
                if cut_short := getattr(feature, "history_cut_short", None):  # optional
                    cut_short()
        shown = self._arrivals.settle(fresh)
        refusals = self.client.take_withheld()
        self._withheld.update((w.session_id, w) for w in refusals)
        locked = since is not None and any(e.status is EventStatus.UNDECRYPTED for e in fresh)
        if batch.keys_arrived or locked or refusals or self.client.key_requests_due():
            late = await self._decrypt_late()  # may hold fresh events again, with a note
            fresh = list({e.event_id: e for e in [*fresh, *late]}.values())
            shown -= {e.event_id for e in late}  # opened or noted since: show it again
        self._track_invitations(batch)
        await self._apply(fresh, rooms_changed=bool(batch.rooms), shown=shown)
        await self.client.housekeeping()  # after the save: a failure here must not lose it
        self._set_state(Connection.ONLINE)
        self.synced.set()
        self.synced.clear()
        return batch.next_batch

    async def _decrypt_late(self, limit: int = 500) -> list[RoomEvent]:
        """Decrypt what the keys we now hold open; ask for the other keys and note on
        each event still locked whom we asked, or who refused and why."""
        waiting = await self.db(self.archive.undecrypted, None, limit)
        decrypted = self.client.redecrypt(waiting)
        opened: list[RoomEvent] = []
        if decrypted:
            devices = self.client.identities
            checked = await self.db(authorized_at_arrival, self.archive, devices, decrypted)
            opened = await self.db(self.archive.update_decrypted, checked)
        done = {e.event_id for e in decrypted}
        locked = [e for e in waiting if e.event_id not in done]
        asked = await self.client.ask_for_keys(locked)
        notes = notes_for(locked, asked, self._withheld, self.user_id)
        return opened + (await self.db(self.archive.set_notes, notes) if notes else [])

    async def decrypt_waiting(self) -> int:
        """Try every archived event that waits for its key again, now (keys restored from
        a backup); what opens is announced like synced events. Returns how many did.

        All of them, not the newest 500 a sync step looks at: a restore brings the keys
        of a whole history at once."""
        fresh = await self._decrypt_late(limit=1_000_000)
        await self._apply(fresh, rooms_changed=False)
        return len(fresh)

    async def archive_history(self, events: list[RoomEvent]) -> list[RoomEvent]:
        """Archive older events fetched from the server (a sync gap, back-pagination) and
        announce them like synced ones; room state and the sync token stay as they are."""
        checked = await self.db(self._arrivals.authorized, events)
        fresh = await self.db(self.archive.save_history, checked)
        # A gap fill may archive what a failed batch showed early: not shown again.
        await self._apply(fresh, rooms_changed=False, shown=self._arrivals.settle_history(fresh))
        return fresh

    def _track_invitations(self, batch: SyncBatch) -> None:
        """Removed, then invited again in one sync: Synapse lists the room as invited and as left.
        The invitation (the later) stays; the room counts as left (sends fail) until joined."""
        before, invited = self._invitations, {i.room_id: i for i in batch.invites}
        gone = {r.room_id for r in batch.rooms} | (set(batch.left) - invited.keys())
        self._invitations = {k: v for k, v in (before | invited).items() if k not in gone}
        self._left_rooms.update(batch.left)
        self._left_rooms.difference_update(r.room_id for r in batch.rooms)
        if self._invitations != before:
            self.announce_invitations()

    def announce_invitations(self) -> None:
        self._notify(InvitationsChanged(tuple(self._invitations.values())))

    async def rosters(self, spaces: list[str] | None = None) -> list[RosterChanged]:
        """Sessions as the archive knows them: all known spaces, or those named."""
        return await self._sessions.read(spaces)

    async def announce_rosters(self, spaces: list[str] | None = None) -> None:
        """Tell the UI about sessions: all known spaces, or those named."""
        await self._sessions.announce(spaces)

    async def _apply(
        self, fresh: list[RoomEvent], rooms_changed: bool, shown: set[str] | None = None
    ) -> None:
        """Mark our echoes sent, then tell the UI what changed (but for the events it was
        ``shown`` ahead of the archive) and the features (all of it)."""
        for event in fresh:
            if event.txn_id and event.sender == self.user_id and is_server_id(event.event_id):
                item = await self.in_outbox(self.outbox.mark_sent, event.txn_id, event.event_id)
                if item is not None:
                    self._notify(OutboxChanged(item))
        if unseen := tuple(e for e in fresh if e.event_id not in (shown or ())):
            self._notify(EventsArrived(unseen))
        if fresh:
            for feature in self._features.values():
                await self._guarded(feature.absorb(fresh), feature)
        if rooms_changed:
            self._notify(RoomsChanged(tuple(await self.db(self.archive.rooms))))
        if spaces := await self._sessions.changed_by(fresh):
            await self.announce_rosters(spaces)
        if self._state != Connection.ONLINE:
            self._sender.wake()  # back online: what waited may go now

    def _show_early(self, notice: EventsArrived, on_screen: bool) -> None:
        """Events judged and shown ahead of their archive write: the UI hears of them
        (unless the screen has them already), and so do the features that only project
        what is shown (``show_early``: the boards); whatever has consequences still waits
        for ``absorb``, after the commit."""
        if not on_screen:
            self._notify(notice)
        for feature in self._features.values():
            if show_early := getattr(feature, "show_early", None):  # optional, like stop
                try:
                    show_early(notice.events)
                except Exception as exc:
                    log.exception("feature %s failed", type(feature).__name__)
                    self._notify(Problem("feature_failed", f"{type(exc).__name__}: {exc}"))

    async def _guarded(self, step: Awaitable[None], feature: Feature) -> None:
        """A failing feature is shown and logged; syncing and the other features go on."""
        try:
            await step
        except Exception as exc:
            log.exception("feature %s failed", type(feature).__name__)
            self._notify(Problem("feature_failed", f"{type(exc).__name__}: {exc}"))
