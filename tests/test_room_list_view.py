"""The room list as messages arrive: each step looks exactly as a list laid out and painted
from scratch (a plain ``QListView`` with the same model and delegate), in English and in
Arabic, whether a row only changed its preview and badge (repainted in place) or grew its
first preview line (laid out again); and a new message repaints its own row, not the list.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QListView, QStyleOptionViewItem

from app.core.records import RoomEvent, RoomSummary
from app.core.roles import RoomKind
from app.core.session.state import SessionInfo, SessionRoom
from app.ui.rooms.room_list_delegate import RoomListDelegate
from app.ui.rooms.room_list_model import RoomListModel
from app.ui.rooms.room_list_view import RoomListView

ME = "@me:ops.example"
ROOMS = tuple(RoomSummary(f"!r{i}:ops.example", f"Cell {i}", last_ts=i) for i in range(6))


def _message(number: int, room: int, body: str) -> RoomEvent:
    content = {"msgtype": "m.text", "body": body}
    room_id = ROOMS[room].room_id
    return RoomEvent(
        f"$m{number}", room_id, "@bob:ops.example", "m.room.message", 1000 + number, content
    )


class _Painted(QObject):
    """The rectangles a widget was asked to paint."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.region().boundingRect())
        return False


def _show(qtbot, view: QListView, model: RoomListModel, rtl: bool) -> None:
    """``view`` shown with ``model`` (the test keeps the view: ``disposed``)."""
    view.setModel(model)
    view.setItemDelegate(RoomListDelegate(view))
    view.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    view.resize(240, 420)
    with qtbot.waitExposed(view):
        view.show()


def _screen(view: QListView) -> QImage:
    """The list's rows as they are on screen now."""
    viewport = view.viewport()
    shown = viewport.rect().translated(viewport.mapTo(view, QPoint(0, 0)))
    return QApplication.primaryScreen().grabWindow(view.winId()).toImage().copy(shown)


def _rendered(view: QListView, like: QImage) -> QImage:
    """The rows as a fresh rendering shows them, leaving the screen as it is."""
    return view.viewport().grab().toImage().convertToFormat(like.format())


def _same_picture(ours: RoomListView, plain: QListView) -> bool:
    """Ours on screen equals its fresh rendering and the plain list's (laid out anew)."""
    shown = _screen(ours)
    return shown == _rendered(ours, shown) == _rendered(plain, shown)


@pytest.mark.parametrize("rtl", [False, True], ids=["english", "arabic"])
def test_rows_look_as_laid_out_from_scratch_as_messages_arrive(qtbot, disposed, rtl: bool) -> None:
    model = RoomListModel()
    model.set_rooms(ROOMS)
    ours, plain = disposed(RoomListView()), disposed(QListView())
    _show(qtbot, ours, model, rtl)
    _show(qtbot, plain, model, rtl)
    reading = ROOMS[5].room_id
    steps = [
        _message(1, 2, "The convoy left the depot"),  # a first preview: the row grows
        _message(2, 2, "It reached the crossing"),  # the same height: repainted in place
        _message(3, 5, "وصل الوفد إلى المعبر"),  # the room being read: no badge
        _message(4, 0, "Fuel for two days"),
        _message(5, 2, "Crossing closed until dawn"),
    ]
    for event in steps:
        model.note_events((event,), reading, ME)
        qtbot.waitUntil(lambda: _same_picture(ours, plain))


def test_a_message_repaints_its_own_row_not_the_list(qtbot, disposed) -> None:
    model = RoomListModel()
    model.set_rooms(ROOMS)
    view = disposed(RoomListView())
    _show(qtbot, view, model, rtl=False)
    model.note_events((_message(1, 3, "The convoy left the depot"),), "", ME)
    qtbot.waitUntil(lambda: _screen(view) == _rendered(view, _screen(view)))  # laid out anew
    row = view.visualRect(model.index(model.row_of(ROOMS[3].room_id)))
    painted = _Painted()
    view.viewport().installEventFilter(painted)
    model.note_events((_message(2, 3, "It reached the crossing"),), "", ME)
    qtbot.waitUntil(lambda: bool(painted.rects))
    assert all(row.contains(rect) for rect in painted.rects)


def test_a_row_is_measured_anew_when_its_name_weight_or_preview_changes(qtbot, disposed) -> None:
    """Row sizes are kept between the many times Qt asks for them, but a room renamed,
    named in bold for an unread message, given its first preview line or read again is
    measured as a delegate that never saw it measures it; the list looks so too."""
    model = RoomListModel()
    model.set_rooms(ROOMS)
    ours, plain = disposed(RoomListView()), disposed(QListView())
    _show(qtbot, ours, model, rtl=False)
    _show(qtbot, plain, model, rtl=False)
    row = model.row_of(ROOMS[2].room_id)
    renamed = RoomSummary(ROOMS[2].room_id, "Cell 2 · fuel and convoys", last_ts=2)
    steps = [
        lambda: model.set_rooms((*ROOMS[:2], renamed, *ROOMS[3:])),
        lambda: model.note_events((_message(1, 2, "The convoy left the depot"),), "", ME),
        lambda: model.mark_read(ROOMS[2].room_id),
        lambda: model.set_rooms(ROOMS),
    ]
    for step in steps:
        step()
        option = QStyleOptionViewItem()
        ours.initViewItemOption(option)
        fresh = RoomListDelegate().sizeHint(option, model.index(row))
        assert ours.itemDelegate().sizeHint(option, model.index(row)) == fresh
        plain.setItemDelegate(RoomListDelegate(plain))  # laid out by one that never measured
        qtbot.waitUntil(lambda: _same_picture(ours, plain))


def test_a_sessions_roster_repaints_its_own_rows_not_the_list(qtbot, disposed) -> None:
    """A session's title or status changed: its heading and rooms are named anew, the
    other sessions' rows stay as they were (at a ministry's scale the list is 400 rows,
    laid out again for a roster that changed one session)."""

    def session(number: int, title: str) -> SessionInfo:
        rooms = (SessionRoom(RoomKind.OPERATIONS, f"!ops{number}:ops.example"),)
        return SessionInfo(
            f"!s{number}:ops.example", title, "evacuation", "active", "", "", False, rooms
        )

    model = RoomListModel()
    listed = [
        RoomSummary(f"!{kind}{n}:ops.example", kind, is_space=kind == "s")
        for n in range(3)
        for kind in ("s", "ops")
    ]
    model.set_rooms(tuple(listed))
    for n, title in enumerate(("Port Sable", "Quake relief", "Border talks")):
        model.set_session(session(n, title))
    view = disposed(RoomListView())
    _show(qtbot, view, model, rtl=False)
    qtbot.waitUntil(lambda: _screen(view) == _rendered(view, _screen(view)))
    painted = _Painted()
    view.viewport().installEventFilter(painted)
    model.set_session(session(0, "Port Sable (closed)"))  # the middle one of three
    qtbot.waitUntil(lambda: bool(painted.rects))
    rows = [view.visualRect(model.index(model.row_of(f"!{k}0:ops.example"))) for k in ("s", "ops")]
    assert all(rows[0].united(rows[1]).contains(rect) for rect in painted.rects)
    qtbot.waitUntil(lambda: _screen(view) == _rendered(view, _screen(view)))  # and look right
