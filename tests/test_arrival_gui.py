"""A message from another client, in the window: on screen at once in the open room, in
another room's unread badge, told to the window once, and in the archive (found by a
search) right after.

The window shows events from the store thread and holds the archive write until they are
painted (``app.services.arrival``, ``Bridge._show_early``); this is that path end to end,
with the other client plain matrix-nio and a real Synapse.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from nio import AsyncClient
from PySide6.QtCore import QEvent, QObject, QRect

from app.core.timeline.entries import TimelineQuery
from app.services import room_opening
from app.services.notices import EventsArrived, RoomLoaded, SearchResults
from app.ui.bridge import EARLY_PAINTED
from app.ui.shell.main_window import MainWindow
from app.ui.timeline.rows import RowKind
from tests.fixtures_gui import WAIT_MS, WithPlainClient
from tests.peers import WAIT_SECONDS, raw_join, raw_send_text

NEWS = "Convoy turned back at the bridge"


def _run(window: MainWindow, coro: Any) -> Any:
    """A coroutine of the other client, on the window's backend loop (one nio thread)."""
    return window.bridge.runtime.submit(coro).result(WAIT_SECONDS)


def _create_room(qtbot, window: MainWindow, name: str, invite: str) -> str:
    rooms = window.workspace.rooms
    window.bridge.create_room(name, (invite,))

    def made() -> str:
        return next(
            (r.room_id for r in map(rooms.room, range(rooms.rowCount())) if r.name == name), ""
        )

    qtbot.waitUntil(lambda: bool(made()), timeout=WAIT_MS)
    return made()


def _cell_open_beside_logistics(
    qtbot, window: MainWindow, raw: AsyncClient, other: str
) -> tuple[str, str]:
    """Two rooms shared with the plain client, "Crisis cell" open and "Logistics" not, so
    a message can land in the room on screen or in one only the room list shows."""
    cell = _create_room(qtbot, window, "Crisis cell", other)
    logistics = _create_room(qtbot, window, "Logistics", other)
    for room in (cell, logistics):
        _run(window, raw_join(raw, room))
    rooms, room_list = window.workspace.rooms, window.workspace.room_list
    room_list.setCurrentIndex(rooms.index(rooms.row_of(cell)))
    qtbot.waitUntil(lambda: window.workspace.current_room == cell, timeout=WAIT_MS)
    return cell, logistics


def _messages(window: MainWindow) -> list[str]:
    model = window.workspace.timeline
    rows = [model.row(i) for i in range(model.rowCount())]
    return [r.text or "" for r in rows if r.kind is RowKind.MESSAGE]


def _select(window: MainWindow, room: str) -> None:
    """Choose ``room`` in the room list, as a click does."""
    rooms = window.workspace.rooms
    window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(room)))


def _row_in_view(window: MainWindow, body: str) -> bool:
    """The row is in the open room's timeline and inside the visible part of it."""
    model, view = window.workspace.timeline, window.workspace.timeline_view
    for i in range(model.rowCount()):
        if model.row(i).text == body:
            rect = view.visualRect(model.index(i, 0))
            return view.viewport().rect().intersects(rect)
    return False


def _archived(qtbot, window: MainWindow, words: str) -> list[str]:
    """The archived messages a search for ``words`` finds; the search is a store call, so
    what was written before it was asked for is written by then."""
    found: list[SearchResults] = []
    window.bridge.on(SearchResults, found.append)
    window.bridge.search(TimelineQuery(text=words))
    qtbot.waitUntil(lambda: bool(found), timeout=WAIT_MS)
    return [e.content.get("body") for e in found[0].events]


def _told(notices: list[EventsArrived], body: str) -> int:
    """How many notices told the window of the message."""
    return sum(any(e.content.get("body") == body for e in n.events) for n in notices)


def test_a_message_from_another_client_is_shown_told_once_and_archived(
    qtbot, window: MainWindow, with_plain_client: WithPlainClient
) -> None:
    _mine, other, raw = with_plain_client("alice", "other")
    cell, logistics = _cell_open_beside_logistics(qtbot, window, raw, other.user_id)
    rooms = window.workspace.rooms
    told: list[EventsArrived] = []
    window.bridge.on(EventsArrived, told.append)

    _run(window, raw_send_text(raw, cell, "Close the border crossing"))
    qtbot.waitUntil(lambda: _row_in_view(window, "Close the border crossing"), timeout=WAIT_MS)

    _run(window, raw_send_text(raw, logistics, "Trucks wait at the depot"))
    qtbot.waitUntil(lambda: rooms.unread(logistics) == 1, timeout=WAIT_MS)

    # After both messages' writes:
    assert _archived(qtbot, window, "depot") == ["Trucks wait at the depot"]
    # Shown ahead of the archive, the messages were not told again once archived.
    assert _told(told, "Close the border crossing") == _told(told, "Trucks wait at the depot") == 1
    assert "Trucks wait at the depot" not in _messages(window)


class _Order(QObject):
    """In the order the UI thread saw them: the room list's paints and the bridge's word
    that early events are painted (which lets the archive write go), each with the
    watched room's unread count at that moment."""

    def __init__(self, window: MainWindow, room: str) -> None:
        super().__init__()
        self._rooms, self._room = window.workspace.rooms, room
        self.seen: list[tuple[QRect | None, int]] = []  # None: the bridge's word
        window.workspace.room_list.viewport().installEventFilter(self)
        window.bridge.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.Paint, EARLY_PAINTED):
            rect = event.region().boundingRect() if event.type() == QEvent.Type.Paint else None
            self.seen.append((rect, self._rooms.unread(self._room)))
        return False

    def painted_before_word(self, row: QRect, unread: int) -> bool:
        """Whether the row was painted with ``unread`` before the word that it was."""
        for rect, count in self.seen:
            if count == unread and rect is None:
                return False
            if count == unread and rect.intersects(row):
                return True
        return False


def test_the_archive_write_waits_until_the_room_list_has_painted_the_new_message(
    qtbot, window: MainWindow, with_plain_client: WithPlainClient
) -> None:
    """The window says it has shown a message (and the write goes) only after the room
    list painted the message's row, not when the paint was merely asked for."""
    _mine, other, raw = with_plain_client("alice", "other")
    _cell, logistics = _cell_open_beside_logistics(qtbot, window, raw, other.user_id)
    rooms, room_list = window.workspace.rooms, window.workspace.room_list
    order = _Order(window, logistics)

    _run(window, raw_send_text(raw, logistics, "Trucks wait at the depot"))
    qtbot.waitUntil(lambda: (None, 1) in order.seen, timeout=WAIT_MS)
    row = room_list.visualRect(rooms.index(rooms.row_of(logistics)))
    assert order.painted_before_word(row, unread=1)


def test_a_message_arriving_while_its_room_is_opened_again_stays_shown(
    qtbot, window: MainWindow, with_plain_client: WithPlainClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Away to another room and back before that one has opened: a message arriving for
    the room meanwhile is shown at once, and still shown once the room's own rows come,
    read from the archive before the message was written there."""
    _mine, other, raw = with_plain_client("alice", "other")
    cell, logistics = _cell_open_beside_logistics(qtbot, window, raw, other.user_id)
    release, read = threading.Event(), room_opening.load_room

    def slow_read(*args: Any) -> Any:  # the store thread is busy reading "Logistics"
        if args[-1] == logistics:
            release.wait(WAIT_SECONDS)
        return read(*args)

    for room, text in ((logistics, "Trucks wait at the depot"), (cell, "Fuel for two days")):
        _run(window, raw_send_text(raw, room, text))  # the room keys are shared by then
    qtbot.waitUntil(lambda: "Fuel for two days" in _messages(window), timeout=WAIT_MS)
    assert _archived(qtbot, window, "depot")  # the window's reads and writes are through
    monkeypatch.setattr(room_opening, "load_room", slow_read)
    loaded: list[str] = []
    window.bridge.on(RoomLoaded, lambda notice: loaded.append(notice.room_id))
    try:
        _select(window, logistics)
        _select(window, cell)
        _run(window, raw_send_text(raw, cell, NEWS))
        qtbot.waitUntil(lambda: NEWS in _messages(window), timeout=WAIT_MS)  # not archived
    finally:
        release.set()  # a failed wait leaves no store thread held through the teardown
    qtbot.waitUntil(lambda: loaded == [logistics, cell], timeout=WAIT_MS)
    assert window.workspace.current_room == cell
    assert _messages(window).count(NEWS) == 1


def test_a_room_that_fails_to_open_says_so(
    qtbot, window: MainWindow, with_plain_client: WithPlainClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window waits on the opening's answer (to stop holding the room's messages when
    it fails); the failure is still shown, as any other is."""
    _mine, other, raw = with_plain_client("alice", "other")
    _cell, logistics = _cell_open_beside_logistics(qtbot, window, raw, other.user_id)
    read = room_opening.load_room

    def failing_read(*args: Any) -> Any:
        if args[-1] == logistics:
            raise OSError("disk I/O error")
        return read(*args)

    monkeypatch.setattr(room_opening, "load_room", failing_read)
    _select(window, logistics)
    qtbot.waitUntil(
        lambda: "disk I/O error" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )
    assert [p.what for p in window.problems].count("backend_error") == 1
