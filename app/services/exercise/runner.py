"""Run an exercise: a scenario's cast signs in, the session is convened, injects play out.

The cast are real accounts on the homeserver, each driven through its own ``Backend`` on
this loop, exactly as the app drives its user: an inject is an instruction issued, an
ack sent, a message posted through the same services and outbox. Only the facilitator's
account is the app's own; it convenes the session and its notices carry the progress.

The host is handed a factory for the cast's backends rather than importing ``Backend``:
the backend owns the exercise, so the exercise must not own the backend's module.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.core.charts import Reading
from app.core.exercise import FACILITATOR, EvaluatorNote, ExerciseClock, Inject, Scenario
from app.core.instructions import Draft
from app.core.paths import DataDir
from app.core.roles import RoomKind
from app.core.session import SessionInfo
from app.core.timeline import EntryDraft
from app.services.charts import Indicators
from app.services.instructions import Instructions
from app.services.notices import EvaluatorNotes, ExerciseProgress, Notice
from app.services.sessions import Sessions
from app.services.timeline import Timeline
from app.store import JsonDocument

if TYPE_CHECKING:
    from app.homeserver import Account
    from app.services.account import AccountService

log = logging.getLogger(__name__)
READY_SECONDS = 60.0  # for the cast to see the session, and a delegate an instruction


class ExerciseError(Exception):
    """The exercise cannot start (no homeserver to make the cast on, a login failed)."""


@dataclass
class CastLogin:
    user_id: str
    password: str


class ExerciseRunner:
    """Plays a scenario's injects on its clock; controls may come at any time."""

    def __init__(
        self,
        scenario: Scenario,
        facilitator: AccountService,
        cast: Mapping[str, AccountService],
        notify: Callable[[Notice], None],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.scenario = scenario
        self.clock = ExerciseClock()
        self._facilitator = facilitator
        self._cast = cast
        self._notify = notify
        self._now = monotonic
        self._wake = asyncio.Event()
        self.session: SessionInfo | None = None
        self.done = 0
        self.failures: list[str] = []
        self._refs: dict[str, str] = {}  # inject id -> instruction ref
        self._sent: dict[str, tuple[AccountService, str]] = {}  # inject id -> (sender, txn)

    def account(self, handle: str) -> AccountService:
        return self._facilitator if handle == FACILITATOR else self._cast[handle]

    # -- setting up --------------------------------------------------------------------------

    async def convene(self) -> SessionInfo:
        """The facilitator convenes; every cast member joins and has read its rooms."""
        ids = {handle: account.user_id for handle, account in self._cast.items()}
        info = await Sessions(self._facilitator.client).convene(self.scenario.blueprint(ids))
        self.session = info
        for account in self._cast.values():
            await Sessions(account.client).join(info.space_id)
        everyone = [self._facilitator, *self._cast.values()]
        await _until(everyone, lambda: all(self._ready(a) for a in everyone), "the cast's rooms")
        await self._define_charts(info)
        self._progress("")
        return info

    async def _define_charts(self, info: SessionInfo) -> None:
        """The facilitator puts the charts up; whoever publishes waits until they see them."""
        operations = info.room(RoomKind.OPERATIONS)
        if operations is None or not self.scenario.charts:
            return
        indicators = self._facilitator.feature(Indicators)
        for chart in self.scenario.charts:
            if not await indicators.define_chart(operations, chart):
                raise ExerciseError(f"chart '{chart.chart_id}' could not be defined")
        series = {s for chart in self.scenario.charts for s in chart.series}
        publishers = {self.account(i.by) for i in self.scenario.injects if i.do == "indicator"}
        for account in publishers:
            room = account.feature(Indicators).room
            await _until(
                [account], lambda r=room: series <= set(r(operations).known_series()), "the charts"
            )

    def _ready(self, account: AccountService) -> bool:
        assert self.session is not None
        desk = account.feature(Instructions).desk(self.session.space_id)
        if desk is None or desk.my_role is None:
            return False
        wanted = {d for c in self.scenario.cast for d in [c.delegation] if c.delegation}
        if desk.my_delegation:
            wanted = {desk.my_delegation}
        elif not desk.can_issue:
            return True
        return wanted <= set(desk.rooms.values())

    # -- controls (on the loop) ------------------------------------------------------------------

    def start(self) -> None:
        """The facilitator's go, for an exercise convened without starting."""
        self.clock.start(self._now())
        self._changed()

    def pause(self) -> None:
        self.clock.pause(self._now())
        self._changed()

    def resume(self) -> None:
        self.clock.resume(self._now())
        self._changed()

    def set_speed(self, speed: float) -> None:
        self.clock.set_speed(speed, self._now())
        self._changed()

    def skip_to_next(self) -> None:
        """Jump the exercise clock to the next inject's time."""
        if self.done < len(self.scenario.injects):
            self.clock.jump_to(self.scenario.injects[self.done].at, self._now())
            self._changed()

    def _changed(self) -> None:
        self._wake.set()
        self._progress("")

    # -- playing --------------------------------------------------------------------------------

    async def run(self, speed: float = 1.0, autostart: bool = True) -> None:
        """Play every inject in order; a failing one is recorded and the exercise goes on.

        Without ``autostart`` the clock stays at T+0 until the facilitator starts it."""
        self.clock.set_speed(speed, self._now())
        if autostart:
            self.clock.start(self._now())
        self._progress("")
        for inject in self.scenario.injects:
            await self._until_due(inject.at)
            try:
                await self._play(inject)
                what = f"{inject.do} by {inject.by}"
            except Exception as exc:
                log.exception("inject on line %d failed", inject.line)
                what = f"line {inject.line}: {inject.do} by {inject.by} failed: {exc}"
                self.failures.append(what)
            self.done += 1
            self._progress(what)
        self.clock.finish(self._now())
        self._progress("")

    async def _until_due(self, at: float) -> None:
        while (delay := self.clock.real_delay(at, self._now())) != 0:
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    def _progress(self, last: str) -> None:
        injects = self.scenario.injects
        self._notify(
            ExerciseProgress(
                self.scenario.title,
                self.session.space_id if self.session else "",
                self.clock.state,
                self.clock.elapsed(self._now()),
                self.clock.speed,
                self.done,
                len(injects),
                injects[self.done].at if self.done < len(injects) else None,
                last,
                tuple(self.failures),
            )
        )

    async def _play(self, inject: Inject) -> None:
        assert self.session is not None
        account = self.account(inject.by)
        f = inject.fields
        space = self.session.space_id
        if inject.do == "message":
            await account.send_text(self._room(str(f.get("room", "operations"))), str(f["text"]))
        elif inject.do == "instruction":
            answers = await self._event_id(str(f["answers"])) if "answers" in f else ""
            draft = _draft(f, answers, self.clock.speed)
            ref = await account.feature(Instructions).issue(space, draft)
            if inject.label:
                self._refs[inject.label] = ref
        elif inject.do == "ack":
            ref = self._refs[str(f["instruction"])]
            feature = account.feature(Instructions)
            await _until([account], lambda: feature.find(ref) is not None, "the instruction")
            await feature.acknowledge(ref, str(f["state"]), str(f.get("note") or ""))
        elif inject.do == "request":
            deadline = _deadline(f.get("deadline_minutes"), self.clock.speed)
            body = str(f.get("body") or "")
            feature = account.feature(Instructions)
            item = await feature.request(space, str(f["subject"]), body, deadline)
            if inject.label:
                self._sent[inject.label] = (account, item.txn_id)
        elif inject.do in ("entry", "rumour"):
            kind = "rumour" if inject.do == "rumour" else str(f["entry_kind"])
            room = self._room(str(f.get("room", "operations")))
            item = await account.feature(Timeline).post(room, _entry(kind, f))
            if inject.label:
                self._sent[inject.label] = (account, item.txn_id)
        elif inject.do == "verification":
            entry_id = await self._event_id(str(f["entry"]))
            await _until(  # the verifier must have seen the entry
                [account],
                lambda: _stored(account, entry_id),
                f"{entry_id} to reach {account.user_id}",
            )
            reason = str(f.get("reason") or "")
            await account.feature(Timeline).verify(entry_id, str(f["status"]), reason)
        else:  # indicator
            await self._publish(account, f)

    async def _event_id(self, label: str) -> str:
        """The event id of what an earlier inject sent, once the server has it."""
        author, txn_id = self._sent[label]

        async def event_id() -> str:
            item = await author.db(author.outbox.get, txn_id)
            return item.event_id or "" if item is not None else ""

        await _until([author], event_id, f"'{label}' to be sent")
        return await event_id()

    async def _publish(self, account: AccountService, f: Mapping[str, Any]) -> None:
        operations = self._room("operations")
        reading = Reading(
            str(f["series"]),
            float(f["value"]),
            int(time.time() * 1000),
            str(f.get("unit") or ""),
            str(f.get("region") or ""),
            str(f.get("source") or "exercise"),
        )
        if await account.feature(Indicators).publish(operations, reading) is None:
            raise ExerciseError(f"the value for '{reading.series}' was refused")

    def _room(self, room: str) -> str:
        assert self.session is not None
        kind, _, delegation = room.partition(":")
        room_id = self.session.room(RoomKind(kind), delegation)
        if room_id is None:
            raise ExerciseError(f"the session has no room '{room}'")
        return room_id


def _deadline(minutes: Any, speed: float) -> int | None:
    """Exercise minutes from now, on the real clock (at 10×, ten minutes pass in one)."""
    if minutes is None:
        return None
    return int(time.time() * 1000 + float(minutes) * 60_000 / speed)


def _entry(kind: str, f: Mapping[str, Any]) -> EntryDraft:
    sources = f.get("sources")
    return EntryDraft(
        kind=kind,
        title=str(f["title"]),
        body=str(f.get("body") or ""),
        sources=tuple(str(s) for s in sources) if isinstance(sources, list) else (),
        verification=str(f.get("verification") or "unverified"),
    )


def _draft(f: Mapping[str, Any], answers: str, speed: float) -> Draft:
    def ids(value: Any) -> tuple[str, ...]:
        return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)

    return Draft(
        subject=str(f["subject"]),
        body=str(f.get("body") or ""),
        priority=str(f.get("priority") or "routine"),
        action=ids(f["to"]),
        info=ids(f["info"]) if "info" in f else (),
        deadline=_deadline(f.get("deadline_minutes"), speed),
        requires_ack=bool(f.get("requires_ack", True)),
        classification="EXERCISE",
        answers=answers,
    )


async def _until(
    accounts: list[AccountService], check: Callable[[], object | Awaitable[object]], what: str
) -> None:
    """Wait until ``check()`` (plain or awaitable) is truthy, looking again after every
    sync of these accounts."""
    deadline = time.monotonic() + READY_SECONDS
    while not await _value(check()):
        left = deadline - time.monotonic()
        if left <= 0:
            raise ExerciseError(f"gave up waiting for {what}")
        await _next_sync(accounts, min(left, 1.0))


async def _value(result: object | Awaitable[object]) -> object:
    return await result if inspect.isawaitable(result) else result


async def _stored(account: AccountService, event_id: str) -> bool:
    return await account.db(account.archive.event, event_id) is not None


async def _next_sync(accounts: list[AccountService], at_most: float) -> None:
    """Until one of these accounts has archived a sync batch (or the timeout: a look
    again, in case what we wait for came from our own send rather than a sync)."""
    waits = [asyncio.ensure_future(a.synced.wait()) for a in accounts]
    try:
        await asyncio.wait(waits, timeout=at_most, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()


class CastBackend(Protocol):
    """What the host needs of one cast member's backend (an ``app.services.backend.Backend``
    whose notices nobody watches)."""

    account: AccountService | None

    async def login(self, homeserver: str, user: str, password: str) -> bool: ...

    async def shutdown(self) -> None: ...


@dataclass
class ExerciseHost:
    """The cast's accounts and backends on this loop, and the runner once convened."""

    facilitator: AccountService  # the app's own, signed in
    notify: Callable[[Notice], None]  # the facilitator's screen: progress, notes
    new_backend: Callable[[DataDir], CastBackend]  # a signed-out backend for a cast member
    scenario: Scenario
    root: Path  # cast data dirs and their remembered passwords
    make_account: Callable[[str, str], Account] | None = None  # the embedded server's
    prefix: str = ""  # put before every handle (tests share one homeserver)
    runner: ExerciseRunner | None = None
    stopped: bool = False
    _cast: dict[str, CastBackend] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None
    _starting: asyncio.Task[Any] | None = None  # the start under way, cancelled by stop()
    _notes_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def start(self, speed: float = 1.0, autostart: bool = True) -> ExerciseRunner:
        facilitator = self.facilitator
        self._starting = asyncio.current_task()
        logins = await asyncio.to_thread(self._logins)
        accounts: dict[str, AccountService] = {}
        for handle, login in logins.items():
            backend = self.new_backend(DataDir(self.root / handle))
            self._cast[handle] = backend
            homeserver = facilitator.client.creds.homeserver
            if not await backend.login(homeserver, login.user_id, login.password):
                raise ExerciseError(f"{login.user_id} could not sign in")
            assert backend.account is not None
            accounts[handle] = backend.account
        self.runner = ExerciseRunner(self.scenario, facilitator, accounts, self.notify)
        await self.runner.convene()
        self._starting = None
        self._task = asyncio.create_task(self.runner.run(speed, autostart), name="oor-exercise")
        return self.runner

    async def add_note(self, text: str) -> None:
        """An evaluator's observation, stamped with the exercise clock; kept on this machine
        only (facilitators' eyes), never sent to the session."""
        runner = self.runner
        if runner is None or runner.session is None or not text.strip():
            return
        document = JsonDocument(self.root / "notes.json")
        note = EvaluatorNote(
            runner.session.space_id,
            runner.clock.elapsed(time.monotonic()),
            int(time.time() * 1000),
            text.strip(),
        )
        async with self._notes_lock:  # read, add, write: two notes at once must both stay
            saved = await asyncio.to_thread(document.load)
            notes = [*saved.get("notes", []), asdict(note)]
            await asyncio.to_thread(document.save, {"notes": notes})
        mine = [EvaluatorNote(**n) for n in notes if n["space_id"] == note.space_id]
        self.notify(EvaluatorNotes(note.space_id, tuple(mine)))

    async def finished(self) -> None:
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        """Stop playing and sign the cast's backends off this machine (their accounts stay)."""
        self.stopped = True
        starting = self._starting
        if starting is not None and starting is not asyncio.current_task():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([starting])
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for backend in self._cast.values():
            await backend.shutdown()
        self._cast.clear()

    def _logins(self) -> dict[str, CastLogin]:
        """Cast accounts on the embedded homeserver: made once, their passwords kept (0600)."""
        document = JsonDocument(self.root / "cast.json")
        logins = {h: CastLogin(**v) for h, v in document.load().items()}
        missing = [c.handle for c in self.scenario.cast if c.handle not in logins]
        if missing and self.make_account is None:
            raise ExerciseError(
                f"no login for {', '.join(missing)} in {document.path}, and accounts can only "
                "be made on the embedded homeserver"
            )
        for handle in missing:
            assert self.make_account is not None
            password = secrets.token_urlsafe(18)
            account = self.make_account(self.prefix + handle, password)
            logins[handle] = CastLogin(account.user_id, password)
        document.save({h: vars(v) for h, v in logins.items()})
        return {c.handle: logins[c.handle] for c in self.scenario.cast}
