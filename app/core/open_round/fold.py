"""Folding a room's events into one round, in the order every client agrees on.

``fold`` walks the events sorted by the server's timestamp (then event id), keeping the
round's clock: the current time box's end moves with pauses and extensions, and is
judged against each event's ``origin_server_ts``, never against this machine's clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from app.core.open_round import polls
from app.core.open_round.rounds import (
    ACTIONS,
    CONTROL,
    MAX_MINUTES,
    MINUTE,
    PROPOSAL,
    VOTE_OF,
    Phase,
    Proposal,
    Refused,
    Round,
    Terms,
    poser_problem,
    read_terms,
    round_of,
)
from app.core.records import EventStatus, RoomEvent
from app.core.roles import Role


def fold(start: RoomEvent, events: Iterable[RoomEvent], roles: Mapping[str, Role]) -> Round | None:
    """The round ``start`` poses, after ``events`` (any order; unrelated ones are
    ignored). None when ``start`` cannot pose a round (see ``poser_problem``)."""
    terms = read_terms(start.content)
    if terms is None or poser_problem(start, roles.get(start.sender)):
        return None
    state = _Fold(start, terms, roles)
    for event in sorted(events, key=lambda e: (e.origin_ts, e.event_id)):
        if event.event_id != start.event_id and event.room_id == start.room_id:
            state.take(event)
    return state.result()


class _Fold:
    def __init__(self, start: RoomEvent, terms: Terms, roles: Mapping[str, Role]) -> None:
        self.round = Round(
            start.event_id,
            start.room_id,
            start.sender,
            start.origin_ts,
            terms,
            deadline=start.origin_ts + terms.minutes * MINUTE,
        )
        self._roles = roles
        self._answers: frozenset[str] = frozenset()
        self._refused: list[Refused] = []
        self._proposals: list[Proposal] = []
        self._ballots: dict[str, tuple[str, ...]] = {}

    def result(self) -> Round:
        return replace(
            self.round,
            proposals=tuple(self._proposals),
            refused=tuple(self._refused),
            ballots=dict(self._ballots),
        )

    def take(self, event: RoomEvent) -> None:
        if event.type in polls.RESPONSES:
            if polls.referenced(event.content) == self.round.poll_id and self.round.poll_id:
                self._vote(event)
        elif event.type in polls.STARTS:
            if _votes_on(event.content) == self.round.round_id:
                self._open_vote(event)
        elif event.type in polls.ENDS:
            if polls.referenced(event.content) == self.round.poll_id and self.round.poll_id:
                self._close(event)
        elif event.type == "m.room.message" and round_of(event) == self.round.round_id:
            if CONTROL in event.content:
                self._control(event)
            elif _relation(event) == "m.thread":
                self._propose(event)

    # -- each kind of event ------------------------------------------------------------

    def _refuse(self, event: RoomEvent, what: str, why: str) -> None:
        self._refused.append(Refused(event.event_id, event.sender, what, why, event.origin_ts))

    def _unreadable(self, event: RoomEvent, what: str) -> bool:
        if event.status is EventStatus.OK:
            return False
        self._refuse(event, what, event.note or f"the event is {event.status.value}")
        return True

    def _propose(self, event: RoomEvent) -> None:
        r = self.round
        if self._unreadable(event, "proposal"):
            return
        why = ""
        if self._roles.get(event.sender) not in r.terms.proposers:
            why = "not among those who may propose"
        elif r.phase is Phase.PAUSED:
            why = "sent while the round was paused"
        elif r.phase is not Phase.PROPOSING:
            why = "sent after the vote had opened"
        elif event.origin_ts > r.deadline:
            why = "sent after the time box ended"
        elif len(self._proposals) >= polls.MAX_ANSWERS:
            why = f"the vote holds at most {polls.MAX_ANSWERS} proposals"
        proposal = _proposal(event)
        if not why and not proposal.title:
            why = "the proposal has no title"
        if why:
            self._refuse(event, "proposal", why)
        else:
            self._proposals.append(proposal)

    def _control(self, event: RoomEvent) -> None:
        r = self.round
        if self._unreadable(event, "control"):
            return
        raw = event.content.get(CONTROL)
        action = raw.get("action") if isinstance(raw, Mapping) else None
        minutes = raw.get("minutes", 0) if isinstance(raw, Mapping) else 0
        at = event.origin_ts
        why = ""
        if action not in ACTIONS:
            why = "not a known action"
        elif not r.may_steer(event.sender, self._roles.get(event.sender)):
            why = "neither posed the round nor facilitates"
        elif r.phase is Phase.CLOSED:
            why = "the round is closed"
        elif action == "pause" and r.phase is Phase.PAUSED:
            why = "the round is already paused"
        elif action == "resume" and r.phase is not Phase.PAUSED:
            why = "the round is not paused"
        elif action == "extend" and not _minutes(minutes):
            why = "an extension needs a number of minutes"
        elif action == "pause" and at > r.deadline:
            why = "the time box had already ended"
        if why:
            self._refuse(event, "control", why)
            return
        self._apply(str(action), at, minutes)

    def _apply(self, action: str, at: int, minutes: int) -> None:
        r = self.round
        if action == "pause":
            self.round = replace(r, phase=Phase.PAUSED, paused_at=at)
        elif action == "resume":
            held = at - (r.paused_at or at)
            back = Phase.VOTING if r.poll_id else Phase.PROPOSING
            self.round = replace(r, phase=back, paused_at=None, deadline=r.deadline + held)
        elif action == "extend":
            self.round = replace(r, deadline=r.deadline + minutes * MINUTE)
        else:
            self.round = replace(r, tally_shown=True)

    def _open_vote(self, event: RoomEvent) -> None:
        r = self.round
        if self._unreadable(event, "poll"):
            return
        why = ""
        if r.poll_id:
            why = "the vote was already open"
        elif not r.may_steer(event.sender, self._roles.get(event.sender)):
            why = "neither posed the round nor facilitates"
        if why:
            self._refuse(event, "poll", why)
            return
        offered = set(polls.answer_ids(event.type, event.content))
        # Only proposals that counted are answers; an answer naming anything else is none.
        for left_out in (p for p in self._proposals if p.event_id not in offered):
            why = "not among the vote's answers"
            self._refused.append(
                Refused(left_out.event_id, left_out.sender, "proposal", why, left_out.at)
            )
        self._proposals = [p for p in self._proposals if p.event_id in offered]
        self._answers = frozenset(p.event_id for p in self._proposals)
        deadline = event.origin_ts + r.terms.vote_minutes * MINUTE
        self.round = replace(
            r, phase=Phase.VOTING, poll_id=event.event_id, deadline=deadline, paused_at=None
        )

    def _vote(self, event: RoomEvent) -> None:
        r = self.round
        if self._unreadable(event, "vote"):
            return
        chosen = polls.selections(event.type, event.content)
        why = ""
        if r.phase is Phase.CLOSED:
            why = "sent after the vote closed"
        elif r.phase is Phase.PAUSED:
            why = "sent while the round was paused"
        elif event.origin_ts > r.deadline:
            why = "sent after the vote's time box ended"
        elif self._roles.get(event.sender) not in r.terms.voters:
            why = "not among those who may vote"
        elif event.sender in self._ballots:
            why = "a second vote: the first one counts"
        elif chosen is None:
            why = "the response names no answers"
        if why:
            self._refuse(event, "vote", why)
            return
        if any(c not in self._answers for c in chosen or ()):
            # The poll module: a selection the poll does not offer spoils the whole ballot.
            self._refuse(event, "vote", "spoiled: a selection is not among the vote's answers")
            chosen = ()
        self._ballots[event.sender] = tuple(chosen or ())

    def _close(self, event: RoomEvent) -> None:
        r = self.round
        if self._unreadable(event, "poll"):
            return
        if r.phase is Phase.CLOSED:
            self._refuse(event, "poll", "the vote was already closed")
        elif not r.may_steer(event.sender, self._roles.get(event.sender)):
            self._refuse(event, "poll", "neither posed the round nor facilitates")
        else:
            self.round = replace(
                r, phase=Phase.CLOSED, closed_at=event.origin_ts, closed_by=event.sender
            )


def _minutes(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_MINUTES


def _relation(event: RoomEvent) -> str:
    relates = event.content.get("m.relates_to")
    return str(relates.get("rel_type", "")) if isinstance(relates, Mapping) else ""


def _votes_on(content: Mapping[str, Any]) -> str:
    marked = content.get(VOTE_OF)
    found = marked.get("round") if isinstance(marked, Mapping) else None
    return found if isinstance(found, str) else ""


def _proposal(event: RoomEvent) -> Proposal:
    """A thread reply read as a proposal: our fields if it carries them, else its body's
    first line as the title and the rest as the text (any client's thread reply)."""
    content = event.content
    body = own_text(str(content.get("body", "")))
    first, _, rest = body.partition("\n")
    fields = content.get(PROPOSAL)
    fields = fields if isinstance(fields, Mapping) else {}
    title = fields.get("title") if isinstance(fields.get("title"), str) else first
    text = fields.get("text") if isinstance(fields.get("text"), str) else rest.strip()
    sources = fields.get("sources")
    sources = sources if isinstance(sources, list) else []
    return Proposal(
        event.event_id,
        event.sender,
        str(title).strip()[:300],
        text,
        tuple(str(s) for s in sources if isinstance(s, str))[:20],
        event.origin_ts,
    )


def own_text(body: str) -> str:
    """A reply's own text, without a quoted fallback ("> <@user> ..." and a blank line)."""
    lines = body.strip().splitlines()
    while lines and (lines[0].startswith(">") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip()
