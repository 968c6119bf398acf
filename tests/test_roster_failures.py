"""One session whose roster cannot be read does not hide the others.

At a start the account announces every session's roster, one after another, and the
features read them all; a single unreadable session (a row the reader chokes on) used
to stop the announcements at that session, so every session after it was missing from
the list, and to fail every feature's start. It is now told as a problem and logged,
and the other sessions are announced and read as usual.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from app.core import roles
from app.core.records import RoomEvent, RoomSummary
from app.core.session import session_content
from app.services import rosters
from app.services.arrival import store_thread
from app.services.notices import Notice, Problem, RosterChanged
from app.services.roster_notices import RosterNotices
from app.services.store_calls import StoreCalls
from app.store import Archive, open_database, sqlite_url

FAC = "@fac:ops.example"
SPACES = ["!flood:ops.example", "!drought:ops.example", "!quake:ops.example"]
BAD = SPACES[0]  # the newest: the first one announced


def _session(space: str, n: int) -> RoomEvent:
    content = session_content(f"Session {n}", "active", [])
    source = {"event_id": f"$s{n}", "room_id": space, "type": roles.SESSION, "state_key": ""}
    source |= {"sender": FAC, "origin_server_ts": n, "content": content}
    return RoomEvent(f"$s{n}", space, FAC, roles.SESSION, n, content, "", source=source)


async def test_an_unreadable_session_is_reported_and_the_others_are_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    thread = store_thread()
    try:
        archive = Archive(engine, FAC)
        summaries = [
            RoomSummary(space, f"Session {n}", is_space=True, last_ts=10 - n)
            for n, space in enumerate(SPACES)
        ]
        sessions = [_session(space, n) for n, space in enumerate(SPACES)]
        archive.save_sync_batch(sessions, summaries, "t1")
        read = rosters._roster_of

        def choking(reads: Any, space_id: str) -> RosterChanged | None:
            if space_id == BAD:
                raise ValueError("a state row the reader cannot take")
            return read(reads, space_id)

        monkeypatch.setattr(rosters, "_roster_of", choking)
        calls = StoreCalls(thread)

        async def db(fn: Any, *args: Any, **kwargs: Any) -> Any:
            return await calls.run(lambda: fn(*args, **kwargs))

        heard: list[Notice] = []
        notices = RosterNotices(archive, db, heard.append)
        await notices.announce()

        announced = [n.roster.session.space_id for n in heard if isinstance(n, RosterChanged)]
        assert announced == SPACES[1:]
        problems = [n for n in heard if isinstance(n, Problem)]
        assert [p.what for p in problems] == ["feature_failed"]
        assert BAD in problems[0].detail and "cannot take" in problems[0].detail
        # and the features, which read all rosters at once, get the other sessions
        assert [n.roster.session.space_id for n in await notices.read()] == SPACES[1:]
    finally:
        await asyncio.to_thread(thread.shutdown)
        engine.dispose()
