"""A message arriving in the open room: shown at once at the bottom, or left alone while
the reader is scrolled up into the history (offscreen; the notices as the bridge delivers
them to the workspace)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.core.records import RoomEvent, RoomSummary
from app.services.notices import EventsArrived, RoomsChanged
from app.ui.shell.workspace_view import WorkspaceView
from tests.open_room import ROOM, open_room

_MINUTE = 60_000


def _text(number: int, sender: str = "@bob:ops.example") -> RoomEvent:
    body = f"report {number}: " + "the convoy holds at the bridge " * (1 + number % 4)
    content = {"msgtype": "m.text", "body": body}
    return RoomEvent(f"$e{number}", ROOM, sender, "m.room.message", number * 10 * _MINUTE, content)


class _Paints(QObject):
    """Counts the paints a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _open_room(qtbot, disposed) -> WorkspaceView:
    history = (_text(n, f"@person{n % 3}:ops.example") for n in range(1, 120))
    view = disposed(open_room(qtbot, history))
    bar = view.timeline_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    return view


def _newest_on_screen(view: WorkspaceView) -> bool:
    last = view.timeline.index(view.timeline.rowCount() - 1)
    rect = view.timeline_view.visualRect(last)
    return rect.isValid() and view.timeline_view.viewport().rect().contains(rect)


def test_a_message_at_the_bottom_is_painted_before_the_next_notice_and_stays_in_view(
    qtbot, disposed
) -> None:
    view = _open_room(qtbot, disposed)
    paints = _Paints(view.timeline_view.viewport())
    view.apply_events(EventsArrived((_text(500, "@new:ops.example"),)))
    # Painted while its notice was applied: nothing queued behind it goes first.
    assert paints.count >= 1
    assert _newest_on_screen(view)
    bar = view.timeline_view.verticalScrollBar()
    assert bar.value() == bar.maximum()
    # A batch of several: the view ends on the newest of them.
    view.apply_events(EventsArrived(tuple(_text(n) for n in range(501, 506))))
    assert view.timeline.row(view.timeline.rowCount() - 1).text.startswith("report 505")
    qtbot.waitUntil(lambda: _newest_on_screen(view) and bar.value() == bar.maximum())


def test_the_new_row_is_painted_first_and_the_scroll_bar_and_room_list_follow(
    qtbot, disposed
) -> None:
    """The reader waits for the row: the scroll bar's groove and the room list's line
    are painted in the next paint, not before the row reaches the screen."""
    view = _open_room(qtbot, disposed)
    below = RoomSummary("!z:ops.example", "Zulu")  # the room's row is not the list's last
    view.apply_rooms(RoomsChanged((RoomSummary(ROOM, "Operations"), below)))
    bar = view.timeline_view.verticalScrollBar()
    room_line = _Paints(view.room_list.viewport())
    view.apply_events(EventsArrived((_text(500, "@new:ops.example"),)))  # the room's preview
    qtbot.waitUntil(lambda: bar.isVisible() and room_line.count >= 1)
    view.window().repaint()  # nothing left over to paint
    row, groove = _Paints(view.timeline_view.viewport()), _Paints(bar)
    room_line.count = 0
    view.apply_events(EventsArrived((_text(501, "@new:ops.example"),)))
    assert (row.count, groove.count, room_line.count) == (1, 0, 0)
    qtbot.waitUntil(lambda: groove.count >= 1 and room_line.count >= 1)
    assert bar.updatesEnabled()
    assert bar.value() == bar.maximum() and _newest_on_screen(view)


def test_a_message_while_reading_history_does_not_move_the_view(qtbot, disposed) -> None:
    view = _open_room(qtbot, disposed)
    bar = view.timeline_view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    first_seen = view.timeline_view.indexAt(view.timeline_view.viewport().rect().topLeft())
    before, longest = bar.value(), bar.maximum()
    view.apply_events(EventsArrived((_text(500, "@new:ops.example"),)))
    qtbot.waitUntil(lambda: bar.maximum() > longest)  # the new row is laid out below
    assert bar.value() == before
    top = view.timeline_view.indexAt(view.timeline_view.viewport().rect().topLeft())
    assert top.row() == first_seen.row()
    assert not _newest_on_screen(view)


def test_a_message_for_another_room_leaves_the_open_one_as_it_was(qtbot, disposed) -> None:
    view = _open_room(qtbot, disposed)
    rows = view.timeline.rowCount()
    other = RoomEvent(
        "$x", "!elsewhere:ops.example", "@bob:ops.example", "m.room.message", 1, {"body": "x"}
    )
    view.apply_events(EventsArrived((other,)))
    assert view.timeline.rowCount() == rows
    bar = view.timeline_view.verticalScrollBar()
    assert bar.value() == bar.maximum()


def test_a_row_shows_its_sender_again_once_someone_else_speaks_in_between(qtbot, disposed) -> None:
    view = _open_room(qtbot, disposed)
    start = 200 * 10 * _MINUTE
    said = [("$b1", start), ("$b2", start + _MINUTE)]
    view.apply_events(
        EventsArrived(
            tuple(
                RoomEvent(e, ROOM, "@bob:ops.example", "m.room.message", ts, {"body": "hold"})
                for e, ts in said
            )
        )
    )
    timeline, rows = view.timeline_view, view.timeline.rowCount()

    def height(row: int) -> int:
        return timeline.visualRect(view.timeline.index(row)).height()

    qtbot.waitUntil(lambda: 0 < height(rows - 1) < height(rows - 2))  # one run, one name
    alice = RoomEvent(
        "$a", ROOM, "@alice:ops.example", "m.room.message", start + 30_000, {"body": "no"}
    )
    view.apply_events(EventsArrived((alice,)))
    assert view.timeline.row(rows - 1).sender == "@alice:ops.example"
    qtbot.waitUntil(lambda: height(rows) == height(rows - 2))  # Bob's name over it again


def test_messages_arriving_while_the_room_is_out_of_sight_are_at_the_bottom_on_return(
    qtbot, disposed
) -> None:
    view = _open_room(qtbot, disposed)
    view.hide()  # the user is on another page
    view.apply_events(EventsArrived(tuple(_text(n) for n in range(501, 506))))
    with qtbot.waitExposed(view):
        view.show()
    bar = view.timeline_view.verticalScrollBar()
    qtbot.waitUntil(lambda: _newest_on_screen(view) and bar.value() == bar.maximum())
