"""Signed out and in again as someone else while a room's opening is still on its way.

The window is fed the backend's notices by hand (its bridge not started, as in
``test_gui_start_notices``), so the answers to its asks for a room can come when the test
says: a sign-in faster than one archive read is not something a test can time otherwise.
The window asks through its bridge as it always does; the test answers each ask as the
bridge does when the backend is through with it (``Command.resolve``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt

from app.core import roles
from app.core.paths import DataDir
from app.core.records import RoomEvent, RoomSummary
from app.core.roles import Role, RoomKind
from app.core.session import Member, Roster, SessionInfo, SessionRoom
from app.core.sitrep.approval import Sitrep, Stage
from app.core.sitrep.compile import SitrepDraft
from app.services.notices import (
    EventsArrived,
    LoggedIn,
    LoginNeeded,
    Notice,
    Resuming,
    RoomLoaded,
    RoomsChanged,
    RosterChanged,
)
from app.services.sitrep.notices import LatestSitrep
from app.ui.bridge import Bridge
from app.ui.commands import Command
from app.ui.rooms.room_list_model import PreviewRole, UnreadRole
from app.ui.shell.main_window import MainWindow

AMAL, KARIM, BOB = "@amal:ops.example", "@karim:ops.example", "@bob:ops.example"
ROOM, OTHER, SPACE = "!ops:ops.example", "!logistics:ops.example", "!space:ops.example"
LISTED = RoomsChanged((RoomSummary(ROOM, "Operations"),))
T = TypeVar("T")


def _text(event_id: str, body: str, ts: int, room_id: str = ROOM) -> RoomEvent:
    content = {"msgtype": "m.text", "body": body}
    return RoomEvent(event_id, room_id, BOB, "m.room.message", ts, content)


def _window(
    disposed: Callable[[T], T], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, list[Command]]:
    """The main window, fed by hand, and its asks for rooms' rows in the order it made
    them, each as the bridge handed it back: answered only when the test says."""
    window = disposed(MainWindow(Bridge(DataDir(tmp_path / "gui"))))
    window.show()
    asks: list[Command] = []
    open_room = window.bridge.open_room

    def asked(room_id: str) -> Command:
        asks.append(open_room(room_id))
        return asks[-1]

    monkeypatch.setattr(window.bridge, "open_room", asked)
    return window, asks


def _tell(window: MainWindow, *said: Notice) -> None:
    """Notices as the backend sends them, through the window's bridge, in order."""
    for notice in said:
        window.bridge.noticed.emit(notice)


def _signed_in(window: MainWindow, user_id: str) -> None:
    _tell(window, LoggedIn(user_id, "DEVICE", "http://ops.example", "keyring"))


def _signed_out_and_in(window: MainWindow, user_id: str) -> None:
    """The last account signs out; ``user_id`` signs in from the login page."""
    _tell(window, LoginNeeded("http://ops.example"))
    _signed_in(window, user_id)


def _session() -> SessionInfo:
    return SessionInfo(
        SPACE,
        "Port Sable evacuation",
        "evacuation",
        "active",
        "Africa/Cairo",
        "",
        False,
        rooms=(SessionRoom(RoomKind.OPERATIONS, ROOM),),
        details_known=True,
    )


def _shown(window: MainWindow) -> list[str | None]:
    timeline = window.workspace.timeline
    return [timeline.row(i).text for i in range(timeline.rowCount())]


def _listed(window: MainWindow, room_id: str) -> tuple[str | None, int]:
    """What the room list says of the room: its last message, and its unread count."""
    rooms = window.workspace.rooms
    index = rooms.index(rooms.row_of(room_id))
    return rooms.data(index, PreviewRole), rooms.data(index, UnreadRole)


def test_an_answer_asked_for_before_another_sign_in_ends_no_hold_of_it(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amal opens the room, signs out, and Karim signs in and opens it, all before
    Amal's ask has answered: when it does, a message that arrives for Karim before his
    own load stays shown under that load (read before the message was archived)."""
    window, asks = _window(disposed, tmp_path, monkeypatch)
    _signed_in(window, AMAL)
    _tell(window, LISTED)  # the room opened: asked
    _signed_out_and_in(window, KARIM)
    _tell(window, LISTED)  # opened again, for Karim
    assert len(asks) == 2
    asks[0].resolve(None, None)  # Amal's, late
    _tell(
        window,
        EventsArrived((_text("$new", "FLASH: hold the convoy", 2_000),)),
        RoomLoaded(ROOM, (_text("$old", "earlier", 1_000),), ()),
    )
    asks[1].resolve(None, None)
    assert _shown(window) == ["earlier", "FLASH: hold the convoy"]


def test_a_room_the_last_account_asked_for_in_vain_opens_for_the_next(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amal's ask for the room is never answered (a command dropped), though its rows
    came, read from her archive before it closed. Karim signs in and opens the room: his
    own rows are shown, and its line in his list, none of Amal's; so too when he comes
    back to it (an unanswered ask of hers held every later load of the room back)."""
    window, asks = _window(disposed, tmp_path, monkeypatch)
    both = RoomsChanged(
        (RoomSummary(ROOM, "Operations", last_ts=5_000), RoomSummary(OTHER, "Logistics"))
    )
    _signed_in(window, AMAL)
    _tell(window, both)  # the room opened: asked, never answered
    _tell(window, RoomLoaded(ROOM, (_text("$amal", "for Amal's eyes", 3_000),), ()))
    _signed_out_and_in(window, KARIM)
    _tell(window, both)
    assert _shown(window) == [] and _listed(window, ROOM) == (None, 0)
    _tell(window, RoomLoaded(ROOM, (_text("$karim", "Convoy at the bridge", 1_000),), ()))
    asks[1].resolve(None, None)
    assert _shown(window) == ["Convoy at the bridge"]
    assert _listed(window, ROOM) == ("bob: Convoy at the bridge", 0)
    window.workspace.open_room(OTHER)
    window.workspace.open_room(ROOM)
    _tell(window, RoomLoaded(ROOM, (_text("$later", "Convoy across", 6_000),), ()))
    assert _shown(window) == ["Convoy across"]
    assert len(asks) == 4 and not asks[0].done


def test_the_room_list_tells_the_next_account_nothing_of_the_last_ones_messages(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A room both accounts are in: Amal's unread message there, its line in her list,
    is not Karim's to see once he has signed in on the same window, nor its count."""
    window, asks = _window(disposed, tmp_path, monkeypatch)
    newest = RoomSummary(ROOM, "Operations", last_ts=5_000)  # opened first: the other unread
    both = RoomsChanged((newest, RoomSummary(OTHER, "Logistics")))
    _signed_in(window, AMAL)
    _tell(window, both)
    _tell(window, EventsArrived((_text("$amal", "for Amal's eyes", 3_000, OTHER),)))
    assert _listed(window, OTHER) == ("bob: for Amal's eyes", 1)
    _signed_out_and_in(window, KARIM)
    _tell(window, both)
    assert _listed(window, OTHER) == (None, 0)
    assert len(asks) == 2  # Amal's list, taken down, opened none of its rooms for Karim


def test_the_room_list_names_no_session_of_the_last_account_for_the_next(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amal's session is named by its state, encrypted: Karim, in the same space but its
    roster not read for him (yet, or ever), sees it as the server names it."""
    window, _asks = _window(disposed, tmp_path, monkeypatch)
    listed = RoomsChanged(
        (RoomSummary(SPACE, "Session 4821", is_space=True), RoomSummary(ROOM, "Operations"))
    )
    amal = (Member(AMAL, Role.OFFICIAL, membership="join"),)
    _signed_in(window, AMAL)
    _tell(window, RosterChanged(Roster(_session(), amal), (SPACE, ROOM)), listed)
    assert "Port Sable evacuation" in _names(window)
    _signed_out_and_in(window, KARIM)
    _tell(window, listed)
    assert _names(window) == ["Operations", "Session 4821"]


def _names(window: MainWindow) -> list[str]:
    rooms = window.workspace.rooms
    return [rooms.data(rooms.index(row)) for row in range(rooms.rowCount())]


def test_a_reply_the_last_account_began_is_not_left_above_the_next_ones_box(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amal began a reply (Ctrl+R), its words quoted above the box, and signed out:
    Karim, who has no rooms, sees neither her quote nor a reply waiting to be sent."""
    window, _asks = _window(disposed, tmp_path, monkeypatch)
    _signed_in(window, AMAL)
    _tell(window, LISTED)
    _tell(window, RoomLoaded(ROOM, (_text("$amal", "Convoy left at 14:05", 1_000),), ()))
    view, context = window.workspace.timeline_view, window.workspace.compose_context
    window.activateWindow()  # keys reach a window's shortcuts once it is active
    qtbot.waitUntil(window.isActiveWindow)
    view.setCurrentIndex(window.workspace.timeline.index(0))
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert context.isVisible() and "Convoy left at 14:05" in context.label.text()
    _signed_out_and_in(window, KARIM)
    _tell(window, RoomsChanged(()))
    assert not context.isVisible() and context.context is None


def _evacuated(event_id: str, value: int, ts: int) -> RoomEvent:
    content = {"body": "", "series": "evacuated", "value": value, "unit": "people"}
    return RoomEvent(event_id, ROOM, BOB, roles.INDICATOR, ts, content)


def _amal_saw_her_session(window: MainWindow) -> None:
    """Amal signed in, in the session: its chart's title, a figure and a sitrep."""
    chart = {"title": "Citizens evacuated", "series": ["evacuated"], "kind": "timeseries"}
    members = (
        Member(AMAL, Role.OFFICIAL, membership="join"),
        Member(KARIM, Role.EXPERT, membership="join"),
    )
    draft = SitrepDraft("Sitrep 3: for Amal's eyes", (("situation", "Bridge closed"),), "", 0, 1)
    sitrep = Sitrep("s3", AMAL, 1, "$s3", 1_000, draft, False, Stage.PUBLISHED, published_at=2)
    _signed_in(window, AMAL)
    _tell(window, RosterChanged(Roster(_session(), members), (SPACE, ROOM)), LISTED)
    _tell(window, LatestSitrep(SPACE, sitrep))
    _tell(
        window,
        RoomLoaded(
            ROOM,
            (
                RoomEvent("$c", ROOM, AMAL, roles.CHART, 1_000, chart, state_key="evacuated"),
                _evacuated("$v1", 120, 2_000),
            ),
            (),
        ),
    )
    assert "Citizens evacuated" in _overview(window)
    assert "Sitrep 3" in window.overview.sitrep.text()


def _overview(window: MainWindow) -> list[str]:
    """The overview's key figures, as it shows them (name, value, time)."""
    grid = window.overview.key_figures
    return [grid.itemAt(i).widget().text() for i in range(grid.count())]


def test_the_overview_shows_the_next_account_nothing_the_last_one_read(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Karim signs in where Amal was, in her session too: the overview shows his figure,
    named as his own archive names it (the chart's title was Amal's to read), not her
    newer one, nor the sitrep she was told of."""
    window, _asks = _window(disposed, tmp_path, monkeypatch)
    _amal_saw_her_session(window)
    _signed_out_and_in(window, KARIM)
    members = (Member(KARIM, Role.EXPERT, membership="join"),)
    _tell(window, RosterChanged(Roster(_session(), members), (SPACE, ROOM)), LISTED)
    older = _evacuated("$v2", 130, 1_500)  # than Amal's
    _tell(window, RoomLoaded(ROOM, (older,), ()))
    shown = _overview(window)
    assert shown[:2] == ["evacuated", "130 people"]
    assert not any("Citizens" in text or "120" in text for text in shown)
    assert window.overview.sitrep.text() == "No situation report yet."


def test_the_overview_keeps_no_session_of_the_last_account_for_one_without_rooms(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Karim has no rooms: the overview shows no session (Amal's title, clocks and
    participants and her sitrep stayed), only that a room is to be chosen."""
    window, _asks = _window(disposed, tmp_path, monkeypatch)
    _amal_saw_her_session(window)
    assert "Bridge closed" in window.overview.sitrep.text()
    _signed_out_and_in(window, KARIM)
    _tell(window, RoomsChanged(()))
    overview = window.overview
    assert overview.title.text() == "" and overview.people.text() == ""
    assert overview.clocks.count() == 0 and not overview.empty.isHidden()
    assert overview.sitrep.text() == "No situation report yet."


def test_the_same_account_signed_in_again_sees_the_overview_follow_its_workspace(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amal signs out and in again: her workspace lets go of the room it showed, and so
    does the overview (it showed her session still, beside "choose a room")."""
    window, _asks = _window(disposed, tmp_path, monkeypatch)
    _amal_saw_her_session(window)
    assert window.overview.title.text() != ""
    _signed_out_and_in(window, AMAL)
    _tell(window, RoomsChanged(()))
    assert window.overview.title.text() == "" and not window.overview.empty.isHidden()


def test_a_restarts_account_keeps_the_figures_its_archive_showed_before_it_signed_in(
    qtbot, disposed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart shows Amal's rooms from her archive while her login is checked: once
    it is, her overview keeps the figures read meanwhile."""
    window, _asks = _window(disposed, tmp_path, monkeypatch)
    members = (Member(AMAL, Role.OFFICIAL, membership="join"),)
    _tell(window, Resuming(AMAL), RosterChanged(Roster(_session(), members), (SPACE, ROOM)))
    _tell(window, LISTED, RoomLoaded(ROOM, (_evacuated("$v1", 120, 2_000),), ()))
    _signed_in(window, AMAL)
    assert _overview(window)[:2] == ["evacuated", "120 people"]
