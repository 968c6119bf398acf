"""The open round: pose a round in the operations or outreach room, propose, vote,
steer the clock, and file the outcome with the desk.

A Feature of the account. Every round is folded from the archive (``core.open_round``)
whenever its room changes, so what this client shows is what any other client folds
from the same events. The poser's client also keeps the round moving: it opens the vote
when the proposals' time box ends, closes it when the vote's does, and files the
decision entry once the close it sent is back from the server (the tally must include
every vote the server put before the close). Everything goes through the outbox.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from app.core import open_round as rnd
from app.core import protocol, roles
from app.core.open_round import Phase, Round, RoundError, Terms, polls
from app.core.records import OutboxState, RoomEvent
from app.core.roles import Role, RoomKind
from app.core.session import Roster, shapes_session
from app.core.timeline import EntryDraft, entry_content, entry_message
from app.services.notices import Problem
from app.services.open_round.notices import RoundsChanged

if TYPE_CHECKING:  # keep SQL and nio out of whoever imports the notices
    from app.services.account import AccountService

log = logging.getLogger(__name__)
ROUND_ROOMS = (RoomKind.OPERATIONS, RoomKind.OUTREACH)
# Read by type: the polls. The messages and entries a round is folded from come with
# them through the archive's index of those few among all the chat (``folded_events``).
READ_TYPES = polls.TYPES


class OpenRound:
    """Every open round in the sessions this account is in."""

    def __init__(self, account: AccountService, clock: Callable[[], float] = time.time) -> None:
        self._account = account
        self._clock = clock
        self._lock = asyncio.Lock()
        self._rosters: dict[str, Roster] = {}  # space -> roster
        self._space_of: dict[str, str] = {}  # round room -> space
        self._rounds: dict[str, Round] = {}  # round id -> round
        self._filed: set[str] = set()  # rounds whose decision is archived or queued
        self._steps: set[tuple[str, str]] = set()  # (round, open|close|vote) we already sent
        self._timer: asyncio.TimerHandle | None = None
        # What the rounds are folded from, per room: read once, then kept up by absorb.
        self._events: dict[str, dict[str, RoomEvent]] = {}

    # -- Feature ---------------------------------------------------------------------------

    async def start(self) -> None:
        async with self._lock:
            await self._reload()

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        async with self._lock:
            if any(shapes_session(e) for e in fresh):
                await self._reload()
                return
            touched = set()
            for event in fresh:
                kept = self._events.get(event.room_id)
                if kept is None:
                    continue
                if _takes_part(event):
                    kept[event.event_id] = event
                elif kept.pop(event.event_id, None) is None:
                    continue  # chat, or decrypted into something no round reads
                touched.add(self._space_of[event.room_id])
            for space in sorted(touched):
                await self._rebuild(space)

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    # -- reading ---------------------------------------------------------------------------

    def get(self, round_id: str) -> Round:
        found = self._rounds.get(round_id)
        if found is None:
            raise RoundError("no such round in a session of ours")
        return found

    # -- commands --------------------------------------------------------------------------

    async def pose(self, room_id: str, terms: Terms) -> str:
        """Start a round in a session's operations or outreach room; its txn id."""
        if room_id not in self._space_of:  # a session convened or joined a moment ago
            async with self._lock:
                await self._reload()
        roster = self._roster_of(room_id)
        if self._role(roster) not in rnd.POSERS:
            raise RoundError("only facilitators, officials and diplomats start a round")
        if not roster.session.details_known:  # its exercise flag would be no answer
            raise RoundError("the session's details are not decrypted yet; try once they are")
        if roster.session.exercise and not terms.exercise:
            terms = replace(terms, exercise=True)
        item = await self._account.send(room_id, "m.room.message", rnd.round_message(terms))
        return item.txn_id

    async def propose(
        self, round_id: str, title: str, text: str, sources: tuple[str, ...] = ()
    ) -> None:
        r = self.get(round_id)
        role = self._role(self._roster_of(r.room_id))
        if role not in r.terms.proposers:
            raise RoundError("your role may not propose in this round")
        if r.phase is not Phase.PROPOSING or self._now() > r.deadline:
            raise RoundError("the round takes no proposals now")
        content = rnd.proposal_message(round_id, title, text, sources)
        await self._account.send(r.room_id, "m.room.message", content)

    async def vote(self, round_id: str, proposal_ids: Sequence[str]) -> None:
        r = self.get(round_id)
        if self._role(self._roster_of(r.room_id)) not in r.terms.voters:
            raise RoundError("your role may not vote in this round")
        if r.phase is not Phase.VOTING:
            raise RoundError("the vote is not open")
        if self._account.user_id in r.ballots or (round_id, "vote") in self._steps:
            raise RoundError("you have voted; a second vote would not count")
        offered = {p.event_id for p in r.proposals}
        if not proposal_ids or not set(proposal_ids) <= offered:
            raise RoundError("vote for proposals of this round's vote")
        content = polls.poll_response(r.poll_id, list(dict.fromkeys(proposal_ids)))
        await self._account.send(r.room_id, polls.RESPONSE, content)
        self._steps.add((round_id, "vote"))  # before its echo, a second click is refused too

    async def steer(self, round_id: str, action: str, minutes: int = 0) -> None:
        """Pause, resume, extend (minutes) or show the tally."""
        r = self._steerable(round_id)
        content = rnd.control_message(r, action, minutes)
        await self._account.send(r.room_id, "m.room.message", content)

    async def open_vote(self, round_id: str) -> None:
        """Close the proposals (early, or at the end of the time box) and open the vote."""
        r = self._steerable(round_id)
        if r.poll_id:
            raise RoundError("the vote is already open")
        await self._account.send(r.room_id, polls.START, rnd.vote_start(r))
        self._steps.add((round_id, "open"))

    async def close_vote(self, round_id: str) -> None:
        r = self._steerable(round_id)
        if r.phase is Phase.CLOSED or not r.poll_id:
            raise RoundError("no open vote to close")
        await self._account.send(r.room_id, polls.END, rnd.vote_end(r))
        self._steps.add((round_id, "close"))

    # -- inside ----------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock() * 1000)

    def _roster_of(self, room_id: str) -> Roster:
        space = self._space_of.get(room_id)
        if space is None:
            raise RoundError("rounds are held in a session's operations or outreach room")
        return self._rosters[space]

    def _role(self, roster: Roster) -> Role | None:
        me = self._account.user_id
        return next((m.role for m in roster.members if m.user_id == me), None)

    def _steerable(self, round_id: str) -> Round:
        r = self.get(round_id)
        if not r.may_steer(self._account.user_id, self._role(self._roster_of(r.room_id))):
            raise RoundError("only whoever started the round or a facilitator steers it")
        if r.phase is Phase.CLOSED:
            raise RoundError("the round is closed")
        return r

    async def _reload(self) -> None:
        self._rosters.clear()
        self._space_of.clear()
        for notice in await self._account.rosters():
            info = notice.roster.session
            self._rosters[info.space_id] = notice.roster
            for kind in ROUND_ROOMS:
                if (room := info.room(kind)) is not None:
                    self._space_of[room] = info.space_id
        found = await self._account.db(
            self._account.archive.folded_events, list(self._space_of), READ_TYPES, False
        )
        self._events = {room: {} for room in self._space_of}
        for event in found:
            if _takes_part(event):
                self._events[event.room_id][event.event_id] = event
        for space in sorted(self._rosters):
            await self._rebuild(space)

    async def _rebuild(self, space_id: str) -> None:
        roster = self._rosters[space_id]
        rooms = [r for r, s in self._space_of.items() if s == space_id]
        events = [e for room in rooms for e in self._events.get(room, {}).values()]
        role_of = {m.user_id: m.role for m in roster.members}
        rounds, refused = [], []
        for event in (e for e in events if rnd.is_round(e)):
            why = rnd.poser_problem(event, role_of.get(event.sender))
            folded = rnd.fold(event, events, role_of) if not why else None
            if folded is None:
                at = event.origin_ts
                refused.append(rnd.Refused(event.event_id, event.sender, "round", why, at))
                continue
            self._rounds[folded.round_id] = folded
            rounds.append(folded)
        self._filed |= {rnd.decided_round(e.content) for e in events if e.type == roles.ENTRY} - {
            ""
        }
        self._account.notify(RoundsChanged(space_id, tuple(rounds), tuple(refused)))
        await self._keep_moving(roster, rounds)

    async def _keep_moving(self, roster: Roster, rounds: Sequence[Round]) -> None:
        """The poser's client opens and closes the vote on time and files the decision."""
        me, now = self._account.user_id, self._now()
        for r in rounds:
            if r.poser != me:
                continue
            if r.phase is Phase.PROPOSING and now > r.deadline and r.proposals:
                if (r.round_id, "open") not in self._steps:
                    await self.open_vote(r.round_id)
            elif r.phase is Phase.VOTING and now > r.deadline:
                if (r.round_id, "close") not in self._steps:
                    await self.close_vote(r.round_id)
            elif r.phase is Phase.CLOSED and r.closed_by == me:
                await self._file(roster, r)
        self._arm_timer()

    async def _file(self, roster: Roster, r: Round) -> None:
        """One decision entry per round, in the operations room (the desk)."""
        desk = roster.session.room(RoomKind.OPERATIONS) or r.room_id
        if r.round_id in self._filed or await self._account.db(self._queued, desk, r.round_id):
            self._filed.add(r.round_id)
            return
        title, text, sources, fields = rnd.decision_fields(r)
        content = entry_content(EntryDraft("decision", title, text, sources=sources))
        content[rnd.DECIDED] = fields
        await self._account.send(desk, "m.room.message", entry_message(content, text))
        self._filed.add(r.round_id)

    def _queued(self, room_id: str, round_id: str) -> bool:
        """Store thread: whether our outbox already holds this round's decision."""
        for item in self._account.outbox.items(room_id, tuple(OutboxState)):
            kind, content = protocol.recorded(item.event_type, item.content)
            if kind == roles.ENTRY and rnd.decided_round(content) == round_id:
                return True
        return False

    def _arm_timer(self) -> None:
        """One timer for the next time box of ours to end, not a poll."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        me = self._account.user_id
        ends = [
            r.deadline
            for r in self._rounds.values()
            if r.poser == me
            and (r.phase is Phase.VOTING or (r.phase is Phase.PROPOSING and r.proposals))
            and (r.round_id, "open" if r.phase is Phase.PROPOSING else "close") not in self._steps
        ]
        if ends:
            delay = max(0.0, (min(ends) - self._now()) / 1000) + 0.5
            self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        task = asyncio.get_running_loop().create_task(self._tick(), name="oor-open-round")
        task.add_done_callback(self._finished)

    async def _tick(self) -> None:
        async with self._lock:
            for space in sorted(self._rosters):
                await self._rebuild(space)

    def _finished(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("open round timer failed", exc_info=exc)
            self._account.notify(Problem("feature_failed", f"{type(exc).__name__}: {exc}"))


def _takes_part(event: RoomEvent) -> bool:
    """A round's own events, or a decision entry filed from a round."""
    return rnd.takes_part(event) or (
        event.type == roles.ENTRY and bool(rnd.decided_round(event.content))
    )
