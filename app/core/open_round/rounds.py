"""The open round as rules: what a round is, and its state folded from the room's events.

A round is posed in one message; proposals are thread replies to it; the facilitator's
client opens the vote with a poll whose answers are the proposals, and closes it with the
poll's end. Every client folds the same events in the same order (the server's
``origin_server_ts``, then the event id) with the same roles, so every client shows the
same proposals, the same refusals and the same tally. No local clock is read here.

Rules, each one a refusal that is shown and never counted:
- a round is posed by a facilitator, official or diplomat;
- only the roles the round names propose and vote;
- a proposal counts from the round's start to the end of its time box (inclusive), not
  while the round is paused and not once the vote is open;
- a vote is a poll response after the vote opened and before it closed, within the vote's
  time box; a participant's **first** response is their ballot, a later one is a second
  vote (the issue's rule; docs/protocol.md says why it departs from the poll module);
- pause, resume, extend, opening and closing the vote come from the round's poser or a
  facilitator; the first poll start and the first poll end count.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.open_round.polls import TYPES as POLL_TYPES
from app.core.records import EventStatus, RoomEvent
from app.core.roles import Role

ROUND = "org.openopsroom.round"  # the round's fields, under this key of its message
CONTROL = "org.openopsroom.round_control"  # pause / resume / extend / show_tally
PROPOSAL = "org.openopsroom.proposal"  # our client's proposal fields (title, sources)
VOTE_OF = "org.openopsroom.round_vote"  # in the poll start: which round it votes on
POSERS = frozenset({Role.FACILITATOR, Role.OFFICIAL, Role.DIPLOMAT})
ACTIONS = frozenset({"pause", "resume", "extend", "show_tally"})
MINUTE = 60_000
_TAKES_PART = ("m.thread", "m.reference")
MAX_MINUTES = 24 * 60


class Phase(enum.StrEnum):
    PROPOSING = "proposing"
    PAUSED = "paused"
    VOTING = "voting"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Terms:
    """What the poser sets: the problem, what is wanted, the time boxes, who takes part."""

    problem: str
    wanted: str
    minutes: int = 20
    vote_minutes: int = 10
    proposers: frozenset[Role] = frozenset(Role) - {Role.OBSERVER}
    voters: frozenset[Role] = frozenset(Role) - {Role.OBSERVER}
    top: int = 3  # how many go to the desk: three to five
    exercise: bool = False


@dataclass(frozen=True, slots=True)
class Proposal:
    event_id: str
    sender: str
    title: str
    text: str
    sources: tuple[str, ...]
    at: int


@dataclass(frozen=True, slots=True)
class Refused:
    """An event that tried to take part and did not count, with the reason."""

    event_id: str
    sender: str
    what: str  # proposal | vote | control | poll
    why: str
    at: int


@dataclass(frozen=True, slots=True)
class Tallied:
    proposal: Proposal
    votes: int


@dataclass(frozen=True, slots=True)
class Round:
    """One round as every client sees it after the same events."""

    round_id: str
    room_id: str
    poser: str
    started_at: int
    terms: Terms
    phase: Phase = Phase.PROPOSING
    deadline: int = 0  # end of the current time box (proposals, then the vote), server ms
    paused_at: int | None = None
    proposals: tuple[Proposal, ...] = ()
    refused: tuple[Refused, ...] = ()
    poll_id: str = ""
    ballots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tally_shown: bool = False
    closed_at: int | None = None
    closed_by: str = ""

    @property
    def tally(self) -> tuple[Tallied, ...]:
        """Proposals by votes, most first; a tie goes to the earlier proposal."""
        counts = {p.event_id: 0 for p in self.proposals}
        for chosen in self.ballots.values():
            for pid in chosen:
                counts[pid] = counts.get(pid, 0) + 1
        rows = [Tallied(p, counts[p.event_id]) for p in self.proposals]
        return tuple(sorted(rows, key=lambda r: (-r.votes, r.proposal.at, r.proposal.event_id)))

    @property
    def tally_visible(self) -> bool:
        return self.phase is Phase.CLOSED or self.tally_shown

    @property
    def chosen(self) -> tuple[Tallied, ...]:
        """What goes to the desk: the top three to five that won at least one vote."""
        return tuple(r for r in self.tally if r.votes > 0)[: self.terms.top]

    @property
    def participants(self) -> tuple[str, ...]:
        """Who took part: the poser, everyone whose proposal or ballot counted."""
        people = [self.poser, *(p.sender for p in self.proposals), *self.ballots]
        return tuple(sorted(set(people)))

    def may_steer(self, user_id: str, role: Role | None) -> bool:
        """Pause, extend, open or close the vote: the poser or a facilitator."""
        return user_id == self.poser or role is Role.FACILITATOR


def read_terms(content: Mapping[str, Any]) -> Terms | None:
    """The terms under ``ROUND`` of a round's message, or None when they do not parse."""
    raw = content.get(ROUND)
    if not isinstance(raw, Mapping):
        return None
    problem, wanted = raw.get("problem"), raw.get("wanted", "")
    minutes, vote_minutes = raw.get("minutes"), raw.get("vote_minutes", 10)
    top = raw.get("top", 3)
    if not isinstance(problem, str) or not problem.strip() or not isinstance(wanted, str):
        return None
    if not all(_whole(n, 1, MAX_MINUTES) for n in (minutes, vote_minutes)) or not _whole(top, 3, 5):
        return None
    proposers, voters = _roles(raw.get("proposers")), _roles(raw.get("voters"))
    if proposers is None or voters is None:
        return None
    return Terms(
        problem.strip(), wanted.strip(), minutes, vote_minutes, proposers, voters, top,
        raw.get("exercise") is True,
    )  # fmt: skip


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _roles(value: Any) -> frozenset[Role] | None:
    if not isinstance(value, list) or not value:
        return None
    known = {r.value for r in Role}
    return frozenset(Role(v) for v in value) if all(v in known for v in value) else None


def is_round(event: RoomEvent) -> bool:
    return event.type == "m.room.message" and ROUND in event.content


def round_of(event: RoomEvent) -> str:
    """The round an event takes part in (thread root or reference), '' if none."""
    relates = event.content.get("m.relates_to")
    if not isinstance(relates, Mapping) or relates.get("rel_type") not in _TAKES_PART:
        return ""
    target = relates.get("event_id")
    return target if isinstance(target, str) else ""


def takes_part(event: RoomEvent) -> bool:
    """Whether a round may be folded from this event: a round, a reply or reference to
    one (any thread reply: which root is a round is known only when folding), a poll."""
    if event.type in POLL_TYPES:
        return True
    return event.type == "m.room.message" and (is_round(event) or bool(round_of(event)))


def poser_problem(event: RoomEvent, role: Role | None) -> str:
    """Why this message cannot pose a round ('' when it can)."""
    if event.status is not EventStatus.OK:
        return event.note or "not readable"
    if read_terms(event.content) is None:
        return "the round's terms do not parse"
    if role not in POSERS:
        return "not a facilitator, official or diplomat"
    return ""
