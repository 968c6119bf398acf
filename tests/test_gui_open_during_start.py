"""A room opened right after a restart shows its messages while the start still reads.

At a ministry's scale the account's start reads every session's state for its features
for seconds; the room the user clicks meanwhile needs only the archive. Here the start
is held in one feature's reading until the room has opened: the room must not wait
for it.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject

from app.core.paths import DataDir
from app.homeserver import Account, EmbeddedHomeserver
from app.matrix import MatrixClient
from app.services import room_opening
from app.services.account import AccountService
from app.services.notices import RoomLoaded
from app.services.sitrep import Sitreps
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS, select_room, sign_in, start_window
from tests.fixtures_homeserver import MakeAccount
from tests.peers import WAIT_SECONDS, raw_join, raw_nio_client, raw_send_text

MESSAGE = "Convoy left the border post at 14:05"
NEWS = "Convoy turned back at the bridge"
NEWER = "Fuel for two days"  # its room is the newest: a restart shows it before any click


def _texts(window: MainWindow) -> list[str]:
    model = window.workspace.timeline
    return [model.row(i).text for i in range(model.rowCount())]


def _restartable_account(
    qtbot, data: DataDir, homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    """A signed-in account with two rooms and a message in each, its window closed."""
    first = start_window(data)
    try:
        sign_in(qtbot, first, homeserver, make_account("opener"))
        for room, text in (("Operations", MESSAGE), ("Logistics", NEWER)):
            first.bridge.create_room(room)
            room_id = select_room(qtbot, first, room)
            first.bridge.send_text(room_id, text)
            qtbot.waitUntil(lambda t=text: t in _texts(first), timeout=WAIT_MS)
    finally:
        dispose_widget(first)


def test_a_room_opens_while_the_start_is_still_reading_a_features_state(
    qtbot,
    tmp_path: Path,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = DataDir(tmp_path / "restarted")
    _restartable_account(qtbot, data, homeserver, make_account)

    reading, done = threading.Event(), threading.Event()
    start = Sitreps.start

    async def long_start(self: Sitreps) -> None:  # a start read that takes until released
        reading.set()
        await asyncio.to_thread(done.wait)
        await start(self)

    monkeypatch.setattr(Sitreps, "start", long_start)
    again = start_window(data)
    try:
        qtbot.waitUntil(reading.is_set, timeout=WAIT_MS)
        assert MESSAGE not in _texts(again)
        select_room(qtbot, again, "Operations")
        qtbot.waitUntil(lambda: MESSAGE in _texts(again), timeout=WAIT_MS)  # start still held
    finally:
        done.set()
        dispose_widget(again)


class _TimelinePaints(QObject):
    """Notes in ``log`` the first paint of the timeline that shows ``text``."""

    def __init__(self, window: MainWindow, text: str, log: list[str]) -> None:
        super().__init__(window)
        self._window, self._text, self._log = window, text, log
        window.workspace.timeline_view.viewport().installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        painting = event.type() == QEvent.Type.Paint and "painted" not in self._log
        if painting and self._text in _texts(self._window):
            self._log.append("painted")
        return False


def test_the_start_reads_nothing_while_an_opened_room_is_on_its_way_to_the_screen(
    qtbot,
    tmp_path: Path,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The start's reads and the room's paint took turns with the GIL, and the room
    clicked during a ministry's start reached the screen 100-300 ms late; the store
    thread now waits for the room's paint before it takes the start's next read."""
    data = DataDir(tmp_path / "restarted")
    _restartable_account(qtbot, data, homeserver, make_account)

    log: list[str] = []  # in order: the start's reads, the room's read, its paint
    reading, done = threading.Event(), threading.Event()
    start, read_room = Sitreps.start, room_opening.load_room

    async def busy_start(self: Sitreps) -> None:  # a start that reads until released
        reading.set()
        while not done.is_set():
            await self._account.db(log.append, "start read")
        await start(self)

    def room_read(*args: Any) -> Any:
        found = read_room(*args)
        log.append("room read")
        return found

    monkeypatch.setattr(Sitreps, "start", busy_start)
    monkeypatch.setattr(room_opening, "load_room", room_read)
    monkeypatch.setattr(room_opening, "OPEN_GRACE_SECONDS", 60)  # the order is under test
    again = start_window(data)
    try:
        _TimelinePaints(again, MESSAGE, log)
        qtbot.waitUntil(reading.is_set, timeout=WAIT_MS)
        select_room(qtbot, again, "Operations")
        qtbot.waitUntil(lambda: "painted" in log, timeout=WAIT_MS)
        done.set()
        opened = len(log) - 1 - log[::-1].index("room read")  # the click's, not the restart's
        assert log[opened + 1] == "painted", log[opened:][:5]
    finally:
        done.set()
        dispose_widget(again)


@contextmanager
def _plain_client(
    window: MainWindow, homeserver: EmbeddedHomeserver, theirs: Account, room_id: str
) -> Iterator[Callable[[str], None]]:
    """A plain matrix-nio client in ``room_id`` (a new device of ``theirs``), on the
    window's backend loop; yields its way to post there. Closed after."""

    def run(coro: Any) -> Any:
        return window.bridge.runtime.submit(coro).result(WAIT_SECONDS)

    store = window.bridge.data_root.parent / f"plain-{secrets.token_hex(3)}"
    raw = run(raw_nio_client(homeserver, theirs.user_id, theirs.password, store))
    try:
        run(raw_join(raw, room_id))
        yield lambda text: run(raw_send_text(raw, room_id, text))
    finally:
        run(raw.close())


def _restartable_with_a_plain_client(
    qtbot, data: DataDir, homeserver: EmbeddedHomeserver, mine: Account, theirs: Account
) -> str:
    """The window's account and a plain client in "Logistics", its window closed; the
    room's id."""
    first = start_window(data)
    try:
        sign_in(qtbot, first, homeserver, mine)
        first.bridge.create_room("Logistics", (theirs.user_id,))
        logistics = select_room(qtbot, first, "Logistics")
        with _plain_client(first, homeserver, theirs, logistics):
            pass  # joined
        first.bridge.send_text(logistics, NEWER)
        qtbot.waitUntil(lambda: NEWER in _texts(first), timeout=WAIT_MS)
    finally:
        dispose_widget(first)
    return logistics


def test_a_message_arriving_before_the_restarts_own_load_stays_shown(
    qtbot,
    tmp_path: Path,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A restart shows the newest room from the archive, unasked, while the window's own
    ask for it is on its way: a message arriving in between is shown at once, and stays
    shown under the ask's answer, read before the message was archived."""
    data, theirs = DataDir(tmp_path / "restarted"), make_account("other")
    logistics = _restartable_with_a_plain_client(
        qtbot, data, homeserver, make_account("opener"), theirs
    )
    go, reading, release = threading.Event(), threading.Event(), threading.Event()
    open_room, read_room, sync = AccountService.open_room, room_opening.load_room, MatrixClient.sync
    polling = asyncio.Event()  # the sync loop waits on the server, none of its reads queued

    async def watched_sync(self: MatrixClient, *args: Any, **kwargs: Any) -> Any:
        polling.set()
        try:
            return await sync(self, *args, **kwargs)
        finally:
            polling.clear()

    async def when_told(self: AccountService, room_id: str) -> RoomLoaded:
        await asyncio.to_thread(go.wait, WAIT_SECONDS)
        while not polling.is_set():  # else the next message would wait for the read
            await polling.wait()
        return await open_room(self, room_id)

    def held_read(*args: Any) -> Any:  # the store thread reads the room, held there
        reading.set()
        release.wait(WAIT_SECONDS)
        return read_room(*args)

    monkeypatch.setattr(MatrixClient, "sync", watched_sync)
    monkeypatch.setattr(AccountService, "open_room", when_told)
    monkeypatch.setattr(room_opening, "load_room", held_read)
    again = start_window(data)
    loaded: list[str] = []
    try:
        with _plain_client(again, homeserver, theirs, logistics) as post:
            qtbot.waitUntil(lambda: NEWER in _texts(again), timeout=WAIT_MS)  # the start's
            post(MESSAGE)  # the room's keys are shared now
            qtbot.waitUntil(lambda: MESSAGE in _texts(again), timeout=WAIT_MS)
            go.set()  # the window's own ask, made at the start, is read now
            qtbot.waitUntil(reading.is_set, timeout=WAIT_MS)
            post(NEWS)
            qtbot.waitUntil(lambda: NEWS in _texts(again), timeout=WAIT_MS)  # not archived
            again.bridge.on(RoomLoaded, lambda notice: loaded.append(notice.room_id))
            release.set()
            qtbot.waitUntil(lambda: loaded == [logistics], timeout=WAIT_MS)
        assert [_texts(again).count(text) for text in (MESSAGE, NEWS)] == [1, 1]
    finally:
        go.set()
        release.set()
        dispose_widget(again)
