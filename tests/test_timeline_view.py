"""The timeline as the reader sees it while messages come and history is paged in: a new
message appears at the bottom exactly as a full repaint would show it; scrolled up, or
with older rows paged in above, nothing on screen moves; a click or a key lands on the
row under it; and every row looks as Qt's own list view draws it, in English and Arabic.

"On screen" is the window's backing store cropped to the rows (what the platform shows),
not a fresh rendering: it catches a row left unpainted after the view moved what was drawn.
A test waits for the screen to show what it expects (under xcb a paint reaches the window
some time after the events that caused it), never for one pass of the event loop.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QStringListModel, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QAccessibleTableModelChangeEvent,
    QImage,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView

from app.core.records import OutboxItem, OutboxState, RoomEvent
from app.services.notices import (
    EventsArrived,
    OlderLoaded,
    OutboxChanged,
    RoomLoaded,
)
from app.ui.shell.workspace_view import WorkspaceView
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.view import TimelineView
from tests.conftest import dispose_widget
from tests.open_room import ROOM, open_room

_MINUTE = 60_000
DIRECTIONS = [Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft]


def _text(number: int, sender: str = "@bob:ops.example") -> RoomEvent:
    if number % 3:
        body = f"report {number}: " + "the convoy holds at the bridge " * (1 + number % 4)
    else:
        body = f"تقرير {number}: " + "القافلة متوقفة عند الجسر " * (1 + number % 4)
    content = {"msgtype": "m.text", "body": body}
    return RoomEvent(f"$e{number}", ROOM, sender, "m.room.message", number * 3 * _MINUTE, content)


@pytest.fixture(params=DIRECTIONS, ids=["english", "arabic"])
def direction(request, qapp):
    qapp.setLayoutDirection(request.param)
    yield request.param
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.fixture
def room(qtbot, direction) -> WorkspaceView:
    history = (_text(n, f"@person{n % 3 if n % 4 else 1}:ops.example") for n in range(100, 260))
    view = open_room(qtbot, history, (1000, 650))
    bar = view.timeline_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    yield view
    dispose_widget(view)


def _screen(view: WorkspaceView) -> QImage:
    """The timeline's rows as they are on screen now (not the scroll bar beside them)."""
    viewport = view.timeline_view.viewport()
    shown = viewport.rect().translated(viewport.mapTo(view, QPoint(0, 0)))
    return QApplication.primaryScreen().grabWindow(view.winId()).toImage().copy(shown)


def _rendered(view: WorkspaceView) -> QImage:
    """The rows as a fresh rendering shows them, leaving the screen as it is."""
    return view.timeline_view.viewport().grab().toImage().convertToFormat(_screen(view).format())


def _settled(view: WorkspaceView) -> bool:
    """The screen shows every row as a fresh rendering would: no paint still to come."""
    return _screen(view) == _rendered(view)


def _as_repainted(view: WorkspaceView) -> QImage:
    view.timeline_view.viewport().repaint()
    return _screen(view)


def _newest_on_screen(view: WorkspaceView) -> bool:
    last = view.timeline.index(view.timeline.rowCount() - 1)
    rect = view.timeline_view.visualRect(last)
    return rect.isValid() and view.timeline_view.viewport().rect().contains(rect)


def test_a_new_message_at_the_bottom_shows_as_a_full_repaint_would(room) -> None:
    for number in (500, 501):  # the second continues the first: no name of its own
        room.apply_events(EventsArrived((_text(number, "@new:ops.example"),)))
        # Painted before apply_events returned: what is on screen now is the whole picture.
        shown = _screen(room)
        assert _newest_on_screen(room)
        bar = room.timeline_view.verticalScrollBar()
        assert bar.value() == bar.maximum()
        assert shown == _as_repainted(room)


def test_scrolled_up_a_new_message_moves_nothing_on_screen(qtbot, room) -> None:
    bar = room.timeline_view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.waitUntil(lambda: _settled(room))
    before, longest = _screen(room), bar.maximum()
    room.apply_events(EventsArrived((_text(500, "@new:ops.example"),)))
    assert bar.maximum() > longest  # there is more below to scroll to
    qtbot.waitUntil(lambda: _settled(room))
    assert _screen(room) == before
    assert not _newest_on_screen(room)


@pytest.mark.parametrize("where", ["top", "middle"])
def test_older_rows_paged_in_above_keep_what_is_shown_still(qtbot, room, where) -> None:
    bar = room.timeline_view.verticalScrollBar()
    bar.setValue(0 if where == "top" else bar.maximum() // 3)
    qtbot.waitUntil(lambda: _settled(room))
    before = _screen(room)
    top = room.timeline_view.indexAt(QPoint(5, 5)).data()
    oldest = room.timeline.oldest_key()
    room.timeline.add_older(
        OlderLoaded(ROOM, oldest, tuple(_text(n) for n in range(40, 100)), False)
    )
    assert room.timeline.rowCount() == 220
    assert room.timeline_view.indexAt(QPoint(5, 5)).data() == top
    qtbot.waitUntil(lambda: _settled(room))
    assert _screen(room) == before


def test_a_click_and_the_keys_land_on_the_row_under_them(qtbot, room) -> None:
    timeline, model = room.timeline_view, room.timeline
    room.apply_outbox(
        OutboxChanged(
            OutboxItem(
                "txn1",
                ROOM,
                "m.room.message",
                {"body": "refused"},
                OutboxState.FAILED,
                created_at=300 * 3 * 60,  # after the history: the newest row
            )
        )
    )
    failed = model.position_of("txn1")
    assert failed is not None
    timeline.scrollToBottom()
    for row in (failed - 3, failed - 1):
        centre = timeline.visualRect(model.index(row)).center()
        qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        assert timeline.currentIndex().row() == row
        assert timeline.indexAt(centre).row() == row
    qtbot.keyClick(timeline, Qt.Key.Key_Down)
    assert timeline.currentIndex().row() == failed
    with qtbot.waitSignal(room.retryRequested) as retried:
        qtbot.keyClick(timeline, Qt.Key.Key_Return)  # Enter on a refused message sends it again
    assert retried.args == ["txn1"]
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    assert timeline.currentIndex().row() == 0
    assert timeline.visualRect(model.index(0)).top() == 0  # scrolled to it
    qtbot.keyClick(timeline, Qt.Key.Key_PageDown)
    assert timeline.currentIndex().row() > 1
    qtbot.keyClick(timeline, Qt.Key.Key_End)
    assert timeline.currentIndex().row() == model.rowCount() - 1
    assert _newest_on_screen(room)
    assert not timeline.indexAt(QPoint(5, timeline.viewport().height() + 10)).isValid()
    assert timeline.indexAt(QPoint(5, 5)) != QModelIndex()


def test_rows_paged_in_keep_still_while_a_model_shown_before_drops_rows(qtbot) -> None:
    """A view given another model: rows the first one drops are not this view's, so a
    row paged in above what is shown still leaves the row at the top where it was."""
    shown_before = QStringListModel(["a row once shown", "another"])
    rows = QStandardItemModel()
    for number in range(200):
        rows.appendRow(QStandardItem(f"report {number}"))
    view = TimelineView()
    view.setModel(shown_before)
    view.setModel(rows)
    view.resize(400, 300)
    with qtbot.waitExposed(view):
        view.show()
    try:
        bar = view.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        top = view.indexAt(QPoint(5, 5)).data()
        shown_before.removeRows(0, 1)
        rows.insertRow(0, QStandardItem("an older report"))
        assert view.indexAt(QPoint(5, 5)).data() == top
    finally:
        dispose_widget(view)


def test_a_row_changing_in_place_is_told_to_screen_readers(qtbot, room, monkeypatch) -> None:
    """A message waiting to go out that the server refuses turns "failed" where it stands:
    a screen reader is told which row of the timeline changed. Seen where the view hands
    the event to Qt, as PySide6 exposes no hook on Qt's side of the delivery."""
    told: list[tuple[object, object, int, int]] = []
    deliver = QAccessible.updateAccessibility

    def seen(event: QAccessibleEvent) -> None:
        if isinstance(event, QAccessibleTableModelChangeEvent):
            change = event.modelChangeType()
            told.append((event.object(), change, event.firstRow(), event.lastRow()))
        deliver(event)

    def outbox(state: OutboxState) -> OutboxChanged:
        body = {"msgtype": "m.text", "body": "convoy at the bridge"}
        item = OutboxItem("txn1", ROOM, "m.room.message", body, state, created_at=300 * 3 * 60)
        return OutboxChanged(item)

    room.apply_outbox(outbox(OutboxState.PENDING))
    row = room.timeline.position_of("txn1")
    monkeypatch.setattr(QAccessible, "updateAccessibility", seen)
    QAccessible.setActive(True)  # as when a screen reader is running
    try:
        room.apply_outbox(outbox(OutboxState.FAILED))
    finally:
        QAccessible.setActive(False)
    changed = QAccessibleTableModelChangeEvent.ModelChangeType.DataChanged
    assert told == [(room.timeline_view, changed, row, row)]


def _list_view_like(room: WorkspaceView) -> QListView:
    """Qt's own list view, set up as the timeline view was before it kept its heights,
    its scroll bar always on: it then measures rows at the width it paints them at."""
    view = QListView()
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setModel(room.timeline)
    view.setItemDelegate(TimelineDelegate(view))
    view.setWordWrap(True)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.resize(room.timeline_view.size())
    view.show()
    return view


def test_rows_look_as_qts_list_view_draws_them(qtbot, room) -> None:
    """Not a selected row: the list view fills its highlight in a rectangle measured at
    another width than the row's, which can spill over the row below."""
    ours = room.timeline_view
    theirs = _list_view_like(room)
    try:
        qtbot.waitUntil(lambda: theirs.verticalScrollBar().maximum() > 0)
        for narrower in (0, 230):  # a narrower window wraps anew
            width = ours.width()
            room.resize(room.width() - narrower, room.height())
            qtbot.waitUntil(lambda: (ours.width() < width) == bool(narrower))  # noqa: B023
            theirs.resize(ours.size())
            for where in (0, 1, 2, 3):
                theirs.doItemsLayout()
                ours.doItemsLayout()  # rows far above are guessed, then measured when idle
                bars = theirs.verticalScrollBar(), ours.verticalScrollBar()
                qtbot.waitUntil(lambda: bars[0].maximum() == bars[1].maximum())  # noqa: B023
                value = ours.verticalScrollBar().maximum() * where // 3
                ours.verticalScrollBar().setValue(value)
                theirs.verticalScrollBar().setValue(value)
                assert ours.viewport().grab().toImage() == theirs.viewport().grab().toImage()
    finally:
        dispose_widget(theirs)


def test_at_the_bottom_the_view_stays_there_when_the_window_narrows(qtbot, room) -> None:
    bar = room.timeline_view.verticalScrollBar()
    longest = bar.maximum()
    room.resize(room.width() - 260, room.height() - 40)  # rows wrap anew, taller
    qtbot.waitUntil(lambda: bar.maximum() > longest and bar.value() == bar.maximum())
    room.apply_events(EventsArrived((_text(500, "@new:ops.example"),)))
    assert _newest_on_screen(room)
    assert _screen(room) == _as_repainted(room)


def test_a_run_of_room_changes_opens_in_place_at_the_top(qtbot, room) -> None:
    def member(n: int) -> RoomEvent:
        user = f"@p{n}:ops.example"
        content = {"membership": "join"}
        return RoomEvent(f"$m{n}", ROOM, user, "m.room.member", n, content, state_key=user)

    history = (*(member(n) for n in range(4)), *(_text(n) for n in range(100, 160)))
    room.apply_room_loaded(RoomLoaded(ROOM, history, ()))
    timeline = room.timeline_view
    timeline.verticalScrollBar().setValue(0)
    assert room.timeline.row(0).folded
    room.timeline.unfold(0)  # what Enter on the folded row does
    assert timeline.indexAt(QPoint(5, 5)).row() == 0  # the first change, at the top
    assert not room.timeline.row(0).folded
    qtbot.waitUntil(lambda: _settled(room))
