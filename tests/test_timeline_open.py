"""Opening a room with a long history, as the reader sees it: the newest message is on
screen at once, rows far above (measured later, while the app is idle) take their place
without moving what is shown, and scrolling to the top shows the first message with every
row where Qt's own list view puts it (none overlapping another), in English and Arabic.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView

from app.core.records import RoomEvent
from app.ui.shell.workspace_view import WorkspaceView
from app.ui.timeline.delegate import TimelineDelegate
from tests.conftest import dispose_widget
from tests.open_room import ROOM, open_room

_MINUTE = 60_000


def _text(number: int) -> RoomEvent:
    """Rows of one to eight wrapped lines, English and Arabic, three people taking turns."""
    if number % 3:
        body = f"report {number}: " + "the convoy holds at the bridge " * (1 + number % 8 * 3)
    else:
        body = f"تقرير {number}: " + "القافلة متوقفة عند الجسر " * (1 + number % 8 * 3)
    content = {"msgtype": "m.text", "body": body}
    sender = f"@person{number % 3}:ops.example"
    return RoomEvent(f"$e{number}", ROOM, sender, "m.room.message", number * _MINUTE, content)


@pytest.fixture(params=[Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft])
def opened(request, qapp, qtbot):
    """A room just opened on 200 long rows, before the app has had an idle moment."""
    qapp.setLayoutDirection(request.param)
    view = open_room(qtbot, (_text(n) for n in range(1, 201)), (700, 800))
    yield view
    dispose_widget(view)
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _qt_list_view(room: WorkspaceView) -> QListView:
    """Qt's own list view on the same rows at the same size, its scroll bar always on."""
    view = QListView()
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setModel(room.timeline)
    view.setItemDelegate(TimelineDelegate(view))
    view.setWordWrap(True)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.resize(room.timeline_view.size())
    view.show()
    return view


def _newest_on_screen(room: WorkspaceView) -> bool:
    last = room.timeline.index(room.timeline.rowCount() - 1)
    rect = room.timeline_view.visualRect(last)
    return rect.isValid() and room.timeline_view.viewport().rect().contains(rect)


def test_the_newest_message_shows_and_the_top_shows_the_first_with_no_overlap(
    qtbot, opened
) -> None:
    timeline = opened.timeline_view
    bar = timeline.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    assert _newest_on_screen(opened)
    theirs = _qt_list_view(opened)
    try:
        # Once every row is measured the scroll range is Qt's, and the reader still at
        # the bottom sees the newest message.
        qtbot.waitUntil(lambda: theirs.verticalScrollBar().maximum() == bar.maximum())
        assert bar.value() == bar.maximum()
        assert _newest_on_screen(opened)
        bar.setValue(0)  # what Home or the scroll bar dragged up does
        assert timeline.indexAt(QPoint(5, 2)).row() == 0
        theirs.verticalScrollBar().setValue(0)
        assert timeline.viewport().grab().toImage() == theirs.viewport().grab().toImage()
    finally:
        dispose_widget(theirs)


def test_scrolling_up_before_the_rows_above_are_measured_moves_nothing_shown(qtbot, opened) -> None:
    timeline = opened.timeline_view
    bar = timeline.verticalScrollBar()
    bar.setValue(bar.maximum())  # as the room opens, before any idle moment
    bar.setValue(bar.value() - timeline.viewport().height())  # a page up
    top = timeline.indexAt(QPoint(5, 0))
    where = timeline.visualRect(top).top()
    theirs = _qt_list_view(opened)
    try:
        qtbot.waitUntil(lambda: theirs.verticalScrollBar().maximum() == bar.maximum())
    finally:
        dispose_widget(theirs)
    assert timeline.indexAt(QPoint(5, 0)) == top
    assert timeline.visualRect(top).top() == where
    rects = [timeline.visualRect(opened.timeline.index(row)) for row in range(200)]
    assert all(a.bottom() + 1 == b.top() for a, b in pairwise(rects))
