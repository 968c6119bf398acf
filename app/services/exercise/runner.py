"""Run an exercise: a scenario's cast signs in, the session is convened, injects play out.

The cast are real accounts on the homeserver, each driven through its own ``Backend`` on
this loop, exactly as the app drives its user: an inject is an instruction issued, an
ack sent, a message posted through the same services and outbox. Only the facilitator's
account is the app's own; it convenes the session and its notices carry the progress.

This module: the runner, which plays each inject through its cast member's services.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from app.core.charts import Reading
from app.core.exercise import FACILITATOR, ExerciseClock, Inject, Scenario
from app.core.instructions import Draft
from app.core.roles import RoomKind
from app.core.session import SessionInfo
from app.core.timeline import EntryDraft
from app.services.charts import Charts
from app.services.instructions import Instructions
from app.services.notices import ExerciseProgress, Notice, Refused
from app.services.sessions import Sessions
from app.services.timeline import Timeline

if TYPE_CHECKING:
    from app.services.account import AccountService


log = logging.getLogger(__name__)


READY_SECONDS = 60.0  # for the cast to see the session, and a delegate an instruction


class ExerciseError(Exception):
    """The exercise cannot start (no homeserver to make the cast on, a login failed)."""


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
        info = await Sessions.of(self._facilitator).convene(self.scenario.blueprint(ids))
        self.session = info
        for account in self._cast.values():
            await Sessions.of(account).join(info.space_id)
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
        indicators = self._facilitator.feature(Charts)
        for chart in self.scenario.charts:
            try:
                await indicators.define_chart(operations, chart)
            except Refused as exc:
                why = exc.problem.detail
                raise ExerciseError(
                    f"chart '{chart.chart_id}' could not be defined: {why}"
                ) from exc
        series = {s for chart in self.scenario.charts for s in chart.series}
        publishers = {self.account(i.by) for i in self.scenario.injects if i.do == "indicator"}
        for account in publishers:
            room = account.feature(Charts).room
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
        if await account.feature(Charts).publish(operations, reading) is None:
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
