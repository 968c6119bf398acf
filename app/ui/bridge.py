"""The one QObject between the UI thread and the backend thread.

Commands go in as coroutines submitted to the backend loop; notices come out as Qt
signals. Signals emitted from the backend thread reach slots on the UI thread queued,
so Qt models are only ever touched on the UI thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.core.attachments import AttachmentError
from app.core.blueprint import Blueprint, Participant
from app.core.entries import EntryDraft, EntryError, TimelineQuery
from app.core.errors import SendFailed
from app.core.indicators import ChartDef, CsvRow, Reading
from app.core.instructions import Draft
from app.core.paths import DataDir
from app.core.scenario import Scenario
from app.services import notices
from app.services.instructions import InstructionError, Instructions
from app.services.runtime import BackendRuntime
from app.services.timeline import Timeline

if TYPE_CHECKING:
    from app.services.backend import Backend
    from app.services.indicators import Indicators
    from app.services.recovery import KeyRecovery

F = TypeVar("F")


def _recovery() -> type[KeyRecovery]:
    from app.services.recovery import KeyRecovery  # nio and crypto load on the backend thread

    return KeyRecovery


def _indicators() -> type[Indicators]:
    from app.services.indicators import Indicators  # plotly loads on the backend thread

    return Indicators


class Bridge(QObject):
    """Owns the backend runtime; the UI's only way to ask the backend for anything."""

    connectionChanged = Signal(object)  # notices.ConnectionChanged
    loginNeeded = Signal(object)  # notices.LoginNeeded
    loggedIn = Signal(object)  # notices.LoggedIn
    roomsChanged = Signal(object)  # notices.RoomsChanged
    roomLoaded = Signal(object)  # notices.RoomLoaded
    eventsArrived = Signal(object)  # notices.EventsArrived
    outboxChanged = Signal(object)  # notices.OutboxChanged
    invitationsChanged = Signal(object)  # notices.InvitationsChanged
    rosterChanged = Signal(object)  # notices.RosterChanged
    problem = Signal(object)  # notices.Problem
    instructionsChanged = Signal(object)  # notices.InstructionsChanged
    instructionAlert = Signal(object)  # notices.InstructionAlert
    instructionOverdue = Signal(object)  # notices.InstructionOverdue
    draftsChanged = Signal(object)  # notices.DraftsChanged
    exerciseProgress = Signal(object)  # notices.ExerciseProgress
    evaluatorNotes = Signal(object)  # notices.EvaluatorNotes
    dashboardLoaded = Signal(object)  # notices.DashboardLoaded
    chartsUpdated = Signal(object)  # notices.ChartsUpdated
    indicatorRefused = Signal(object)  # notices.IndicatorRefused
    csvPreviewed = Signal(object)  # notices.CsvPreviewed
    chartExported = Signal(object)  # notices.ChartExported
    verificationsChanged = Signal(object)  # notices.VerificationsChanged
    olderLoaded = Signal(object)  # notices.OlderLoaded
    searchResults = Signal(object)  # notices.SearchResults
    pinsChanged = Signal(object)  # notices.PinsChanged
    attachmentFetched = Signal(object)  # notices.AttachmentFetched
    recoveryChanged = Signal(object)  # notices.RecoveryChanged

    def __init__(self, data: DataDir, embedded: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._signals = {
            notices.ConnectionChanged: self.connectionChanged,
            notices.LoginNeeded: self.loginNeeded,
            notices.LoggedIn: self.loggedIn,
            notices.RoomsChanged: self.roomsChanged,
            notices.RoomLoaded: self.roomLoaded,
            notices.EventsArrived: self.eventsArrived,
            notices.OutboxChanged: self.outboxChanged,
            notices.InvitationsChanged: self.invitationsChanged,
            notices.RosterChanged: self.rosterChanged,
            notices.Problem: self.problem,
            notices.InstructionsChanged: self.instructionsChanged,
            notices.InstructionAlert: self.instructionAlert,
            notices.InstructionOverdue: self.instructionOverdue,
            notices.DraftsChanged: self.draftsChanged,
            notices.ExerciseProgress: self.exerciseProgress,
            notices.EvaluatorNotes: self.evaluatorNotes,
            notices.DashboardLoaded: self.dashboardLoaded,
            notices.ChartsUpdated: self.chartsUpdated,
            notices.IndicatorRefused: self.indicatorRefused,
            notices.CsvPreviewed: self.csvPreviewed,
            notices.ChartExported: self.chartExported,
            notices.VerificationsChanged: self.verificationsChanged,
            notices.OlderLoaded: self.olderLoaded,
            notices.SearchResults: self.searchResults,
            notices.PinsChanged: self.pinsChanged,
            notices.AttachmentFetched: self.attachmentFetched,
            notices.RecoveryChanged: self.recoveryChanged,
        }
        self._data, self._embedded = data, embedded
        self._backend: Backend | None = None  # built on the backend thread, see _boot
        self._ready = asyncio.Event()
        self._runtime = BackendRuntime(on_error=self._loop_error)
        self._running = False

    @property
    def runtime(self) -> BackendRuntime:
        """The backend loop (tests run a second client on it: one nio thread per process)."""
        return self._runtime

    def _emit(self, notice: notices.Notice) -> None:
        """Called on the backend thread; Qt queues the signal to the UI thread."""
        self._signals[type(notice)].emit(notice)

    def _loop_error(self, message: str) -> None:
        self.problem.emit(notices.Problem("backend_error", message))

    def _call(self, action: Callable[[Backend], Coroutine[Any, Any, Any]]) -> None:
        """Run a backend use case once the backend is up; dropped after shutdown."""
        if self._running:
            self._runtime.submit(self._when_ready(action))

    async def _when_ready(self, action: Callable[[Backend], Coroutine[Any, Any, Any]]) -> Any:
        await self._ready.wait()
        assert self._backend is not None
        return await action(self._backend)

    async def _boot(self) -> None:
        """Build the backend on its own thread: nio, SQL and keyring discovery take about a
        second to load, and the window should be on screen meanwhile."""
        from app.services.backend import Backend

        self._backend = Backend(self._data, self._emit, embedded=self._embedded)
        self._ready.set()
        await self._backend.start()

    async def _shutdown(self) -> None:
        if self._backend is not None:
            await self._backend.shutdown()

    # -- commands (UI thread) ----------------------------------------------------------

    def start(self) -> None:
        self._runtime.start()
        self._running = True
        self._runtime.submit(self._boot())

    def login(self, homeserver: str, user: str, password: str) -> None:
        self._call(lambda b: b.login(homeserver, user, password))

    def logout(self) -> None:
        self._call(lambda b: b.logout())

    def open_room(self, room_id: str) -> None:
        self._call(lambda b: b.open_room(room_id))

    def send_text(self, room_id: str, body: str) -> None:
        self._call(lambda b: b.send_text(room_id, body))

    def retry(self, txn_id: str) -> None:
        self._call(lambda b: b.retry(txn_id))

    def create_room(self, name: str, invite: tuple[str, ...] = ()) -> None:
        self._call(lambda b: b.create_room(name, invite))

    def convene(self, blueprint: Blueprint) -> None:
        self._call(lambda b: b.convene(blueprint))

    def join(self, room_id: str, is_session: bool) -> None:
        """Accept an invitation: a session's space with its rooms, or a single room."""
        self._call(lambda b: b.join_session(room_id) if is_session else b.join_room(room_id))

    def add_participant(self, space_id: str, participant: Participant) -> None:
        self._call(lambda b: b.add_participant(space_id, participant))

    def set_role(self, space_id: str, participant: Participant) -> None:
        self._call(lambda b: b.set_role(space_id, participant))

    def remove_participant(self, space_id: str, user_id: str) -> None:
        self._call(lambda b: b.remove_participant(space_id, user_id))

    def close_session(self, space_id: str) -> None:
        self._call(lambda b: b.close_session(space_id))

    # -- instructions ----------------------------------------------------------------------

    def _use(
        self,
        feature: Callable[[], type[F]],
        action: Callable[[F], Awaitable[Any]],
        refusals: Mapping[type[Exception], str] = MappingProxyType({}),
    ) -> None:
        """A command of one feature of the signed-in account. An expected refusal (an
        exception type in ``refusals``) is shown as that Problem; anything else reaches the
        loop's error handler. ``feature`` is called on the backend thread, so a feature
        whose module loads heavy libraries (plotly) is imported there, not here."""

        async def run(backend: Backend) -> None:
            try:
                await backend.use(feature(), action)
            except tuple(refusals) as exc:
                what = next(code for kind, code in refusals.items() if isinstance(exc, kind))
                detail = exc.detail if isinstance(exc, SendFailed) else str(exc)
                backend.notify(notices.Problem(what, detail))

        self._call(run)

    def _instructions(self, action: Callable[[Instructions], Awaitable[Any]]) -> None:
        """An instruction command; a refusal (not an official, no reason given) is shown."""
        self._use(lambda: Instructions, action, {InstructionError: "instruction_failed"})

    def issue_instruction(self, space_id: str, draft: Draft) -> None:
        self._instructions(lambda s: s.issue(space_id, draft))

    def acknowledge(self, instruction_id: str, state: str, note: str = "") -> None:
        self._instructions(lambda s: s.acknowledge(instruction_id, state, note))

    def request_instructions(
        self, space_id: str, subject: str, body: str, deadline: int | None
    ) -> None:
        self._instructions(lambda s: s.request(space_id, subject, body, deadline))

    def clarify(self, instruction_id: str, text: str) -> None:
        self._instructions(lambda s: s.clarify(instruction_id, text))

    def save_draft(self, draft: Draft) -> None:
        self._instructions(lambda s: s.save_draft(draft))

    def delete_draft(self, draft_id: str) -> None:
        self._instructions(lambda s: s.delete_draft(draft_id))

    # -- key recovery ----------------------------------------------------------------------

    def set_up_recovery(self, passphrase: str) -> None:
        """Make the account's recovery key; it comes back once, in a RecoveryChanged."""
        self._use(_recovery, lambda r: r.set_up(passphrase))

    def restore_history(self, typed: str) -> None:
        """Open the key backup with a recovery key or passphrase (a failure is a notice)."""
        self._use(_recovery, lambda r: r.restore(typed))

    # -- situation charts ------------------------------------------------------------------

    def _charts(self, action: Callable[[Indicators], Awaitable[Any]]) -> None:
        self._use(_indicators, action)

    def load_dashboard(self, room_id: str) -> None:
        self._charts(lambda s: s.load_dashboard(room_id))

    def publish_value(self, room_id: str, reading: Reading) -> None:
        self._charts(lambda s: s.publish(room_id, reading))

    def define_chart(self, room_id: str, chart: ChartDef) -> None:
        self._charts(lambda s: s.define_chart(room_id, chart))

    def preview_csv(self, room_id: str, series: str, path: str, unit: str) -> None:
        self._charts(lambda s: s.preview_csv(room_id, series, path, unit))

    def import_rows(self, room_id: str, rows: tuple[CsvRow, ...]) -> None:
        self._charts(lambda s: s.import_rows(room_id, rows))

    def export_chart(self, room_id: str, chart_id: str, fmt: str, path: str, banner: str) -> None:
        """fmt: html (self-contained page) or csv (the values behind the chart)."""
        self._charts(lambda s: s.export(room_id, chart_id, fmt, path, banner))

    # -- the shared timeline ---------------------------------------------------------------

    def _timeline(self, action: Callable[[Timeline], Awaitable[Any]]) -> None:
        """A timeline command; a refusal (no title, a status the rules forbid), or an upload
        or download the server did not take, is shown."""
        refusals = {
            EntryError: "timeline_refused",
            AttachmentError: "timeline_refused",
            SendFailed: "timeline_failed",
        }
        self._use(lambda: Timeline, action, refusals)

    def post_entry(self, room_id: str, draft: EntryDraft) -> None:
        self._timeline(lambda t: t.post(room_id, draft))

    def verify_entry(self, entry_id: str, status: str, reason: str) -> None:
        self._timeline(lambda t: t.verify(entry_id, status, reason))

    def timeline_shown(self, room_id: str) -> None:
        """Verification and pins of a room just shown."""
        self._timeline(lambda t: t.announce_room(room_id))

    def pin(self, room_id: str, event_id: str, pinned: bool) -> None:
        self._timeline(lambda t: t.pin(room_id, event_id, pinned))

    def reply(self, room_id: str, event_id: str, body: str) -> None:
        self._timeline(lambda t: t.reply(room_id, event_id, body))

    def edit(self, event_id: str, body: str) -> None:
        self._timeline(lambda t: t.edit(event_id, body))

    def attach(self, room_id: str, path: str) -> None:
        self._timeline(lambda t: t.attach(room_id, path))

    def fetch_attachment(self, event_id: str, save_to: str = "") -> None:
        self._timeline(lambda t: t.fetch_attachment(event_id, save_to))

    def load_older(self, room_id: str, before: str) -> None:
        self._timeline(lambda t: t.older(room_id, before))

    def search(self, query: TimelineQuery) -> None:
        self._timeline(lambda t: t.search(query))

    # -- exercises -------------------------------------------------------------------------

    def start_exercise(
        self, scenario: Scenario, speed: float = 1.0, autostart: bool = True
    ) -> None:
        self._call(lambda b: b.start_exercise(scenario, speed, autostart))

    def exercise_control(self, action: str, speed: float = 1.0) -> None:
        """start | pause | resume | speed | next."""

        async def control(backend: Backend) -> None:
            backend.exercise_control(action, speed)

        self._call(control)

    def add_exercise_note(self, text: str) -> None:
        self._call(lambda b: b.add_exercise_note(text))

    def shutdown(self) -> None:
        """Ordered: stop sync, close client and store, stop the loop, join the thread."""
        if self._running:
            self._running = False
            self._runtime.stop(self._shutdown())
