"""The one QObject between the UI thread and the backend thread.

Commands go in as coroutines submitted to the backend loop; notices come out as Qt
signals. Signals emitted from the backend thread reach slots on the UI thread queued,
so Qt models are only ever touched on the UI thread.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot

from app.core.paths import DataDir
from app.core.session import Blueprint, Participant
from app.services import notices
from app.services.archive_passphrase import ArchivePassphrases
from app.services.runtime import BackendRuntime, new_backend
from app.ui.commands import Command
from app.ui.feature_commands import FeatureCommands

if TYPE_CHECKING:
    from app.core.exercise import Scenario
    from app.services.backend import Backend
    from app.services.sessions import Sessions

log = logging.getLogger(__name__)
F = TypeVar("F")
N = TypeVar("N", bound=notices.Notice)
EARLY_PAINTED = QEvent.Type(QEvent.registerEventType())
"""Posted to the bridge when early events have been painted; the archive write then goes."""


class _EarlyPainted(QEvent):
    """Carries the store thread's ``threading.Event`` to set once the window has painted."""

    def __init__(self, applied: threading.Event) -> None:
        super().__init__(EARLY_PAINTED)
        self.applied = applied


@dataclass(frozen=True, eq=False)
class _Handler:
    handler: Callable[..., object]
    owner: QObject | None  # the QObject whose destruction ends the subscription
    takes_notice: bool  # as with a Qt connection, a slot may ignore the argument

    def __call__(self, notice: notices.Notice) -> None:
        if self.takes_notice:
            self.handler(notice)
        else:
            self.handler()


def _takes_an_argument(handler: Callable[..., object]) -> bool:
    try:
        return bool(inspect.signature(handler).parameters)
    except (TypeError, ValueError):  # a builtin without a signature: give it the notice
        return True


class Bridge(QObject, FeatureCommands):
    """Owns the backend runtime; the UI's only way to ask the backend for anything (the
    commands of the account's features are in ``FeatureCommands``)."""

    noticed = Signal(object)  # any notices.Notice, emitted on the backend thread
    _early = Signal(object, object)  # EventsArrived | RoomLoaded, Event set once painted
    _answered = Signal(object, object, object)  # command id, result, Problem | None

    def __init__(self, data: DataDir, embedded: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._handlers: dict[type[notices.Notice], list[_Handler]] = defaultdict(list)
        self._commands: dict[int, Command] = {}
        self._ids = itertools.count(1)
        self.noticed.connect(self._dispatch)  # queued: slots run on the UI thread
        self._early.connect(self._apply_early)
        self._answered.connect(self._answer)
        self._data, self._embedded = data, embedded
        self.data_root = data.root  # the window keeps its own place there
        self._backend: Backend | None = None  # built on the backend thread, see _boot
        self._booting: asyncio.Task[None] | None = None  # _boot, until the backend started
        self._boot_stopped = False  # a shutdown cancelled the start-up
        self._ready = asyncio.Event()
        self._account_open = asyncio.Event()  # an account's archive is open: rooms may load
        self._runtime = BackendRuntime(on_error=self._loop_error)
        self._passphrases = ArchivePassphrases(self._emit)  # lives on the backend loop
        self._running = False

    # -- notices (subscribed and delivered on the UI thread) ---------------------------

    def on(self, kind: type[N], handler: Callable[[N], object] | Callable[[], object]) -> None:
        """Call ``handler`` with every notice of this type (or without it, if it takes no
        argument). A bound method of a QObject is forgotten when that object is
        destroyed, as a Qt connection would be."""
        if kind not in notices.notice_types():
            raise TypeError(f"{kind.__name__} is not a notice")
        owner = getattr(handler, "__self__", None)
        owner = owner if isinstance(owner, QObject) else None
        entry = _Handler(handler, owner, _takes_an_argument(handler))
        self._handlers[kind].append(entry)
        if entry.owner is not None:
            entry.owner.destroyed.connect(lambda *_: self._forget(entry))

    def _forget(self, entry: _Handler) -> None:
        for handlers in self._handlers.values():
            if entry in handlers:
                handlers.remove(entry)

    @Slot(object)
    def _dispatch(self, notice: notices.Notice) -> None:
        for entry in list(self._handlers.get(type(notice), ())):
            entry(notice)

    @Slot(object, object)
    def _apply_early(
        self, notice: notices.EventsArrived | notices.RoomLoaded, applied: threading.Event
    ) -> None:
        """Apply the events, or a room opened, then say so once their rows are painted.

        A widget's ``update()`` posts its paint (an UpdateRequest) at low priority, behind
        every normal-priority posted call, so ``QTimer.singleShot(0)`` (a posted call) ran
        before the paint. And a list whose rows moved (a room going to the top) lays them
        out from a zero timer of its own, which asks for the paint only then. So a zero
        timer started now, which fires after the list's (timers fire in the order they
        fall due), posts a low-priority event of ours: it runs after the paints queued
        before it (low-priority events run in the order posted)."""
        try:
            self._dispatch(notice)
        finally:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self._after_paints(applied, timer))
            timer.start(0)

    def _after_paints(self, applied: threading.Event, timer: QTimer) -> None:
        timer.deleteLater()
        low = Qt.EventPriority.LowEventPriority.value
        QCoreApplication.postEvent(self, _EarlyPainted(applied), low)

    def customEvent(self, event: QEvent) -> None:
        """Qt's hook for events of our own types: here the word that early events are
        painted, which lets the archive write go."""
        if isinstance(event, _EarlyPainted):
            event.applied.set()
            return
        super().customEvent(event)

    def _show_early(
        self, notice: notices.EventsArrived | notices.RoomLoaded
    ) -> Callable[[float], bool]:
        """The ``Screen`` of ``app.services.arrival``: called on the store thread with
        events not archived yet (or a room just read for opening); the archive write (the
        next store call) waits on the returned ``wait`` until the window has applied them
        and painted their rows, so the two do not take turns with the GIL while the
        message (or room) is on its way to the screen."""
        applied = threading.Event()
        self._early.emit(notice, applied)
        return applied.wait

    @Slot(object, object, object)
    def _answer(self, key: int, result: Any, problem: notices.Problem | None) -> None:
        command = self._commands.pop(key)
        if problem is not None and not command.handles_failure:
            self._dispatch(problem)  # nobody asked: shown like any other problem
        command.resolve(result, problem)

    @property
    def runtime(self) -> BackendRuntime:
        """The backend loop (tests run a second client on it: one nio thread per process)."""
        return self._runtime

    def _emit(self, notice: notices.Notice) -> None:
        """Called on the backend thread; Qt queues the signal to the UI thread."""
        if isinstance(notice, notices.LoggedIn):  # said once the account's archive is open
            self._runtime.loop.call_soon_threadsafe(self._account_open.set)
        self.noticed.emit(notice)

    def _loop_error(self, message: str) -> None:
        self.noticed.emit(notices.Problem("backend_error", message))

    def _call(
        self, action: Callable[[Backend], Awaitable[Any]], *, archive_only: bool = False
    ) -> Command:
        """Run a backend use case once the backend is up (never after shutdown); its
        result, or the Problem it ran into, goes back to the returned Command: a
        ``Refused`` carries its own Problem, anything else is a "backend_error" (logged).

        ``archive_only``: a read of the account's archive (a room opening), run as soon as
        the archive is open, not after the account's start has also read every feature's
        state (seconds at a ministry's scale, docs/performance.md, session 9): it then waits
        on the store thread for the one call running there, not for the whole start. Only
        such reads: a feature's command needs the feature's state read first."""
        command, key = Command(), next(self._ids)
        if not self._running:
            return command
        self._commands[key] = command

        async def run() -> None:
            await (self._account_open if archive_only else self._ready).wait()
            if self._backend is None or self._boot_stopped:  # not on a half-started backend
                return
            try:
                result = await action(self._backend)
            except notices.Refused as exc:
                self._answered.emit(key, None, exc.problem)
            except Exception as exc:
                log.exception("command failed")
                problem = notices.Problem("backend_error", f"{type(exc).__name__}: {exc}")
                self._answered.emit(key, None, problem)
            else:
                self._answered.emit(key, result, None)

        self._runtime.submit(run())
        return command

    async def _boot(self) -> None:
        """Build the backend on its own thread: nio, SQL and keyring discovery take about a
        second to load, and the window (with the archive's rooms) is on screen meanwhile.
        Commands wait until the stored login is restored or found missing: the archive's
        list is on screen before that, and what the user does with it must not be refused
        as "not signed in"."""
        self._booting = asyncio.current_task()
        self._backend = await new_backend(
            self._data, self._emit, self._embedded, self._passphrases, self._show_early
        )
        try:
            await self._backend.start()
        finally:
            self._ready.set()
            self._account_open.set()  # or no account: its commands are refused, not held

    async def _shutdown(self) -> None:
        """A start-up still under way is stopped first: a first start paints its list
        while the backend loads and signs in, so the window can be closed then, and what
        the start-up opened must close with it, not go on behind a closed window."""
        booting = self._booting
        if booting is not None and not booting.done():
            self._boot_stopped = True  # commands queued meanwhile are not run
            booting.cancel()
            await asyncio.wait([booting])  # its own failure, if any, is reported by submit
        if self._backend is not None:
            await self._backend.shutdown()

    # -- commands (UI thread) ----------------------------------------------------------

    def start(self) -> None:
        self._runtime.start()
        self._running = True
        self._runtime.submit(self._boot())

    def give_archive_passphrase(self, user_id: str, passphrase: str | None) -> None:
        """Answer ``ArchivePassphraseNeeded`` (``None``: Cancel), straight onto the loop:
        the start-up waits for it before the backend is ready. Never logged."""
        if self._running:
            self._runtime.loop.call_soon_threadsafe(self._passphrases.answer, user_id, passphrase)

    def login(self, homeserver: str, user: str, password: str) -> Command:
        return self._call(lambda b: b.login(homeserver, user, password))

    def logout(self) -> Command:
        return self._call(lambda b: b.logout())

    def open_room(self, room_id: str) -> Command:
        return self._call(lambda b: b.open_room(room_id), archive_only=True)

    def send_text(self, room_id: str, body: str) -> Command:
        return self._call(lambda b: b.send_text(room_id, body))

    def composer_drafts(self) -> Command:
        """The composer's drafts as the last run left them (dict room id -> text)."""
        return self._call(lambda b: b.composer_drafts())

    def keep_composer_drafts(self, drafts: dict[str, str]) -> Command:
        return self._call(lambda b: b.keep_composer_drafts(drafts))

    def retry(self, txn_id: str) -> Command:
        return self._call(lambda b: b.retry(txn_id))

    def create_room(self, name: str, invite: tuple[str, ...] = ()) -> Command:
        return self._call(lambda b: b.create_room(name, invite))

    def _sessions(self, action: Callable[[Sessions], Awaitable[Any]]) -> Command:
        """A session command; a refusal comes back to the sender as "session_failed"."""
        return self._call(lambda b: b.with_sessions(action))

    def convene(self, blueprint: Blueprint) -> Command:
        return self._sessions(lambda s: s.convene(blueprint))

    def join(self, room_id: str, is_session: bool) -> Command:
        """Accept an invitation: a session's space with its rooms, or a single room."""
        return self._call(lambda b: b.join_session(room_id) if is_session else b.join_room(room_id))

    def add_participant(self, space_id: str, participant: Participant) -> Command:
        return self._sessions(lambda s: s.invite(space_id, participant))

    def set_role(self, space_id: str, participant: Participant) -> Command:
        return self._sessions(lambda s: s.set_role(space_id, participant))

    def remove_participant(self, space_id: str, user_id: str) -> Command:
        return self._sessions(lambda s: s.remove(space_id, user_id))

    def close_session(self, space_id: str) -> Command:
        return self._sessions(lambda s: s.close(space_id))

    # -- exercises -------------------------------------------------------------------------

    def start_exercise(
        self, scenario: Scenario, speed: float = 1.0, autostart: bool = True
    ) -> Command:
        return self._call(lambda b: b.start_exercise(scenario, speed, autostart))

    def exercise_control(self, action: str, speed: float = 1.0) -> Command:
        """start | pause | resume | speed | next."""

        async def control(backend: Backend) -> None:
            backend.exercise_control(action, speed)

        return self._call(control)

    def add_exercise_note(self, text: str) -> Command:
        return self._call(lambda b: b.add_exercise_note(text))

    def shutdown(self) -> None:
        """Ordered: stop sync, close client and store, stop the loop, join the thread."""
        if self._running:
            self._running = False
            self._runtime.stop(self._shutdown())
