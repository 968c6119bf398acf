"""Light and dark follow the system: the palette turns with the scheme, and what our own
delegates paint (messages, errors, previews, overdue rows) stays readable on both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPalette
from PySide6.QtWidgets import QApplication, QListView

from app.core.records import OutboxItem, OutboxState, RoomEvent, RoomSummary
from app.services.notices import RoomLoaded
from app.ui.rooms.room_list_delegate import RoomListDelegate
from app.ui.rooms.room_list_model import RoomListModel
from app.ui.theme import apply_scheme, is_dark, readable
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel

ME, ROOM = "@me:x", "!ops:x"


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _best_contrast(image: QImage, rect: QRect, background: QColor) -> float:
    """The strongest contrast of any pixel in ``rect`` against the background: the core
    of the glyphs, which antialiasing leaves in the text's own colour."""
    best = 1.0
    for y in range(rect.top(), rect.bottom(), 1):
        for x in range(rect.left(), rect.right(), 2):
            best = max(best, contrast(image.pixelColor(x, y), background))
    return best


@pytest.fixture(params=[Qt.ColorScheme.Light, Qt.ColorScheme.Dark], ids=["light", "dark"])
def scheme(request, qapp: QApplication) -> Iterator[Qt.ColorScheme]:
    apply_scheme(qapp, request.param)
    yield request.param
    apply_scheme(qapp, Qt.ColorScheme.Light)


def _view(qtbot, disposed, model, delegate) -> tuple[QListView, QImage]:
    view = disposed(QListView())  # keeps the model and delegate too (set on the view)
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.resize(640, 400)
    view.show()
    qtbot.waitExposed(view)
    return view, view.grab().toImage()


def test_the_palette_follows_the_scheme(qapp: QApplication, scheme: Qt.ColorScheme) -> None:
    assert is_dark(qapp.palette()) == (scheme == Qt.ColorScheme.Dark)
    base = qapp.palette().color(QPalette.ColorRole.Base)
    overdue = readable("#fde2e1")  # the instruction board's overdue row
    text = qapp.palette().color(QPalette.ColorRole.Text)
    assert contrast(overdue, text) >= 4.5 and contrast(readable("#8a6d00"), base) >= 4.5


def test_timeline_rows_read_in_light_and_dark(qtbot, disposed, scheme: Qt.ColorScheme) -> None:
    model = TimelineModel(ME)
    said = RoomEvent("$a", ROOM, "@bob:x", "m.room.message", 1, {"body": "Convoy left"})
    refused = OutboxItem(
        "t1", ROOM, "m.room.message", {"msgtype": "m.text", "body": "Refused line"},
        OutboxState.FAILED, 2.0, error="refused",
    )  # fmt: skip
    model.load(RoomLoaded(ROOM, (said,), (refused,)))
    view, image = _view(qtbot, disposed, model, TimelineDelegate())
    base = view.palette().color(QPalette.ColorRole.Base)
    ratio = image.width() / view.width()
    small = QFont(view.font())
    small.setPointSizeF(small.pointSizeF() * 0.85)
    header = 6 + QFontMetrics(small).height()  # the padding and the name · time line
    for row in range(model.rowCount()):
        rect = view.visualRect(model.index(row))
        body = rect.adjusted(6 + 28 + 6, header + 1, 0, 0)  # beside the picture, below
        box = QRect(int(body.left() * ratio), int(body.top() * ratio),
                    int(body.width() * ratio), int(body.height() * ratio))  # fmt: skip
        assert _best_contrast(image, box, base) >= 4.5, (scheme, model.row(row).text)


def test_room_list_previews_read_in_light_and_dark(qtbot, disposed, scheme: Qt.ColorScheme) -> None:
    model = RoomListModel()
    model.set_rooms((RoomSummary(ROOM, "Operations"),))
    said = RoomEvent("$a", ROOM, "@bob:x", "m.room.message", 1, {"body": "Convoy left"})
    model.note_events((said,), "", ME)
    view, image = _view(qtbot, disposed, model, RoomListDelegate())
    base = view.palette().color(QPalette.ColorRole.Base)
    rect = view.visualRect(model.index(0))
    ratio = image.width() / view.width()
    lower = QRect(0, int((rect.center().y() + 2) * ratio), int(rect.width() * ratio) // 2,
                  int(rect.height() * ratio) // 2 - 2)  # fmt: skip
    assert _best_contrast(image, lower, base) >= 3  # the muted preview line still reads
