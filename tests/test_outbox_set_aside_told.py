"""An outbox set aside at the account's start is told to the person, once.

Why: an outbox another key made (the archive moved aside after a lost key, or an older
release's archive converted under a new key) is renamed and a new one begins; its
messages are neither sent nor lost. Only the log said so, and a person who had queued
messages before the move would have believed them sent, or gone.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

from app.core.paths import DataDir
from app.services.at_rest import open_account_archive
from app.services.notices import Notice, Problem
from app.store import Outbox, sqlite_url
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from app.store.database import open_outbox_database
from app.store.outbox_file import outbox_path
from app.ui.bridge import Bridge
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS

ME = "@omar:ops.example"
ROOM = "!geneva:ops.example"


def _keys(data: DataDir) -> ArchiveKeys:
    return ArchiveKeys(data.account(ME), ME, keyring=None, passphrase=lambda: None)


def _outbox_of_another_key(data: DataDir) -> None:
    """The account's archive, beside an outbox holding a message under another key."""
    archive, outbox, _key = open_archive(data.archive(ME), _keys(data), lambda _d, _t: None)
    archive.dispose()
    outbox.dispose()
    path = outbox_path(data.archive(ME))
    path.unlink()
    other = open_outbox_database(sqlite_url(path), b"\x01" * 32)
    Outbox(other).enqueue(ROOM, "m.room.message", {"body": "queued before the move"})
    other.dispose()


def _start(data: DataDir, notify: Callable[[Notice], None]) -> None:
    """The account's start opening its archive, on a thread of its own as the backend's."""

    async def opening() -> None:
        opened = await open_account_archive(data, ME, notify, keys=_keys(data))
        opened.dispose()

    thread = threading.Thread(target=asyncio.run, args=(opening(),))
    thread.start()
    thread.join()


def test_the_start_that_sets_an_outbox_aside_says_so_once(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    _outbox_of_another_key(data)
    heard: list[Notice] = []
    _start(data, heard.append)
    [aside] = data.account(ME).glob(f"{outbox_path(data.archive(ME)).name}.set-aside-*")
    assert heard == [Problem("outbox_set_aside", aside.name)]  # where it is kept

    heard.clear()
    _start(data, heard.append)  # the next start: the new outbox is the archive's own
    assert heard == []


def test_the_window_tells_the_person_their_unsent_messages_were_kept(qtbot, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    _outbox_of_another_key(data)
    window = MainWindow(Bridge(DataDir(tmp_path / "gui")))  # fed by the start: no backend
    window.show()
    try:
        _start(data, window.bridge.noticed.emit)
        bar = window.statusBar()
        qtbot.waitUntil(lambda: "kept aside" in bar.currentMessage(), timeout=WAIT_MS)
        assert "unsent and not lost" in bar.currentMessage()
        assert ".set-aside-" in bar.currentMessage()  # the name it is kept under
    finally:
        dispose_widget(window)
