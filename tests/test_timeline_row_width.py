"""A timeline row is as tall as its text at the width it is painted at: with the scroll
bar shown, a message that fits one line in the full width but wraps beside the bar gets
the second line inside its own row, not over the row below, in English and Arabic.

What is judged is what the reader sees: each row in the view's picture looks as that
row drawn alone in a picture of its size (text spilling from the row above would show).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from app.core.records import RoomEvent
from app.services.notices import EventsArrived, OlderLoaded, RoomLoaded
from app.ui.shell.workspace_view import WorkspaceView
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.view import TimelineView
from tests.conftest import dispose_widget
from tests.open_room import ME, ROOM, open_room

_MINUTE = 60_000
WORDS = {
    Qt.LayoutDirection.LeftToRight: "the convoy holds at the bridge ",
    Qt.LayoutDirection.RightToLeft: "القافلة متوقفة عند الجسر ",
}


def _text(number: int, sender: str, body: str) -> RoomEvent:
    content = {"msgtype": "m.text", "body": body}
    return RoomEvent(f"$e{number}", ROOM, sender, "m.room.message", number * _MINUTE, content)


@pytest.fixture(params=list(WORDS), ids=["english", "arabic"])
def direction(request, qapp):
    qapp.setLayoutDirection(request.param)
    yield request.param
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _option(view: TimelineView, width: int, height: int = 0) -> QStyleOptionViewItem:
    """What the view hands its delegate for a row of this width, not selected."""
    option = QStyleOptionViewItem()
    option.font, option.palette = view.font(), view.palette()
    option.palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
    option.direction = view.layoutDirection()
    option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Active
    option.rect = QRect(0, 0, width, height)
    return option


def _height(view: TimelineView, index: QModelIndex, width: int) -> int:
    return view.itemDelegate().sizeHint(_option(view, width), index).height()


def _fits_wide_wraps_narrow(view: TimelineView, wide: int, narrow: int, words: str) -> str:
    """A message one line long at the full width that takes two beside the scroll bar."""
    scratch, one_line = TimelineModel(ME), 0
    for length in range(8, 2000):
        body = (words * 80)[:length].strip()
        scratch.load(RoomLoaded(ROOM, (_text(1, "@new:ops.example", body),), ()))
        index = scratch.index(0)
        if not one_line:
            one_line = _height(view, index, wide)
        if _height(view, index, wide) > one_line:
            break
        if _height(view, index, narrow) > one_line:
            return body
    raise AssertionError("no text fits the full width yet wraps beside the scroll bar")


def _alone(view: TimelineView, index: QModelIndex, rect: QRect) -> QImage:
    """The row drawn by itself in a picture of its rect's size, on the view's background."""
    picture = QImage(rect.size(), QImage.Format.Format_RGB32)
    picture.fill(view.palette().color(QPalette.ColorRole.Base))
    painter = QPainter(picture)
    painter.setLayoutDirection(view.layoutDirection())  # as a painter on the view has it
    view.itemDelegate().paint(painter, _option(view, rect.width(), rect.height()), index)
    painter.end()
    return picture


def _open(qtbot, history: tuple[RoomEvent, ...]) -> WorkspaceView:
    return open_room(qtbot, history)


def _reports(numbers: range) -> tuple[RoomEvent, ...]:
    return tuple(_text(n, f"@person{n % 3}:ops.example", f"report {n}") for n in numbers)


def _hold_their_text(view: TimelineView, rows: list[int]) -> None:
    """Each row as tall as its text at the width it is painted at, and on screen as it
    looks alone: nothing of the row above drawn over it."""
    view.viewport().repaint()
    shown, width = view.viewport().grab().toImage(), view.viewport().width()
    for row in rows:
        index = view.model().index(row, 0)
        rect = view.visualRect(index)
        assert rect.width() == width
        assert rect.height() == _height(view, index, width), row
        assert shown.copy(rect) == _alone(view, index, rect), row


def test_a_row_that_wraps_beside_the_scroll_bar_keeps_its_text_inside(qtbot, direction) -> None:
    room = _open(qtbot, _reports(range(80)))
    try:
        view, bar = room.timeline_view, room.timeline_view.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.isVisible() and bar.value() == bar.maximum() > 0)
        painted, wide = view.viewport().width(), view.maximumViewportSize().width()
        assert painted < wide  # the scroll bar takes its share
        body = _fits_wide_wraps_narrow(view, wide, painted, WORDS[direction])
        room.apply_events(EventsArrived((_text(500, "@new:ops.example", body),)))
        room.apply_events(EventsArrived((_text(501, "@other:ops.example", "received"),)))
        for narrower in (0, 37):  # and when the window narrows: measured anew
            room.resize(900 - narrower, 600)
            qtbot.waitUntil(lambda n=narrower: view.viewport().width() == painted - n)
            qtbot.waitUntil(lambda: bar.value() == bar.maximum())
            _hold_their_text(view, [80, 81])
    finally:
        dispose_widget(room)


def test_a_row_measured_before_the_scroll_bar_showed_is_measured_again(qtbot, direction) -> None:
    room = _open(qtbot, _reports(range(2)))
    try:
        view, bar = room.timeline_view, room.timeline_view.verticalScrollBar()
        wide = view.viewport().width()
        assert not bar.isVisible() and wide == view.maximumViewportSize().width()
        narrow = wide - bar.sizeHint().width()
        body = _fits_wide_wraps_narrow(view, wide, narrow, WORDS[direction])
        room.apply_events(EventsArrived((_text(500, "@new:ops.example", body),)))
        room.apply_events(EventsArrived((_text(501, "@other:ops.example", "received"),)))
        model = room.timeline
        model.add_older(OlderLoaded(ROOM, model.oldest_key(), _reports(range(-80, 0)), False))
        qtbot.waitUntil(lambda: bar.isVisible() and view.viewport().width() == narrow)
        qtbot.waitUntil(lambda: view.visualRect(model.index(83)).bottom() < view.height())
        _hold_their_text(view, [82, 83])
    finally:
        dispose_widget(room)
