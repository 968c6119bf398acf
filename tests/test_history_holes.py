"""A hole in a room's history that the server would not give is fetched later.

Bob comes back to a room with more missed than a sync brings, through the hostile
homeserver (``tests.hostile_homeserver``), which answers every /messages request of
that room with no JSON: the sync's gap fill fails. Then the server answers again. The
messages of the hole must reach bob's archive, in the timeline's order in the room's
chain: after a restart, or, once the fills after syncs gave up for this run, when he
scrolls back in the room. (Before, the hole was forgotten after three failed fills,
and at once by a restart; scrolling back starts before the archive's oldest message,
older than the hole, so its messages were never fetched: silently missing.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from app.services.timeline import Timeline
from app.services.timeline.holes import MAX_GAP_TRIES
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import Away, while_bob_was_away
from tests.peers import WAIT_SECONDS, Peer

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


async def _refused_once(away: Away) -> Peer:
    """Bob comes back while the server refuses the room's history: the sync brings the
    newest messages, the gap fill fails, the oldest of the hole are not there."""
    (room,) = away.rooms
    away.proxy.history_room, away.proxy.refuse_history = room, True
    bob = await away.come_back()
    await bob.wait_text(room, SENT[-1])
    await bob.wait_for(lambda: away.proxy.refused >= 1, "the gap fill, refused")
    assert bob.find_text(room, SENT[0]) is None
    return bob


async def _the_hole_in_chain_order(bob: Peer, room: str) -> None:
    """Every message bob missed archived once: along the room's chain, the newest that
    the sync brought, then the hole, oldest first; and no hole left open."""
    await bob.wait_text(room, SENT[0])  # the hole's oldest: archived with all of it
    links = await bob.account.db(bob.account.archive.chain_links, room, 0, 10**9)
    bodies = [event.content.get("body") for *_, event in links]
    chained = [b for b in bodies if b in SENT]
    assert chained in [SENT[cut:] + SENT[:cut] for cut in range(1, len(SENT))]
    assert await bob.account.db(bob.account.archive.history_gaps, room) == []


async def test_a_hole_the_server_refused_is_fetched_after_a_restart(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    rooms = ["Operations"]
    async with while_bob_was_away(homeserver, make_account, tmp_path, rooms, SENT) as away:
        (room,) = away.rooms
        await _refused_once(away)
        await away.leave()
        away.proxy.history_room, away.proxy.refuse_history = "", False
        bob = await away.come_back()
        await away.alice.account.send_text(room, "after the restart")  # a sync with events
        await _the_hole_in_chain_order(bob, room)


async def test_a_hole_given_up_for_this_run_is_fetched_when_the_room_is_scrolled_back(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    rooms = ["Operations"]
    async with while_bob_was_away(homeserver, make_account, tmp_path, rooms, SENT) as away:
        (room,) = away.rooms
        bob = await _refused_once(away)

        def given_up() -> bool:
            return any(isinstance(n, Problem) and n.what == "history_failed" for n in bob.notices)

        for n in range(1, MAX_GAP_TRIES):  # each sync with events tries the hole again
            await away.alice.account.send_text(room, f"later {n}")
            await bob.wait_text(room, f"later {n}")
        await bob.wait_for(given_up, "the user told that history is missing")
        asked = away.proxy.refused
        for n in ("a", "b"):  # seeing b, bob's sync that brought a was absorbed
            await away.alice.account.send_text(room, f"after giving up {n}")
            newest = await bob.wait_text(room, f"after giving up {n}")
        assert away.proxy.refused == asked  # given up for this run: syncs ask no more
        assert bob.find_text(room, SENT[0]) is None

        away.proxy.history_room, away.proxy.refuse_history = "", False
        timeline = bob.account.feature(Timeline)
        await asyncio.wait_for(timeline.older(room, newest.event_id), WAIT_SECONDS)
        await _the_hole_in_chain_order(bob, room)


async def test_two_scrolls_at_once_fetch_a_hole_once(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Two triggers of one hole's fill at the same time (here two scrolls back) ask the
    server for its pages once, and archive them once, in the timeline's order."""
    rooms = ["Operations"]
    async with while_bob_was_away(homeserver, make_account, tmp_path, rooms, SENT) as away:
        (room,) = away.rooms
        bob = await _refused_once(away)
        (hole,) = await bob.account.db(bob.account.archive.history_gaps, room)
        newest = bob.find_text(room, SENT[-1])
        assert newest is not None
        away.proxy.history_room, away.proxy.refuse_history = "", False
        del away.proxy.history_asked[:]  # the refused fill asked too
        timeline = bob.account.feature(Timeline)
        scrolls = (timeline.older(room, newest.event_id) for _ in range(2))
        await asyncio.wait_for(asyncio.gather(*scrolls), WAIT_SECONDS)
        await _the_hole_in_chain_order(bob, room)
        assert away.proxy.history_asked.count(hole.token) == 1
