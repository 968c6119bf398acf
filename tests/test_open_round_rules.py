"""The open round's rules without a server: time box edges, roles, double votes, ties,
pauses and extensions, polls of either form; the same tally from events in any order."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from app.core import open_round as rnd
from app.core.open_round import Phase, Terms, polls
from app.core.records import EventStatus, RoomEvent
from app.core.roles import Role

ROOM = "!ops:test"
T0 = 1_700_000_000_000
MIN = 60_000
ROLES = {
    "@fac:t": Role.FACILITATOR,
    "@amal:t": Role.OFFICIAL,
    "@dip:t": Role.DIPLOMAT,
    "@exp:t": Role.EXPERT,
    "@exp2:t": Role.EXPERT,
    "@inf:t": Role.INFLUENCER,
    "@obs:t": Role.OBSERVER,
}
_ids = itertools.count()


def ev(sender: str, at: int, content: dict[str, Any], kind: str = "m.room.message") -> RoomEvent:
    return RoomEvent(f"$e{next(_ids):04d}", ROOM, sender, kind, at, content)


def start(sender: str = "@dip:t", **terms: Any) -> RoomEvent:
    defaults: dict[str, Any] = {
        "problem": "Evacuate 300 citizens",
        "wanted": "Routes and partners",
        "minutes": 20,
        "vote_minutes": 10,
        "proposers": (Role.EXPERT, Role.INFLUENCER, Role.DIPLOMAT),
        "voters": (Role.EXPERT, Role.INFLUENCER, Role.OFFICIAL),
    }
    defaults.update(terms)
    t = Terms(
        defaults["problem"],
        defaults["wanted"],
        defaults["minutes"],
        defaults["vote_minutes"],
        frozenset(defaults["proposers"]),
        frozenset(defaults["voters"]),
        defaults.get("top", 3),
        defaults.get("exercise", False),
    )
    return ev(sender, T0, rnd.round_message(t))


def propose(root: RoomEvent, sender: str, at: int, title: str) -> RoomEvent:
    return ev(sender, at, rnd.proposal_message(root.event_id, title, "why"))


def plain_thread_reply(root: RoomEvent, sender: str, at: int, body: str) -> RoomEvent:
    relates = {"rel_type": "m.thread", "event_id": root.event_id}
    return ev(sender, at, {"msgtype": "m.text", "body": body, "m.relates_to": relates})


def open_vote(root: RoomEvent, events: list[RoomEvent], at: int, by: str = "@dip:t") -> RoomEvent:
    r = rnd.fold(root, events, ROLES)
    assert r is not None
    return ev(by, at, rnd.vote_start(r), polls.START)


def vote(poll: RoomEvent, sender: str, at: int, *chosen: RoomEvent) -> RoomEvent:
    content = polls.poll_response(poll.event_id, [c.event_id for c in chosen])
    return ev(sender, at, content, polls.RESPONSE)


def end(poll: RoomEvent, at: int, by: str = "@dip:t") -> RoomEvent:
    return ev(by, at, polls.poll_end(poll.event_id, "closed"), polls.END)


def fold(root: RoomEvent, events: list[RoomEvent]) -> rnd.Round:
    r = rnd.fold(root, events, ROLES)
    assert r is not None
    return r


def refused(r: rnd.Round, event: RoomEvent) -> str:
    return next((x.why for x in r.refused if x.event_id == event.event_id), "")


def test_only_facilitators_officials_and_diplomats_pose_a_round() -> None:
    assert rnd.fold(start("@dip:t"), [], ROLES) is not None
    assert rnd.fold(start("@fac:t"), [], ROLES) is not None
    assert rnd.fold(start("@exp:t"), [], ROLES) is None
    assert "not a facilitator" in rnd.poser_problem(start("@inf:t"), Role.INFLUENCER)


def test_time_box_edge_counts_one_millisecond_later_does_not() -> None:
    root = start()
    on_time = propose(root, "@exp:t", T0 + 20 * MIN, "On the bell")
    late = propose(root, "@exp2:t", T0 + 20 * MIN + 1, "Too late")
    r = fold(root, [late, on_time])
    assert [p.title for p in r.proposals] == ["On the bell"]
    assert refused(r, late) == "sent after the time box ended"


def test_roles_a_plain_reply_and_what_is_not_a_proposal() -> None:
    root = start()
    plain = plain_thread_reply(
        root, "@inf:t", T0 + MIN, "> <@dip:t> Evacuate\n\nBus convoy\nVia the north road"
    )
    observer = propose(root, "@obs:t", T0 + MIN, "Observer's idea")
    official = propose(root, "@amal:t", T0 + MIN, "Official may vote, not propose")
    untitled = plain_thread_reply(root, "@exp:t", T0 + MIN, "   ")
    elsewhere = ev("@exp:t", T0 + MIN, {"msgtype": "m.text", "body": "chat"})
    forged = RoomEvent("$x", ROOM, "@exp:t", "m.room.message", T0 + MIN,
                       propose(root, "@exp:t", 0, "x").content, status=EventStatus.UNDECRYPTED,
                       note="waiting for the room key")  # fmt: skip
    r = fold(root, [plain, observer, official, untitled, elsewhere, forged])
    (only,) = r.proposals
    assert (only.title, only.text, only.sender) == ("Bus convoy", "Via the north road", "@inf:t")
    assert "may propose" in refused(r, observer) and "may propose" in refused(r, official)
    assert refused(r, untitled) == "the proposal has no title"
    assert refused(r, forged) == "waiting for the room key"
    assert refused(r, elsewhere) == ""


def test_pause_holds_the_clock_and_extension_moves_the_end() -> None:
    root = start()
    pause = ev("@dip:t", T0 + 5 * MIN, rnd.control_message(fold(root, []), "pause"))
    during = propose(root, "@exp:t", T0 + 6 * MIN, "While paused")
    resume = ev("@dip:t", T0 + 10 * MIN, rnd.control_message(fold(root, []), "resume"))
    extend = ev("@fac:t", T0 + 11 * MIN, rnd.control_message(fold(root, []), "extend", 5))
    by_expert = ev("@exp:t", T0 + 11 * MIN, rnd.control_message(fold(root, []), "extend", 60))
    late_ok = propose(root, "@exp2:t", T0 + 30 * MIN, "Thanks to pause and extension")
    too_late = propose(root, "@inf:t", T0 + 30 * MIN + 1, "Past even that")
    r = fold(root, [pause, during, resume, extend, by_expert, late_ok, too_late])
    assert r.deadline == T0 + 30 * MIN  # 20 + 5 paused + 5 extended
    assert refused(r, during) == "sent while the round was paused"
    assert "neither posed the round nor facilitates" in refused(r, by_expert)
    assert [p.title for p in r.proposals] == ["Thanks to pause and extension"]
    assert refused(r, too_late) == "sent after the time box ended"


def test_double_votes_wrong_voters_late_votes_and_the_tally() -> None:
    root = start()
    a = propose(root, "@exp:t", T0 + MIN, "A")
    b = propose(root, "@exp2:t", T0 + 2 * MIN, "B")
    c = propose(root, "@inf:t", T0 + 3 * MIN, "C")
    early_proposal = propose(root, "@dip:t", T0 + 4 * MIN, "After the vote opened")
    poll = open_vote(root, [a, b, c], T0 + 4 * MIN - 1)
    votes = [
        vote(poll, "@exp:t", T0 + 5 * MIN, b, b, c),  # b once, not twice
        vote(poll, "@exp:t", T0 + 6 * MIN, a),  # second vote: the first counts
        vote(poll, "@exp2:t", T0 + 5 * MIN, b),
        vote(poll, "@dip:t", T0 + 5 * MIN, a),  # diplomats may propose here, not vote
        vote(poll, "@amal:t", T0 + 14 * MIN - 1, a, c),  # the last millisecond
        vote(poll, "@inf:t", T0 + 14 * MIN, a),  # one after the vote's time box
    ]
    closing = end(poll, T0 + 15 * MIN)
    after = vote(poll, "@fac:t", T0 + 16 * MIN, a)
    events = [a, b, c, early_proposal, poll, *votes, closing, after]
    r = fold(root, events)
    assert r.phase is Phase.CLOSED and r.tally_visible
    assert refused(r, early_proposal) == "sent after the vote had opened"
    assert refused(r, votes[1]) == "a second vote: the first one counts"
    assert "may vote" in refused(r, votes[3])
    assert refused(r, votes[5]) == "sent after the vote's time box ended"
    assert refused(r, after) == "sent after the vote closed"
    assert [(t.proposal.title, t.votes) for t in r.tally] == [("B", 2), ("C", 2), ("A", 1)]
    assert set(r.participants) == {"@dip:t", "@exp:t", "@exp2:t", "@inf:t", "@amal:t"}
    # The same events in any order give the same round.
    assert fold(root, list(reversed(events))) == r


def test_a_tie_goes_to_the_earlier_proposal_and_zero_votes_stay_off_the_desk() -> None:
    root = start(top=3)
    a = propose(root, "@exp:t", T0 + 2 * MIN, "Later")
    b = propose(root, "@exp2:t", T0 + MIN, "Earlier")
    c = propose(root, "@inf:t", T0 + 3 * MIN, "No votes")
    poll = open_vote(root, [a, b, c], T0 + 21 * MIN)
    r = fold(root, [a, b, c, poll, vote(poll, "@exp:t", T0 + 22 * MIN, a, b)])
    assert not r.tally_visible  # hidden until the close
    assert [t.proposal.title for t in r.chosen] == ["Earlier", "Later"]
    title, text, sources, fields = rnd.decision_fields(r)
    assert "Evacuate 300 citizens" in title and "Options considered" in text
    assert fields["proposals"] == [b.event_id, a.event_id]
    assert sources[0].endswith(b.event_id)


def test_show_tally_unstable_polls_and_a_forged_poll() -> None:
    root = start()
    a = propose(root, "@exp:t", T0 + MIN, "A")
    forged_poll = ev("@exp:t", T0 + 21 * MIN, {**open_vote(root, [a], 0).content}, polls.START)
    old = {
        polls.OLD_START: {"question": {"org.matrix.msc1767.text": "?"}, "kind": "x",
                          "max_selections": 1, "answers": [{"id": a.event_id}]},
        rnd.VOTE_OF: {"round": root.event_id},
    }  # fmt: skip
    poll = ev("@fac:t", T0 + 22 * MIN, old, polls.OLD_START)
    response = {
        polls.OLD_RESPONSE: {"answers": [a.event_id]},
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll.event_id},
    }
    shown = ev("@fac:t", T0 + 23 * MIN, rnd.control_message(fold(root, []), "show_tally"))
    r = fold(
        root,
        [a, forged_poll, poll, ev("@inf:t", T0 + 23 * MIN, response, polls.OLD_RESPONSE), shown],
    )
    assert "neither posed" in refused(r, forged_poll)
    assert r.poll_id == poll.event_id and r.tally_visible and r.tally[0].votes == 1


@pytest.mark.parametrize(
    "terms",
    [{"problem": " "}, {"minutes": 0}, {"top": 6}, {"voters": ()}],
)
def test_terms_the_rules_refuse_before_sending(terms: dict[str, Any]) -> None:
    with pytest.raises(rnd.RoundError):
        start(**terms)


def test_a_selection_the_poll_does_not_offer_spoils_the_ballot() -> None:
    root = start()
    a = propose(root, "@exp:t", T0 + MIN, "A")
    poll = open_vote(root, [a], T0 + 21 * MIN)
    assert poll.content[polls.OLD_START]["answers"] == [
        {"id": a.event_id, "org.matrix.msc1767.text": "A"}
    ]  # Element's form of the same poll
    offered_and_not = polls.poll_response(poll.event_id, [a.event_id, "$not-offered"])
    spoiled = ev("@exp:t", T0 + 22 * MIN, offered_and_not, polls.RESPONSE)
    again = vote(poll, "@exp:t", T0 + 23 * MIN, a)
    r = fold(root, [a, poll, spoiled, again])
    assert r.ballots == {"@exp:t": ()} and r.tally[0].votes == 0
    assert refused(r, spoiled).startswith("spoiled") and "second vote" in refused(r, again)
