"""One session whose roster cannot be read does not hide the others.

At a start the account announces every session's roster, one after another, and the
features read them all; a single unreadable session (a row the reader chokes on) used
to stop the announcements at that session, so every session after it was missing from
the list, and to fail every feature's start. It is now told as a problem (once, by its
name, while it keeps failing) and logged, and the other sessions are announced and read
as usual, at the restart's early list too. The archive itself failing is not one
session's problem: it is raised, as from every archive read. A command on that one
session (exporting its record, the keeper's retention or hold) says it could not be
read, not that it was never archived.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app.core import roles
from app.core.records import RoomEvent, RoomSummary
from app.core.session import session_content
from app.services import rosters
from app.services.arrival import store_thread
from app.services.keeper.records import session_rooms
from app.services.notices import Notice, Problem, RosterChanged
from app.services.records import Records, RecordsError
from app.services.roster_notices import RosterNotices
from app.services.store_calls import StoreCalls
from app.store import Archive, StoreError, open_database, sqlite_url
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS

FAC = "@fac:ops.example"
SPACES = ["!flood:ops.example", "!drought:ops.example", "!quake:ops.example"]
BAD = SPACES[0]  # the newest: the first one announced


def _session(space: str, n: int) -> RoomEvent:
    content = session_content(f"Session {n}", "active", [])
    source = {"event_id": f"$s{n}", "room_id": space, "type": roles.SESSION, "state_key": ""}
    source |= {"sender": FAC, "origin_server_ts": n, "content": content}
    return RoomEvent(f"$s{n}", space, FAC, roles.SESSION, n, content, "", source=source)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    archive = Archive(engine, FAC)
    summaries = [
        RoomSummary(space, f"Session {n}", is_space=True, last_ts=10 - n)
        for n, space in enumerate(SPACES)
    ]
    archive.save_sync_batch([_session(space, n) for n, space in enumerate(SPACES)], summaries, "t1")
    yield archive
    engine.dispose()


def _choke_on(monkeypatch: pytest.MonkeyPatch, bad: str, error: Exception) -> None:
    read = rosters._roster_of

    def choking(reads: Any, space_id: str) -> RosterChanged | None:
        if space_id == bad:
            raise error
        return read(reads, space_id)

    monkeypatch.setattr(rosters, "_roster_of", choking)


@pytest.fixture
async def notices(archive: Archive) -> AsyncIterator[tuple[RosterNotices, list[Notice]]]:
    thread = store_thread()
    calls = StoreCalls(thread)

    async def db(fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await calls.run(lambda: fn(*args, **kwargs))

    heard: list[Notice] = []
    yield RosterNotices(archive, db, heard.append), heard
    await asyncio.to_thread(thread.shutdown)


def _announced(heard: list[Notice]) -> list[str]:
    return [n.roster.session.space_id for n in heard if isinstance(n, RosterChanged)]


def _problems(heard: list[Notice]) -> list[Problem]:
    return [n for n in heard if isinstance(n, Problem)]


async def test_an_unreadable_session_is_reported_and_the_others_are_announced(
    archive: Archive,
    notices: tuple[RosterNotices, list[Notice]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _choke_on(monkeypatch, BAD, ValueError("a state row the reader cannot take"))
    sessions, heard = notices
    await sessions.announce()

    assert _announced(heard) == SPACES[1:]
    # Told by its name, in a sentence of its own; why is in the log, not on screen.
    assert [(p.what, p.detail) for p in _problems(heard)] == [("session_unreadable", "Session 0")]
    assert "cannot take" in caplog.text
    # and the features, which read all rosters at once, get the other sessions
    assert [n.roster.session.space_id for n in await sessions.read()] == SPACES[1:]


async def test_an_unreadable_session_is_told_once_while_it_stays_so(
    archive: Archive,
    notices: tuple[RosterNotices, list[Notice]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _choke_on(monkeypatch, BAD, ValueError("a state row the reader cannot take"))
    sessions, heard = notices
    for _ in range(3):  # each sync batch touching the session announces it again
        await sessions.announce([BAD])
        await sessions.read()
    assert len(_problems(heard)) == 1
    # A write to the archive reads it again; failing alike, it is not told again.
    archive.save_sync_batch([_session(SPACES[2], 9)], [], "t2")
    await sessions.announce([BAD])
    assert len(_problems(heard)) == 1
    assert caplog.text.count("could not be read") == 1  # one traceback in the log, not four


async def test_the_archive_failing_is_raised_not_told_per_session(
    notices: tuple[RosterNotices, list[Notice]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _choke_on(monkeypatch, BAD, StoreError("Could not read the archive: database is locked"))
    sessions, heard = notices
    with pytest.raises(StoreError):
        await sessions.announce()
    assert _problems(heard) == []


def test_the_restarts_early_list_leaves_out_only_the_unreadable_session(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    _choke_on(monkeypatch, BAD, ValueError("a state row the reader cannot take"))
    # What the early list reads.
    assert [n.roster.session.space_id for n in rosters.rosters_of(archive, SPACES)] == SPACES[1:]


async def test_exporting_an_unreadable_session_says_it_could_not_be_read(
    archive: Archive,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _choke_on(monkeypatch, BAD, ValueError("a state row the reader cannot take"))

    async def db(fn: Any, *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    account = SimpleNamespace(archive=archive, db=db)  # what an export reads through
    records = Records(account)  # type: ignore[arg-type]
    out = tmp_path / "record"
    with pytest.raises(RecordsError) as refused:
        await records.export(BAD, str(out))
    said = f"the session {BAD} could not be read from the archive; see the log"
    assert str(refused.value) == said
    assert "cannot take" in caplog.text and not out.exists()
    # The keeper's retention and hold refuse it in the same words.
    with pytest.raises(RecordsError, match="could not be read from the archive"):
        session_rooms(archive, BAD)  # type: ignore[arg-type]


def test_the_window_tells_an_unreadable_session_in_a_sentence_of_its_own(
    qtbot, window: MainWindow
) -> None:
    window.bridge.noticed.emit(Problem("session_unreadable", "Session 0"))
    qtbot.waitUntil(lambda: bool(window.problems), timeout=WAIT_MS)
    shown = window.statusBar().currentMessage()
    assert shown.startswith("A session could not be read") and "Session 0" in shown
