"""Two trust reviews at once keep the newer membership of a room.

A review reads who is in which room 25 rooms per store call, and reviews run from the
trust watch and from the user's commands. A second review, started while the first was
between two parts, read a room after someone joined it and finished first; the first
then put back its older copy of that room: the newcomer was missing from the people
until the room changed again. Now the second review waits for the first and reads only
the room that moved, and two first reviews do not both read every room.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.core.records import RoomEvent, RoomSummary
from app.services.arrival import store_thread
from app.services.store_calls import StoreCalls
from app.services.trust import shared_rooms
from app.services.trust.shared_rooms import MEMBER, ROOMS_PER_READ, SharedRooms
from app.store import Archive, open_database, sqlite_url

ME, BOB = "@me:ops.example", "@bob:ops.example"
ROOMS = [f"!r{n:02}:ops.example" for n in range(ROOMS_PER_READ + 1)]  # two parts
JOINED = ROOMS[0]  # the newest and first by id: read in the first part, then joined by Bob


def _join(user: str, room_id: str, n: int) -> RoomEvent:
    content = {"membership": "join"}
    source = {"event_id": f"$j{n}", "room_id": room_id, "type": MEMBER, "state_key": user}
    source |= {"sender": user, "origin_server_ts": n, "content": content}
    return RoomEvent(f"$j{n}", room_id, user, MEMBER, n, content, user, source=source)


@pytest.mark.parametrize("earlier", ["the first review", "a review of rooms that moved"])
async def test_a_join_read_by_a_later_review_is_not_undone_by_an_earlier_one(
    tmp_path: Path, earlier: str
) -> None:
    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    thread = store_thread()
    try:
        archive = Archive(engine, ME)
        summaries = [RoomSummary(r, r, last_ts=100 - n) for n, r in enumerate(ROOMS)]
        mine = [_join(ME, room_id, 100 - n) for n, room_id in enumerate(ROOMS)]
        archive.save_sync_batch(mine, summaries, "t1")
        calls = StoreCalls(thread)
        asked: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        later: list[asyncio.Task[dict[str, tuple[str, ...]]]] = []
        armed = [earlier == "the first review"]

        async def db(fn: Callable[..., Any], *args: Any) -> Any:
            read_before = [a[1] for f, a in asked if f is shared_rooms._joined_members]
            asked.append((fn, args))
            if armed[0] and any(JOINED in part for part in read_before) and not later:
                # The first review has read the first part (Bob not in it yet). Bob joins,
                # and a second review starts before the first asks for its last part.
                bob = _join(BOB, JOINED, 200)
                await calls.run(lambda: archive.save_sync_batch([bob], summaries[:1], "t2"))
                rooms.moved([JOINED])
                later.append(asyncio.create_task(rooms.read()))
                # One loop turn runs the second review's first step (create_task queues
                # it ahead of us): its read is on the store queue now, or it waits for us.
                await asyncio.sleep(0)
            return await calls.run(lambda: fn(*args))

        rooms = SharedRooms(archive, db)
        if earlier != "the first review":
            await rooms.read()  # read once, all calm
            asked.clear()
            armed[0] = True
            rooms.moved(ROOMS)  # then someone came or went in every room
        first = await rooms.read()
        second = await later[0]

        assert JOINED in first.get(ME, ())
        assert second[BOB] == (JOINED,)
        assert (await rooms.read())[BOB] == (JOINED,)  # and it stays there
        # The later review read only the room that moved, and every room was listed once.
        parts = [a[1] for f, a in asked if f is shared_rooms._joined_members]
        assert parts[2:] == [[JOINED]]
        listed = sum(f is shared_rooms._rooms for f, _ in asked)
        assert listed == (earlier == "the first review")
    finally:
        await asyncio.to_thread(thread.shutdown)
        engine.dispose()
