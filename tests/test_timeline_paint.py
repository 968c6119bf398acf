"""A timeline row paints from the layout measured for its size, with its sender's picture
copied from one drawing: what shows is the same on every repaint and in a fresh view, a
longer text gets a taller row, and the picture is in the sender's colour."""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QListView

from app.core.records import RoomEvent
from app.services.notices import RoomLoaded
from app.ui.people import colour_of
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel
from tests.conftest import dispose_widget

ME, ROOM, KARIM = "@me:ops.example", "!ops:ops.example", "@karim:ops.example"


def _text(event_id: str, body: str, ts: int) -> RoomEvent:
    content = {"msgtype": "m.text", "body": body}
    return RoomEvent(event_id, ROOM, KARIM, "m.room.message", ts, content)


def _view(model: TimelineModel) -> QListView:
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(TimelineDelegate(view))
    view.resize(480, 300)
    view.show()
    return view


def _picture(view: QListView) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def test_rows_paint_alike_every_time_and_grow_with_their_text(qapp) -> None:
    model = TimelineModel(ME)
    model.load(RoomLoaded(ROOM, (), ()))
    model.add_events((_text("$a", "Convoy left the depot", 1_000), _text("$b", "الوفد وصل", 2_000)))
    first = _view(model)
    second = _view(model)  # its own delegate: nothing measured yet
    try:
        before = _picture(first)
        assert _picture(first) == before  # repainted from what was measured
        assert _picture(second) == before  # measured afresh: the same
        avatar = before.pixelColor(6 + 14, 6 + 3)  # inside the picture, above the initials
        assert avatar.name() == colour_of(KARIM).name()

        short = first.sizeHintForRow(0)
        long_text = "Convoy left the depot; " * 30
        model.add_events((_text("$c", long_text, 3_000),))
        assert first.sizeHintForRow(2) > short
    finally:
        dispose_widget(first)
        dispose_widget(second)
