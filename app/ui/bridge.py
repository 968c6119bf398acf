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
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from app.core.charts import ChartDef, CsvRow, Reading
from app.core.exercise import Scenario
from app.core.instructions import Draft
from app.core.paths import DataDir
from app.core.session import Blueprint, Participant
from app.core.timeline import EntryDraft, TimelineQuery
from app.services import notices
from app.services.archive_passphrase import ArchivePassphrases
from app.services.runtime import BackendRuntime, new_backend
from app.ui.commands import Command

if TYPE_CHECKING:
    from app.services.backend import Backend
    from app.services.charts import Charts
    from app.services.instructions import Instructions
    from app.services.open_round import OpenRound
    from app.services.sessions import Sessions
    from app.services.timeline import Timeline

log = logging.getLogger(__name__)
F = TypeVar("F")
N = TypeVar("N", bound=notices.Notice)


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


class Bridge(QObject):
    """Owns the backend runtime; the UI's only way to ask the backend for anything."""

    noticed = Signal(object)  # any notices.Notice, emitted on the backend thread
    _answered = Signal(object, object, object)  # command id, result, Problem | None

    def __init__(self, data: DataDir, embedded: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._handlers: dict[type[notices.Notice], list[_Handler]] = defaultdict(list)
        self._commands: dict[int, Command] = {}
        self._ids = itertools.count(1)
        self.noticed.connect(self._dispatch)  # queued: slots run on the UI thread
        self._answered.connect(self._answer)
        self._data, self._embedded = data, embedded
        self.data_root = data.root  # the window keeps its own place there
        self._backend: Backend | None = None  # built on the backend thread, see _boot
        self._ready = asyncio.Event()
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
        self.noticed.emit(notice)

    def _loop_error(self, message: str) -> None:
        self.noticed.emit(notices.Problem("backend_error", message))

    def _call(self, action: Callable[[Backend], Awaitable[Any]]) -> Command:
        """Run a backend use case once the backend is up (never after shutdown); its
        result, or the Problem it ran into, goes back to the returned Command: a
        ``Refused`` carries its own Problem, anything else is a "backend_error" (logged)."""
        command, key = Command(), next(self._ids)
        if not self._running:
            return command
        self._commands[key] = command

        async def run() -> None:
            await self._ready.wait()
            assert self._backend is not None
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
        self._backend = await new_backend(self._data, self._emit, self._embedded, self._passphrases)
        try:
            await self._backend.start()
        finally:
            self._ready.set()

    async def _shutdown(self) -> None:
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
        return self._call(lambda b: b.open_room(room_id))

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

    # -- instructions ----------------------------------------------------------------------

    def _use(self, feature: str, action: Callable[[Any], Awaitable[Any]]) -> Command:
        """A command of one feature of the signed-in account, named as in
        ``app.services.features``; what it refuses comes back to the sender. The UI never
        imports a feature's module (the charts' loads plotly, on the backend thread)."""
        return self._call(lambda backend: backend.use(feature, action))

    def verification(self, action: Callable[[Any], Awaitable[Any]]) -> Command:
        """A command of emoji verification (request, accept, confirm, mismatch, cancel)."""
        return self._use("verification", action)

    def open_round(self, action: Callable[[OpenRound], Awaitable[Any]]) -> Command:
        """An open-round command; a refusal (wrong role, round closed) comes back."""
        return self._use("open_round", action)

    def _instructions(self, action: Callable[[Instructions], Awaitable[Any]]) -> Command:
        """An instruction command; a refusal (not an official, no reason given) is shown."""
        return self._use("instructions", action)

    def issue_instruction(self, space_id: str, draft: Draft) -> Command:
        return self._instructions(lambda s: s.issue(space_id, draft))

    def acknowledge(self, instruction_id: str, state: str, note: str = "") -> Command:
        return self._instructions(lambda s: s.acknowledge(instruction_id, state, note))

    def request_instructions(
        self, space_id: str, subject: str, body: str, deadline: int | None
    ) -> Command:
        return self._instructions(lambda s: s.request(space_id, subject, body, deadline))

    def clarify(self, instruction_id: str, text: str) -> Command:
        return self._instructions(lambda s: s.clarify(instruction_id, text))

    def save_draft(self, draft: Draft) -> Command:
        return self._instructions(lambda s: s.save_draft(draft))

    def delete_draft(self, draft_id: str) -> Command:
        return self._instructions(lambda s: s.delete_draft(draft_id))

    # -- key recovery ----------------------------------------------------------------------

    def set_up_recovery(self, passphrase: str) -> Command:
        """Make the account's recovery key; it comes back once, in a RecoveryChanged."""
        return self._use("recovery", lambda r: r.set_up(passphrase))

    def accept_identity(self, user_id: str) -> Command:
        """The user accepts a participant's new identity: held messages to them go."""
        return self._use("people", lambda p: p.acknowledge_identity(user_id))

    def set_session_policy(self, space_id: str, cross_signed_only: bool) -> Command:
        """The facilitator's setting: room keys only to cross-signed devices, or to all."""
        return self._use("trust", lambda t: t.set_session_policy(space_id, cross_signed_only))

    def set_up_cross_signing(self, password: str) -> Command:
        """Make the account's cross-signing keys with its password (used once, not kept)."""
        return self._use("trust", lambda t: t.set_up(password))

    def restore_history(self, typed: str) -> Command:
        """Open the key backup with a recovery key or passphrase (a failure is a notice)."""
        return self._use("recovery", lambda r: r.restore(typed))

    # -- situation charts ------------------------------------------------------------------

    def _charts(self, action: Callable[[Charts], Awaitable[Any]]) -> Command:
        return self._use("charts", action)

    def load_charts(self, room_id: str) -> Command:
        return self._charts(lambda s: s.load_charts(room_id))

    def publish_value(self, room_id: str, reading: Reading) -> Command:
        return self._charts(lambda s: s.publish(room_id, reading))

    def define_chart(self, room_id: str, chart: ChartDef) -> Command:
        return self._charts(lambda s: s.define_chart(room_id, chart))

    def preview_csv(self, room_id: str, series: str, path: str, unit: str) -> Command:
        return self._charts(lambda s: s.preview_csv(room_id, series, path, unit))

    def import_rows(self, room_id: str, rows: tuple[CsvRow, ...]) -> Command:
        return self._charts(lambda s: s.import_rows(room_id, rows))

    def export_chart(
        self, room_id: str, chart_id: str, fmt: str, path: str, banner: str
    ) -> Command:
        """fmt: html (self-contained page) or csv (the values behind the chart)."""
        return self._charts(lambda s: s.export(room_id, chart_id, fmt, path, banner))

    # -- the record -------------------------------------------------------------------------

    def export_record(self, space_id: str, folder: str) -> Command:
        """Write the session's record (report and signed bundle) into ``folder``."""
        return self._use("records", lambda r: r.export(space_id, folder))

    def seal_record(self, room_ids: tuple[str, ...]) -> Command:
        """Publish a signed seal of our record of each of these rooms now; the seals sent."""
        return self._use("seals", lambda seals: seals.seal_all(room_ids))

    # -- the shared timeline ---------------------------------------------------------------

    def _timeline(self, action: Callable[[Timeline], Awaitable[Any]]) -> Command:
        """A timeline command; a refusal (no title, a status the rules forbid), or an upload
        or download the server did not take, is shown."""
        return self._use("timeline", action)

    def post_entry(self, room_id: str, draft: EntryDraft) -> Command:
        return self._timeline(lambda t: t.post(room_id, draft))

    def verify_entry(self, entry_id: str, status: str, reason: str) -> Command:
        return self._timeline(lambda t: t.verify(entry_id, status, reason))

    def timeline_shown(self, room_id: str) -> Command:
        """Verification and pins of a room just shown."""
        return self._timeline(lambda t: t.announce_room(room_id))

    def pin(self, room_id: str, event_id: str, pinned: bool) -> Command:
        return self._timeline(lambda t: t.pin(room_id, event_id, pinned))

    def reply(self, room_id: str, event_id: str, body: str) -> Command:
        return self._timeline(lambda t: t.reply(room_id, event_id, body))

    def edit(self, event_id: str, body: str) -> Command:
        return self._timeline(lambda t: t.edit(event_id, body))

    def attach(self, room_id: str, path: str) -> Command:
        return self._timeline(lambda t: t.attach(room_id, path))

    def fetch_attachment(self, event_id: str, save_to: str = "") -> Command:
        return self._timeline(lambda t: t.fetch_attachment(event_id, save_to))

    def load_older(self, room_id: str, before: str) -> Command:
        return self._timeline(lambda t: t.older(room_id, before))

    def search(self, query: TimelineQuery) -> Command:
        return self._timeline(lambda t: t.search(query))

    # -- sitreps ---------------------------------------------------------------------------

    def sitrep(self, action: Callable[[Any], Awaitable[Any]]) -> Command:
        """A sitrep command (compile answers with a SitrepDraft); what the rules refuse
        comes back as Problem("sitrep_refused", <core.sitrep.Why code>)."""
        return self._use("sitrep", action)

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
