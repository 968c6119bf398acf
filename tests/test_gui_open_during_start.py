"""A room opened right after a restart shows its messages while the start still reads.

At a ministry's scale the account's start reads every session's state for its features
for seconds; the room the user clicks meanwhile needs only the archive. Here the start
is held in one feature's reading until the room has opened: the room must not wait
for it.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.services.sitrep import Sitreps
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS, select_room, sign_in, start_window
from tests.fixtures_homeserver import MakeAccount

MESSAGE = "Convoy left the border post at 14:05"
NEWER = "Fuel for two days"  # its room is the newest: a restart shows it before any click


def _texts(window: MainWindow) -> list[str]:
    model = window.workspace.timeline
    return [model.row(i).text for i in range(model.rowCount())]


def test_a_room_opens_while_the_start_is_still_reading_a_features_state(
    qtbot,
    tmp_path: Path,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = DataDir(tmp_path / "restarted")
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
