"""A restart's early list meets a garbled session in the archive, or a window closed while
it is shown: the session is left out and logged, a closed window hears nothing more,
nothing raises into the window's start, and the archive is left to the backend, which
meets the same rows again and reports them.

No homeserver is needed: the early list reads only the stored login and the archive.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from app.core import roles
from app.core.paths import DataDir
from app.core.records import RoomEvent, RoomSummary
from app.services.instance_lock import InstanceLock
from app.services.notices import Notice, Resuming, RoomsChanged, RosterChanged
from app.services.preview import show_archive
from app.store import Archive
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from app.store.sqlcipher import connect_encrypted
from tests.test_start_peek import ME, stored_account

SPACE = "!session:ops.example"


def with_a_garbled_session(data: DataDir) -> DataDir:
    """The account's archive with a session space whose archived state row is not JSON
    (a damaged file, or a row another tool wrote)."""
    keys = ArchiveKeys(data.account(ME), ME)
    engine, outbox, _key = open_archive(data.archive(ME), keys, lambda _done, _total: None)
    outbox.dispose()  # only the archive is garbled
    try:
        session = RoomEvent(
            "$session",
            SPACE,
            ME,
            roles.SESSION,
            3_000,
            {"v": "1.1"},
            state_key="",
            source={"type": roles.SESSION, "event_id": "$session"},
        )
        space = RoomSummary(SPACE, "Session 4821", encrypted=True, is_space=True, last_ts=3_000)
        Archive(engine, ME).save_sync_batch([session], [space], "t2")
    finally:
        engine.dispose()
    conn = connect_encrypted(data.archive(ME), keys.existing())
    try:
        conn.execute("UPDATE room_state SET content = '{\"title\": ' WHERE room_id = ?", (SPACE,))
        conn.commit()
    finally:
        conn.close()
    return data


def test_a_garbled_session_state_row_is_left_out_of_the_early_list_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The rooms and the other sessions are listed early as the archive has them; the
    session whose state cannot be read gets no roster (the backend, meeting the same
    row, leaves it out too and tells the user once), and why is in the log."""
    data = with_a_garbled_session(stored_account(tmp_path / "data"))
    said: list[Notice] = []
    with caplog.at_level(logging.WARNING):
        preview = asyncio.run(show_archive(data, said.append))
    try:
        assert any(isinstance(n, Resuming) for n in said)
        listed = [n for n in said if isinstance(n, RoomsChanged)]
        assert listed and SPACE in {r.room_id for r in listed[-1].rooms}
        rosters = [n.roster.session.space_id for n in said if isinstance(n, RosterChanged)]
        assert SPACE not in rosters
        # the backend starts signed in, and opens the archive itself if it was not handed
        assert preview.creds is not None and preview.creds.user_id == ME
    finally:
        preview.close()
        preview.lock.release()
    failed = [r for r in caplog.records if r.exc_info]
    assert [r.getMessage() for r in failed] == [f"the roster of {SPACE} could not be read"]
    assert isinstance(failed[0].exc_info[1], ValueError)


def test_a_window_closed_while_the_list_is_announced_hears_nothing_more(tmp_path: Path) -> None:
    """The window closes just as the first notice is out: the worker announces nothing
    after it, and the archive is closed and the data dir released only once it is done."""
    data = stored_account(tmp_path / "data")
    said: list[Notice] = []

    async def restart_closed_at_once() -> None:
        loop = asyncio.get_running_loop()

        async def close_window() -> None:
            start.cancel()
            for _ in range(3):  # the start's task runs its cancellation first
                await asyncio.sleep(0)

        def heard(notice: Notice) -> None:  # on the worker thread
            said.append(notice)
            if len(said) == 1:
                asyncio.run_coroutine_threadsafe(close_window(), loop).result()

        start = asyncio.create_task(show_archive(data, heard))
        with pytest.raises(asyncio.CancelledError):
            await start

    asyncio.run(restart_closed_at_once())
    assert [type(n) for n in said] == [Resuming]
    lock = InstanceLock(data.root)
    lock.acquire()  # released by the cancelled start
    lock.release()
