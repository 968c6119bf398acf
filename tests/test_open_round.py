"""The open round end to end on a real Synapse: five participants, one of them a plain
matrix-nio client that sends only standard events (a thread reply, a poll response).

Its proposal and its first vote count; its late proposal and its second vote do not; two
app clients show the same tally; the decision entry at the desk lists the top proposals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.core import open_round as rnd
from app.core import roles
from app.core.open_round import Phase, Round, Terms, polls
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.open_round import OpenRound, RoundsChanged
from app.services.records import Records
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client
from tests.test_plain_clients import PlainClient, knows_device, message_with

APP_NAMES = ("fac", "amal", "omar", "sara")  # facilitator, official, expert, influencer


def latest(peer: Peer, space: str) -> Round | None:
    for notice in reversed(peer.notices):
        if isinstance(notice, RoundsChanged) and notice.space_id == space and notice.rounds:
            return notice.rounds[-1]
    return None


def until(peer: Peer, space: str, check: Callable[[Round], bool]) -> Callable[[], bool]:
    return lambda: (r := latest(peer, space)) is not None and check(r)


def of_type(kind: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda source: source.get("type") == kind


async def test_a_round_with_a_plain_client_counts_its_standard_events(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    accounts = {n: make_account(n) for n in (*APP_NAMES, "nora")}
    fac, amal, omar, sara = [
        await Peer(tmp_path / n, accounts[n]).login(homeserver) for n in APP_NAMES
    ]
    nora = accounts["nora"]
    raw = await raw_nio_client(homeserver, nora.user_id, nora.password, tmp_path / "plain")
    plain = PlainClient(raw)
    try:
        info = await Sessions.of(fac.account).convene(
            Blueprint(
                title="Stranded citizens",
                kind="evacuation",
                capital_tz="Europe/Berlin",
                exercise=True,
                participants=(
                    Participant(amal.user_id, Role.OFFICIAL),
                    Participant(omar.user_id, Role.EXPERT),
                    Participant(sara.user_id, Role.INFLUENCER),
                    Participant(nora.user_id, Role.EXPERT),
                ),
            )
        )
        space, ops = info.space_id, info.room(RoomKind.OPERATIONS)
        assert ops is not None
        for peer in (amal, omar, sara):
            await Sessions.of(peer.account).join(space)
        await raw.join(space)
        await raw_join(raw, ops)
        for peer in (fac, amal, omar, sara):
            await peer.wait_for(
                lambda p=peer: knows_device(p, raw.user_id, raw.device_id), "nora's device"
            )

        await fac.wait_for(
            lambda: any(isinstance(n, RoundsChanged) and n.space_id == space for n in fac.notices),
            "the session among the facilitator's rounds",
        )

        # The facilitator poses the round: one minute for proposals.
        terms = Terms(
            "Evacuate 300 citizens by Friday",
            "Routes, transport, partners",
            minutes=1,
            vote_minutes=30,
            proposers=frozenset({Role.EXPERT, Role.INFLUENCER}),
            voters=frozenset({Role.OFFICIAL, Role.EXPERT, Role.INFLUENCER}),
        )
        await fac.account.feature(OpenRound).pose(ops, terms)
        posed = await plain.find(ops, message_with("Open round: Evacuate 300"), "the round")
        assert posed["content"]["body"].startswith("EXERCISE — ")  # a session exercise
        round_id = str(posed["event_id"])
        await omar.wait_for(until(omar, space, lambda r: r.round_id == round_id), "the round")

        await omar.account.feature(OpenRound).propose(round_id, "Bus convoy", "North road")
        await sara.wait_for(until(sara, space, lambda r: len(r.proposals) == 1), "omar's")
        await sara.account.feature(OpenRound).propose(round_id, "Charter flight", "From Larnaca")
        await omar.wait_for(until(omar, space, lambda r: len(r.proposals) == 2), "sara's")
        from_nio = await plain.reply(ops, round_id, "Ferry\nTwo crossings a day", thread=True)
        await omar.wait_for(until(omar, space, lambda r: len(r.proposals) == 3), "nora's")

        # The facilitator's client opens the vote when the time box ends: a stable poll.
        poll = await plain.find(ops, of_type(polls.START), "the poll")
        answers = poll["content"]["m.poll"]["answers"]
        assert [a["m.text"][0]["body"] for a in answers] == [
            "Bus convoy",
            "Charter flight",
            "Ferry",
        ]
        bus, flight, ferry = (str(a["m.id"]) for a in answers)
        assert ferry == from_nio
        late = await plain.reply(ops, round_id, "Late idea\nToo late", thread=True)
        for peer in (amal, omar, sara):
            await peer.wait_for(
                until(peer, space, lambda r: r.phase is Phase.VOTING and bool(r.refused)),
                "the vote open, the late proposal refused",
            )
        (refused,) = latest(omar, space).refused  # type: ignore[union-attr]
        assert (refused.event_id, refused.why) == (late, "sent after the vote had opened")

        await amal.account.feature(OpenRound).vote(round_id, [bus])
        await omar.account.feature(OpenRound).vote(round_id, [flight, ferry])
        await sara.account.feature(OpenRound).vote(round_id, [ferry])
        first = await plain.send(
            ops, polls.RESPONSE, polls.poll_response(poll["event_id"], [ferry])
        )
        # Its second vote in the MSC3381 form Element sends: read as a vote, not counted.
        unstable = {
            polls.OLD_RESPONSE: {"answers": [bus]},
            "m.relates_to": {"rel_type": "m.reference", "event_id": poll["event_id"]},
        }
        second = await plain.send(ops, polls.OLD_RESPONSE, unstable)
        for peer in (amal, omar):
            await peer.wait_for(
                until(peer, space, lambda r: len(r.ballots) == 4 and len(r.refused) == 2),
                "four ballots and the second vote refused",
            )
        r = latest(amal, space)
        assert r is not None and not r.tally_visible  # hidden until the close
        assert r.ballots[nora.user_id] == (ferry,)
        assert any(x.event_id == second and "second vote" in x.why for x in r.refused)
        assert first not in {x.event_id for x in r.refused}

        # The facilitator closes early; both app clients show the same tally.
        await fac.account.feature(OpenRound).close_vote(round_id)
        for peer in (amal, omar):
            await peer.wait_for(until(peer, space, lambda r: r.phase is Phase.CLOSED), "close")
        tallies = [
            [(t.proposal.title, t.votes) for t in latest(p, space).tally]  # type: ignore[union-attr]
            for p in (amal, omar)
        ]
        assert tallies[0] == tallies[1] == [("Ferry", 3), ("Bus convoy", 1), ("Charter flight", 1)]

        # The decision goes to the desk once, with the top proposals and who took part.
        def decision() -> Any:
            return next(
                (e for e in amal.events() if e.type == roles.ENTRY and rnd.DECIDED in e.content),
                None,
            )

        await amal.wait_for(lambda: decision() is not None, "the decision entry")
        entry = decision()
        fields = entry.content[rnd.DECIDED]
        assert entry.content["kind"] == "decision" and entry.room_id == ops
        assert fields["proposals"] == [ferry, bus, flight]
        assert set(fields["participants"]) == {
            fac.user_id, amal.user_id, omar.user_id, sara.user_id, nora.user_id
        }  # fmt: skip
        filed = await plain.find(ops, message_with("[DECISION]"), "the decision as text")
        assert "1. Ferry (3 of 4 ballots)" in filed["content"]["body"]

        # The record export has the round, with what did not count and why.
        exported = await amal.account.feature(Records).export(space, str(tmp_path / "record"))
        page = (Path(exported.folder) / "record.html").read_text(encoding="utf-8")
        section = page[page.index("<h2>Open rounds</h2>") :]
        assert "EXERCISE — Open round: Evacuate 300 citizens by Friday" in section
        assert "<td>Ferry</td>" in section and "not counted: a second vote" in section
    finally:
        await raw.close()
        for peer in (fac, amal, omar, sara):
            await peer.close()
