"""A start announcing every session's roster redraws only what the user looks at.

At a restart the backend announces each session's roster (50 at a ministry's scale),
as a rule unchanged, while the user opens a room. The window used to redraw the
selected session's overview and instruction board, and re-sort the whole room list, for
every one of them, so the opened room's messages were painted only after all of that
(docs/performance.md, session 9: the start's notices). Here the notices come from
another thread, as the backend's do, queued to the window through its bridge.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from app.core.paths import DataDir
from app.core.records import RoomSummary
from app.core.roles import Role, RoomKind
from app.core.session import Member, Roster, SessionInfo, SessionRoom
from app.services import notices
from app.ui.bridge import Bridge
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS

ME = "@amal:x"
SESSIONS = 30


def _roster(n: int, title: str = "") -> notices.RosterChanged:
    space, ops = f"!space{n}:x", f"!ops{n}:x"
    info = SessionInfo(
        space,
        title or f"Session {n}",
        "evacuation",
        "active",
        "Africa/Cairo",
        "EXERCISE",
        True,
        rooms=(SessionRoom(RoomKind.OPERATIONS, ops),),
        details_known=True,
    )
    roster = Roster(info, (Member(ME, Role.OFFICIAL, membership="join", name="Amal"),))
    return notices.RosterChanged(roster, (space, ops))


def _from_the_backend(window: MainWindow, sent: Iterable[notices.Notice]) -> None:
    """Emitted on another thread, as the backend does: queued to the window in order."""
    thread = threading.Thread(target=lambda: [window.bridge.noticed.emit(n) for n in sent])
    thread.start()
    thread.join()


def test_other_sessions_rosters_leave_the_shown_session_as_drawn(qtbot, tmp_path: Path) -> None:
    window = MainWindow(Bridge(DataDir(tmp_path / "gui")))  # fed by hand: no backend
    window.show()
    heard: list[notices.RosterChanged] = []
    window.bridge.on(notices.RosterChanged, heard.append)  # after the window's own handlers
    try:
        rooms = [
            RoomSummary(f"!space{n}:x", f"Session {n}", is_space=True) for n in range(SESSIONS)
        ]
        rooms += [RoomSummary(f"!ops{n}:x", "ops", encrypted=True) for n in range(SESSIONS)]
        _from_the_backend(
            window,
            [
                notices.LoggedIn(ME, "DEVICE", "http://x", "file"),
                notices.RoomsChanged(tuple(rooms)),
                *(_roster(n) for n in range(SESSIONS)),
            ],
        )
        qtbot.waitUntil(lambda: len(heard) == SESSIONS, timeout=WAIT_MS)
        assert window.workspace.open_room("!ops0:x")
        overview = window.overview
        qtbot.waitUntil(lambda: overview.title.text() == "Session 0", timeout=WAIT_MS)
        clock = overview.clocks.itemAt(0).widget()
        room_list_redrawn: list[object] = []
        window.workspace.rooms.dataChanged.connect(lambda *a: room_list_redrawn.append(a))
        board_redrawn: list[object] = []
        window.instructions.page.model.modelReset.connect(lambda: board_redrawn.append(1))

        # The start's second announcement: every other session again, unchanged.
        _from_the_backend(window, [_roster(n) for n in range(1, SESSIONS)])
        qtbot.waitUntil(lambda: len(heard) == 2 * SESSIONS - 1, timeout=WAIT_MS)
        assert overview.clocks.itemAt(0).widget() is clock  # the overview not redrawn
        assert board_redrawn == []  # nor the instruction board
        assert room_list_redrawn == []  # nor the room list re-sorted

        # The shown session's own roster, renamed: the overview and the list follow it.
        _from_the_backend(window, [_roster(0, "Port Sable")])
        qtbot.waitUntil(lambda: overview.title.text() == "Port Sable", timeout=WAIT_MS)
        assert board_redrawn  # the instruction board follows its session
        rooms_model = window.workspace.rooms
        row = rooms_model.row_of("!ops0:x")
        assert rooms_model.title(row).startswith("Port Sable")
    finally:
        dispose_widget(window)


def test_a_session_renamed_while_another_is_shown_is_renamed_when_opened(
    qtbot, tmp_path: Path
) -> None:
    window = MainWindow(Bridge(DataDir(tmp_path / "gui")))
    window.show()
    heard: list[notices.RosterChanged] = []
    window.bridge.on(notices.RosterChanged, heard.append)
    try:
        rooms = [RoomSummary(f"!space{n}:x", f"Session {n}", is_space=True) for n in range(2)]
        rooms += [RoomSummary(f"!ops{n}:x", "ops", encrypted=True) for n in range(2)]
        _from_the_backend(
            window,
            [
                notices.LoggedIn(ME, "DEVICE", "http://x", "file"),
                notices.RoomsChanged(tuple(rooms)),
                _roster(0),
                _roster(1),
            ],
        )
        qtbot.waitUntil(lambda: len(heard) == 2, timeout=WAIT_MS)
        assert window.workspace.open_room("!ops0:x")
        overview = window.overview
        qtbot.waitUntil(lambda: overview.title.text() == "Session 0", timeout=WAIT_MS)
        _from_the_backend(window, [_roster(1, "Harbour North")])
        qtbot.waitUntil(lambda: len(heard) == 3, timeout=WAIT_MS)
        assert overview.title.text() == "Session 0"  # the shown session stays shown
        assert window.workspace.open_room("!ops1:x")
        qtbot.waitUntil(lambda: overview.title.text() == "Harbour North", timeout=WAIT_MS)
        rooms_model = window.workspace.rooms
        assert rooms_model.title(rooms_model.row_of("!ops1:x")).startswith("Harbour North")
    finally:
        dispose_widget(window)


def test_other_sessions_rosters_leave_the_charts_and_round_pages_as_drawn(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charts and open round pages follow the selected session as the instruction and
    sitrep pages do (one helper, ``Host.follow_selected_session``): they redrew for every
    session's roster, 50 times over at a start of a ministry's account."""
    window = MainWindow(Bridge(DataDir(tmp_path / "gui")))
    window.show()
    heard: list[notices.RosterChanged] = []
    window.bridge.on(notices.RosterChanged, heard.append)
    try:
        rooms = [RoomSummary(f"!space{n}:x", f"Session {n}", is_space=True) for n in range(4)]
        rooms += [RoomSummary(f"!ops{n}:x", "ops", encrypted=True) for n in range(4)]
        first = [
            notices.LoggedIn(ME, "DEVICE", "http://x", "file"),
            notices.RoomsChanged(tuple(rooms)),
            *(_roster(n) for n in range(4)),
        ]
        _from_the_backend(window, first)
        qtbot.waitUntil(lambda: len(heard) == 4, timeout=WAIT_MS)
        assert window.workspace.open_room("!ops0:x")
        charts = window.charts.page
        qtbot.waitUntil(lambda: "Session 0" in charts.header.text(), timeout=WAIT_MS)
        drawn: list[str] = []  # the pages that drew the session they follow, as they did
        pages = {
            "charts": (charts, "show_room"),
            "rounds": (window.open_round.page, "show_session"),
            "sitreps": (window.sitreps.page, "show_space"),
            "instructions": (window.instructions.page, "show_space"),
        }
        for label, (page, name) in pages.items():
            monkeypatch.setattr(page, name, _noting(drawn, label, getattr(page, name)))

        _from_the_backend(window, [_roster(n) for n in range(1, 4)])
        qtbot.waitUntil(lambda: len(heard) == 7, timeout=WAIT_MS)
        _after_posted_calls(qtbot)  # a page may follow from a zero timer
        assert drawn == []

        _from_the_backend(window, [_roster(0, "Port Sable")])
        qtbot.waitUntil(lambda: "Port Sable" in charts.header.text(), timeout=WAIT_MS)
        _after_posted_calls(qtbot)
        assert set(drawn) == set(pages)  # each follows its own session's roster
    finally:
        dispose_widget(window)


def _noting(drawn: list[str], label: str, draw: Callable[..., Any]) -> Callable[..., Any]:
    """``draw``, noting ``label`` in ``drawn`` each time it is called."""

    def noted(*args: Any) -> Any:
        drawn.append(label)
        return draw(*args)

    return noted


def _after_posted_calls(qtbot) -> None:
    """Wait until the calls posted so far (zero timers fire in order) have run."""
    done: list[bool] = []
    QTimer.singleShot(0, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
