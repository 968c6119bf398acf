"""A hole in a room's history that the server would not give is fetched later.

Bob comes back to a room with more missed than a sync brings, through the hostile
homeserver (``tests.hostile_homeserver``), which answers every /messages request of
that room with no JSON: the gap fill fails, and bob is told by the room's name. Then
the server answers again. The messages of the hole must reach bob's archive, in the
timeline's order in the room's chain: after a restart, or when he scrolls back in the
room; syncs meanwhile never wait on the hole. A hole the server never gives is given
up after its tries, counted across scrolls and starts. (Before, the hole was forgotten
after three failed fills, and at once by a restart; scrolling back starts before the
archive's oldest message, older than the hole, so its messages were never fetched.)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Protocol

import pytest

from app.core.records import RoomEvent
from app.homeserver import EmbeddedHomeserver
from app.services.account import AccountService
from app.services.timeline import Timeline, holes
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import (
    HISTORY_JUNK_IDS,
    Away,
    hole_filled_in_chain_order,
    joined_after_history,
    while_bob_was_away,
)
from tests.peers import WAIT_SECONDS, Peer

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


class Operations(Protocol):
    """``async with operations() as (away, room):`` alice and bob share the room
    "Operations", where alice said ``SENT`` while bob was away (``while_bob_was_away``)."""

    def __call__(self) -> AbstractAsyncContextManager[tuple[Away, str]]: ...


@pytest.fixture
def operations(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> Operations:
    @asynccontextmanager
    async def away_from_operations() -> AsyncIterator[tuple[Away, str]]:
        names = ["Operations"]
        async with while_bob_was_away(homeserver, make_account, tmp_path, names, SENT) as away:
            (room,) = away.rooms
            yield away, room

    return away_from_operations


def _newest(bob: Peer, room: str) -> RoomEvent:
    """Bob's copy of the newest message alice said while he was away."""
    newest = bob.find_text(room, SENT[-1])
    assert newest is not None
    return newest


async def _refused_once(away: Away) -> Peer:
    """Bob comes back while the server refuses the room's history: the sync brings the
    newest messages, the gap fill fails, the oldest of the hole are not there. The user
    is told once the background fill has left the hole for the run (a refused page is
    asked for twice, plain then screened: a count of refusals would come too early)."""
    (room,) = away.rooms
    away.proxy.history_room, away.proxy.refuse_history = room, True
    bob = await away.come_back()
    await bob.wait_text(room, SENT[-1])
    await bob.wait_for(lambda: bool(bob.problems("history_gap")), "the gap fill, refused")
    assert bob.find_text(room, SENT[0]) is None
    return bob


async def _the_hole_in_chain_order(bob: Peer, room: str) -> None:
    await hole_filled_in_chain_order(bob, room, SENT)


async def test_a_hole_the_server_refused_is_fetched_after_a_restart(operations: Operations) -> None:
    async with operations() as (away, room):
        await _refused_once(away)
        await away.leave()
        away.proxy.history_room, away.proxy.refuse_history = "", False
        bob = await away.come_back()
        await away.alice.account.send_text(room, "after the restart")  # a sync with events
        await _the_hole_in_chain_order(bob, room)


async def test_a_hole_is_not_fetched_within_syncs_and_is_fetched_when_the_room_is_scrolled_back(
    operations: Operations,
) -> None:
    async with operations() as (away, room):
        bob = await _refused_once(away)
        assert bob.problems("history_gap") == ["Operations"]  # by the room's name, once
        asked = away.proxy.refused
        for n in ("a", "b"):  # seeing b, bob's sync that brought a was absorbed
            await away.alice.account.send_text(room, f"later {n}")
            newest = await bob.wait_text(room, f"later {n}")
        assert away.proxy.refused == asked  # new messages do not wait on the hole
        assert bob.find_text(room, SENT[0]) is None

        away.proxy.history_room, away.proxy.refuse_history = "", False
        timeline = bob.account.feature(Timeline)
        await asyncio.wait_for(timeline.older(room, newest.event_id), WAIT_SECONDS)
        await _the_hole_in_chain_order(bob, room)
        assert bob.problems("history_gap") == ["Operations"]


async def test_a_hole_in_a_room_we_were_removed_from_is_still_fetched(
    operations: Operations,
) -> None:
    """The server gives a room's history up to our leave (a kick is one): the hole is
    fetched when bob scrolls back, not given up because he is no longer a member."""
    async with operations() as (away, room):
        bob = await _refused_once(away)
        newest = _newest(bob, room)
        await away.alice.account.client.kick(room, bob.user_id, "done here")
        await bob.wait_for(lambda: _removed(bob, room), "the kick")
        away.proxy.history_room, away.proxy.refuse_history = "", False
        timeline = bob.account.feature(Timeline)
        await asyncio.wait_for(timeline.older(room, newest.event_id), WAIT_SECONDS)
        await _the_hole_in_chain_order(bob, room)
        assert bob.problems("history_gap_lost") == []


async def test_a_hole_left_by_a_kick_while_we_were_away_is_fetched(operations: Operations) -> None:
    """Bob is kicked after more than a sync's worth was said while he was away: his
    sync brings the room cut short in its leave section, and what came before is
    fetched too. (Before, a left room's hole was never noted: those messages were
    never archived.)"""
    async with operations() as (away, room):
        assert away.bob.login_as is not None  # signed off: his id from his sign-in
        await away.alice.account.client.kick(room, away.bob.login_as.user_id, "done here")
        bob = await away.come_back()
        await bob.wait_for(lambda: _removed(bob, room), "the kick")
        await _the_hole_in_chain_order(bob, room)


def _removed(bob: Peer, room: str) -> bool:
    return bool(bob.memberships(room, bob.user_id, "leave"))


async def test_a_hole_the_server_never_gives_is_given_up_after_its_tries(
    operations: Operations,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tries are counted in the archive, across scrolls and starts: at the last one the
    hole is forgotten (logged), the user told, and no scroll asks for it again."""
    monkeypatch.setattr(holes, "MAX_GAP_TRIES", 2)
    async with operations() as (away, room):
        bob = await _refused_once(away)
        newest = _newest(bob, room)
        (hole,) = await bob.account.db(bob.account.archive.history_gaps, room)
        timeline = bob.account.feature(Timeline)
        del away.proxy.history_asked[:]  # the background fill's try, the first
        await asyncio.wait_for(timeline.older(room, newest.event_id), WAIT_SECONDS)
        assert hole.token in away.proxy.history_asked  # the second try, refused: the last
        del away.proxy.history_asked[:]
        await asyncio.wait_for(timeline.older(room, newest.event_id), WAIT_SECONDS)
        assert hole.token not in away.proxy.history_asked
        assert await bob.account.db(bob.account.archive.history_gaps, room) == []
        await bob.wait_for(lambda: bool(bob.problems("history_gap_lost")), "the user told")
        assert bob.problems("history_gap_lost") == ["Operations"]


async def test_joining_a_room_with_a_long_history_spends_no_try_of_a_spoiled_hole(
    operations: Operations,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A join's first batch is cut short too, but notes no hole (the room is new to the
    archive): the fill is not woken by it. (Before, each such join went over the open
    holes again, and a refused one was given up after a few joins, not its tries.)"""
    monkeypatch.setattr(holes, "MAX_GAP_TRIES", 2)
    async with operations() as (away, room):
        bob = await _refused_once(away)  # the hole's first try
        (hole,) = await bob.account.db(bob.account.archive.history_gaps, room)
        del away.proxy.history_asked[:]
        await joined_after_history(away.alice, bob, away.proxy, SENT[:15], [])
        await away.alice.account.send_text(room, "after the join")  # a round trip more
        await bob.wait_text(room, "after the join")
        assert away.proxy.history_asked == []
        assert await bob.account.db(bob.account.archive.history_gaps, room) == [hole]
        assert bob.problems("history_gap_lost") == []


async def test_a_hole_the_server_forbids_is_given_up_at_once_and_the_rest_goes_on(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """A 403 M_FORBIDDEN (as to one banned from the room) is no passing failure: the
    hole is given up at its first fill, the user told once by the room's name, and
    never told it will be tried again; the other room's hole is filled, and syncing
    goes on in both."""
    rooms = ["Operations", "Logistics"]
    async with while_bob_was_away(homeserver, make_account, tmp_path, rooms, SENT) as away:
        forbidden, other = away.rooms
        away.proxy.history_room, away.proxy.forbid_history = forbidden, True
        bob = await away.come_back()
        await bob.wait_text(other, SENT[0])  # the other room's hole, filled
        await bob.wait_for(lambda: bool(bob.problems("history_gap_lost")), "the user told")
        assert await bob.account.db(bob.account.archive.history_gaps) == []
        newest = bob.find_text(forbidden, SENT[-1])
        assert newest is not None and bob.find_text(forbidden, SENT[0]) is None

        timeline = bob.account.feature(Timeline)  # a scroll back: no hole to try again
        await asyncio.wait_for(timeline.older(forbidden, newest.event_id), WAIT_SECONDS)
        for each in away.rooms:
            await away.alice.account.send_text(each, "after the ban")
            await bob.wait_text(each, "after the ban")
        assert bob.problems("history_gap_lost") == ["Operations"]
        assert bob.problems("history_gap") == []


async def test_two_scrolls_at_once_fetch_a_hole_once(operations: Operations) -> None:
    """Two triggers of one hole's fill at the same time (here two scrolls back) ask the
    server for its pages once, and archive them once, in the timeline's order."""
    async with operations() as (away, room):
        bob = await _refused_once(away)
        (hole,) = await bob.account.db(bob.account.archive.history_gaps, room)
        newest = _newest(bob, room)
        away.proxy.history_room, away.proxy.refuse_history = "", False
        del away.proxy.history_asked[:]  # the refused background fill asked too
        timeline = bob.account.feature(Timeline)
        scrolls = (timeline.older(room, newest.event_id) for _ in range(2))
        await asyncio.wait_for(asyncio.gather(*scrolls), WAIT_SECONDS)
        # The background fill is idle (it left the hole for the run): a scroll filled it.
        assert await bob.account.db(bob.account.archive.history_gaps, room) == []
        await _the_hole_in_chain_order(bob, room)
        assert away.proxy.history_asked.count(hole.token) == 1


async def test_a_fill_failing_on_our_side_is_a_try_and_the_next_hole_is_still_filled(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fault of ours (not the server's) in the first hole's fill is logged and counted
    as its try; the background pass goes on to the other room's hole."""
    rooms = ["Operations", "Logistics"]
    async with while_bob_was_away(homeserver, make_account, tmp_path, rooms, SENT) as away:
        failed: list[str] = []
        archive_history = AccountService.archive_history

        async def failing_once(self: AccountService, events: list[RoomEvent]) -> list[RoomEvent]:
            if not failed:
                failed.append(events[0].room_id)
                raise RuntimeError("a fault of ours")
            return await archive_history(self, events)

        monkeypatch.setattr(AccountService, "archive_history", failing_once)
        bob = await away.come_back()
        await bob.wait_for(lambda: bool(bob.problems("history_gap")), "the failed try counted")
        (other,) = (room for room in away.rooms if room not in failed)
        await bob.wait_text(other, SENT[0])
        (hole,) = await bob.account.db(bob.account.archive.history_gaps)
        assert (hole.room_id, hole.tries) == (failed[0], 1)


async def test_a_hole_the_server_could_not_be_reached_for_is_fetched_when_it_is_back(
    operations: Operations,
) -> None:
    """The fill at the start finds the server unreachable (no try): with no new hole
    noted to wake it, the fill goes over the holes again after a back-off."""
    async with operations() as (away, room):
        away.proxy.history_room, away.proxy.history_down = room, True
        bob = await away.come_back()
        await bob.wait_text(room, SENT[-1])
        await bob.wait_for(lambda: away.proxy.down >= 1, "the gap fill, unreachable")
        away.proxy.history_room, away.proxy.history_down = "", False
        await _the_hole_in_chain_order(bob, room)


LONG = [f"long away {n:03d}" for n in range(115)]  # a hole of more than one page


async def test_a_known_malformed_event_in_a_page_does_not_close_the_hole(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Junk under one id (an event without content) comes in bob's sync and again in
    every page of history; the fill reaching it on its first page is not at what bob
    held: the hole's older page must still come."""
    rooms = ["Operations"]
    async with while_bob_was_away(homeserver, make_account, tmp_path, rooms, LONG) as away:
        (room,) = away.rooms
        junk = {"type": "m.room.message", "sender": away.alice.user_id}
        away.proxy.put_in_timeline[room] = [junk | {"event_id": HISTORY_JUNK_IDS[1]}]
        away.proxy.history_room = room  # each page holds that junk too
        bob = await away.come_back()
        await bob.wait_text(room, LONG[0])  # the hole's oldest, from its second page
