"""The timeline model applies small diffs: inserts, in-place upgrades, echo replacement."""

from __future__ import annotations

import sys

from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QListView

from app.core.records import EventStatus, OutboxItem, OutboxState, RoomEvent
from app.services.notices import RoomLoaded
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.rows import RowKind
from tests.conftest import dispose_widget

ME, ROOM = "@me:ops.example", "!ops:ops.example"


def _text(
    event_id: str,
    body: str,
    ts: int,
    *,
    sender: str = "@bob:ops.example",
    room_id: str = ROOM,
    txn_id: str | None = None,
) -> RoomEvent:
    content = {"msgtype": "m.text", "body": body}
    return RoomEvent(event_id, room_id, sender, "m.room.message", ts, content, txn_id=txn_id)


def _model() -> TimelineModel:
    model = TimelineModel(ME)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.load(RoomLoaded(ROOM, (), ()))
    return model


def test_pending_row_is_replaced_by_its_echo(qapp) -> None:
    model = _model()
    pending = OutboxItem(
        "oor1",
        ROOM,
        "m.room.message",
        {"body": "Hold the convoy"},
        OutboxState.PENDING,
        created_at=5.0,
    )
    model.outbox_changed(pending)
    assert [model.row(0).kind] == [RowKind.PENDING]
    model.add_events((_text("$e1", "Hold the convoy", 5_100, sender=ME, txn_id="oor1"),))
    assert model.rowCount() == 1 and model.row(0).kind is RowKind.MESSAGE
    model.add_events((_text("$e0", "earlier", 1_000), _text("$x", "elsewhere", 9, room_id="!x")))
    assert [model.row(i).text for i in range(model.rowCount())] == ["earlier", "Hold the convoy"]


def test_late_decryption_changes_the_row_in_place(qapp) -> None:
    model = _model()
    locked = RoomEvent(
        "$e1", ROOM, "@bob:ops.example", "m.room.encrypted", 1, {}, status=EventStatus.UNDECRYPTED
    )
    model.add_events((locked,))
    assert model.row(0).kind is RowKind.UNDECRYPTED
    model.add_events((_text("$e1", "الوفد وصل", 1),))
    assert model.rowCount() == 1 and model.row(0).rtl and model.row(0).kind is RowKind.MESSAGE


def test_a_long_stream_of_rows_keeps_the_interpreter_sound(qapp) -> None:
    """PySide6 6.12.0 dropped a reference to None per void call on CPython 3.11 and the
    app aborted after a few hundred messages; the pin in pyproject.toml keeps this away."""
    model = _model()
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(TimelineDelegate(view))
    view.show()
    before = sys.getrefcount(None)
    for n in range(3_000):
        model.add_events((_text(f"$e{n}", f"message {n}", n),))
    assert sys.getrefcount(None) >= before
    dispose_widget(view)


def test_events_arriving_while_a_room_loads_are_not_lost(qapp) -> None:
    from app.core.records import RoomSummary
    from app.services.notices import EventsArrived, RoomsChanged
    from app.ui.shell.workspace_view import WorkspaceView

    view = WorkspaceView()
    view.apply_rooms(RoomsChanged((RoomSummary(ROOM, "Operations"),)))  # selects it, loading
    view.apply_events(EventsArrived((_text("$new", "FLASH: hold the convoy", 2_000),)))
    view.apply_room_loaded(RoomLoaded(ROOM, (_text("$old", "earlier", 1_000),), ()))
    rows = [view.timeline.row(i).text for i in range(view.timeline.rowCount())]
    assert rows == ["earlier", "FLASH: hold the convoy"]
    dispose_widget(view)
