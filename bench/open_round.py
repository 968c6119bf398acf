"""How long folding an open round takes as it grows: every client re-folds a round from
its events whenever a batch touching it arrives (on the backend thread, never the UI's),
so the fold must stay small beside a sync at the sizes an open situation room reaches
(20 proposals, hundreds to a thousand voters, chat threads beside it).

Pure rules only (``app.core.open_round.fold``): no homeserver, no archive; the events are
what the archive hands the feature, with the server's timestamps, shuffled (the fold
sorts them itself).

Run: ``python -m bench.open_round [--voters 1000] [--repeat 20]``
"""

from __future__ import annotations

import argparse
import random
import time

from app.core import open_round as rnd
from app.core.open_round import Terms, polls
from app.core.records import RoomEvent
from app.core.roles import Role
from bench.common import Summary, emit_json

ROOM = "!ops:bench.example"
T0 = 1_800_000_000_000
MINUTE = 60_000


def _event(n: int, sender: str, at: int, content: dict, kind: str = "m.room.message") -> RoomEvent:
    return RoomEvent(f"$b{n:07d}", ROOM, sender, kind, at, content)


def build(
    voters: int, proposals: int = 20, chat: int = 1000
) -> tuple[RoomEvent, list[RoomEvent], dict]:
    """A round with ``proposals`` proposals, a ballot (and a second vote) per voter, and
    ``chat`` thread replies elsewhere in the room."""
    roles = {f"@v{i}:b": Role.EXPERT for i in range(voters)} | {"@fac:b": Role.FACILITATOR}
    start = _event(0, "@fac:b", T0, rnd.round_message(Terms("Bench", "", 20, 60)))
    events = [
        _event(1 + i, f"@v{i}:b", T0 + i * 50, rnd.proposal_message(start.event_id, f"P{i}", ""))
        for i in range(proposals)
    ]
    answers = [(e.event_id, f"P{i}") for i, e in enumerate(events)]
    poll = _event(
        10**6, "@fac:b", T0 + 21 * MINUTE, polls.poll_start("Bench", answers, "Bench"), polls.START
    )
    poll.content[rnd.VOTE_OF] = {"round": start.event_id}  # type: ignore[index]
    events.append(poll)
    rng = random.Random(7)
    for i in range(voters):
        for again in (0, 1):
            picks = rng.sample([a for a, _ in answers], 3)
            at = T0 + 22 * MINUTE + i * 100 + again
            response = polls.poll_response(poll.event_id, picks)
            events.append(
                _event(2 * 10**6 + 2 * i + again, f"@v{i}:b", at, response, polls.RESPONSE)
            )
    thread = {"rel_type": "m.thread", "event_id": "$elsewhere"}
    for i in range(chat):
        content = {"msgtype": "m.text", "body": f"chat {i}", "m.relates_to": thread}
        events.append(_event(3 * 10**6 + i, "@fac:b", T0 + i, content))
    rng.shuffle(events)
    return start, events, roles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    start, events, roles = build(args.voters)
    samples = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        folded = rnd.fold(start, events, roles)
        samples.append((time.perf_counter() - began) * 1000)
    assert folded is not None and len(folded.ballots) == args.voters
    summary = Summary.of(samples)
    print(f"{len(events)} events, {args.voters} voters, 20 proposals, second votes and chat")
    print(summary.line("fold one round"))
    emit_json(
        "open_round", {"events": len(events), "voters": args.voters, "fold_ms": summary.rounded()}
    )


if __name__ == "__main__":
    main()
