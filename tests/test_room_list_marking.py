"""A session's heading in the room list says what the list alone cannot: that it is an
exercise, or that its details are not decrypted yet (so neither exercise nor real as
far as this client knows). The mark is a filled pill before the title, never words of
the title: a real session titled "… EXERCISE" or "تمرين …" is not shown as an exercise,
it says it is not one. A real session's plain title stands alone. English and Arabic."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPalette

from app.core.records import RoomSummary
from app.core.session import SessionInfo
from app.core.text import plain_name
from app.ui import session_marking
from app.ui.rooms.room_list_delegate import RoomListDelegate
from app.ui.rooms.room_list_model import MarkRole, RoomListModel
from app.ui.rooms.room_list_view import RoomListView
from app.ui.widgets import ERROR_COLOUR, EXERCISE_COLOUR
from tests.marked_sessions import LOOKALIKES, MARKS, WARNING, marked_session


def _listed(*sessions: SessionInfo) -> RoomListModel:
    model = RoomListModel()
    rooms = [RoomSummary(s.space_id, "Session 4821", is_space=True) for s in sessions]
    model.set_rooms(tuple(rooms + [RoomSummary(s.rooms[0].room_id, "x") for s in sessions]))
    for info in sessions:
        model.set_session(info)
    return model


@pytest.mark.parametrize(
    ("exercise", "known", "mark"),
    [(False, True, None), (True, True, "exercise"), (False, False, "pending")],
)
def test_a_session_heading_carries_its_marking(
    language: str,
    exercise: bool,
    known: bool,
    mark: str | None,
) -> None:
    model = _listed(marked_session("!space:x", "Port Sable", exercise, known))
    heading = model.index(model.row_of("!space:x"))
    assert model.data(heading) == "Port Sable"  # the title alone: the mark is its own pill
    pill = model.data(heading, MarkRole)
    assert (pill.text if pill else None) == (MARKS[language][mark] if mark else None)
    line = model.title(heading.row())  # the heading as one line of text (the room's title)
    assert line == (f"{MARKS[language][mark]} · \u2068Port Sable\u2069" if mark else "Port Sable")


@pytest.mark.parametrize("title", LOOKALIKES)
def test_a_real_session_titled_like_the_mark_says_it_is_not_an_exercise(
    language: str, title: str
) -> None:
    info = marked_session("!space:x", title, exercise=False, known=True)
    model = _listed(info)
    heading = model.index(model.row_of("!space:x"))
    pill = model.data(heading, MarkRole)
    assert pill.text == MARKS[language]["real"] and pill.background == ""  # outlined
    assert model.data(heading) == plain_name(title)  # what they called it, as it was
    assert model.title(heading.row()).startswith(WARNING[language])
    assert info.title == title  # the record keeps the title as given


def test_an_exercise_titled_with_the_mark_still_shows_its_mark_once(language: str) -> None:
    model = _listed(marked_session("!space:x", "EXERCISE Port Sable", exercise=True, known=True))
    heading = model.index(model.row_of("!space:x"))
    assert model.data(heading, MarkRole).text == MARKS[language]["exercise"]
    assert MARKS[language]["real"] not in model.title(heading.row())


def _count(image: QImage, colour: str) -> int:
    wanted = QColor(colour).rgb()
    return sum(
        image.pixel(x, y) == wanted for y in range(image.height()) for x in range(image.width())
    )


def _painted(qtbot, disposed, model: RoomListModel) -> tuple[RoomListView, QImage]:
    """The list of ``model`` shown, and its picture as the eye meets it."""
    view = disposed(RoomListView())
    view.setModel(model)
    view.setItemDelegate(RoomListDelegate(view))
    view.resize(360, 200)
    with qtbot.waitExposed(view):
        view.show()
    return view, view.viewport().grab().toImage()


def _row(view: RoomListView, picture: QImage, space: str) -> QImage:
    """The part of the list's ``picture`` that is the heading of session ``space``."""
    ratio = picture.width() / view.viewport().width()
    rect = view.visualRect(view.model().index(view.model().row_of(space)))
    return picture.copy(*(int(v * ratio) for v in rect.getRect()))


def _outlined_from(image: QImage, x: int, colour: QColor, height: int) -> bool:
    """Whether a column of ``image`` near ``x`` holds a straight line of ``colour`` as
    high as a pill (the side of an outline, not a letter's stem)."""
    for column in range(max(x - 3, 0), min(x + 4, image.width())):
        run = longest = 0
        for y in range(image.height()):
            run = run + 1 if image.pixelColor(column, y).rgb() == colour.rgb() else 0
            longest = max(longest, run)
        if longest >= height:
            return True
    return False


def test_the_list_paints_the_exercise_pill_only_for_the_exercise(qtbot, disposed, language):
    """What the eye meets: the yellow pill before the exercise's title; before the real
    session titled like it a pill outlined in the text's colour, neither yellow nor the
    red of an error (a real session may rightly be called "Exercise Blue Dagger …")."""
    drill = marked_session("!drill:x", "Port Sable", exercise=True, known=True)
    real = marked_session("!real:x", "Flood response · EXERCISE", exercise=False, known=True)
    view, picture = _painted(qtbot, disposed, _listed(drill, real))
    ratio = picture.width() / view.viewport().width()
    assert _count(_row(view, picture, "!drill:x"), EXERCISE_COLOUR) > 50
    real_row = _row(view, picture, "!real:x")
    assert _count(real_row, EXERCISE_COLOUR) == 0 and _count(real_row, ERROR_COLOUR) == 0
    rtl = view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    edge = real_row.width() - 1 - 4 * ratio if rtl else 4 * ratio  # the row's padding
    ink = view.palette().color(QPalette.ColorRole.Text)
    pill = QFontMetrics(view.font()).height() * ratio - 6 * ratio  # its side, less corners
    assert _outlined_from(real_row, int(edge), ink, int(pill))
    assert view.layoutDirection() == QCoreApplication.instance().layoutDirection()
    assert rtl == (language == "ar")


def _edges(image: QImage, colour: QColor, length: int) -> list[int]:
    """The rows of ``image`` holding a straight line of ``colour`` at least ``length``
    long: a pill's top and bottom edges (a letter's bar is far shorter)."""
    found = []
    for y in range(image.height()):
        run = longest = 0
        for x in range(image.width()):
            run = run + 1 if image.pixelColor(x, y).rgb() == colour.rgb() else 0
            longest = max(longest, run)
        if longest >= length:
            found.append(y)
    return found


def test_the_outlined_pill_is_whole_above_an_arabic_title_and_a_latin_one(
    qtbot, disposed, language
):
    """The pill's four sides are painted: a row lower than the pill (an Arabic title's,
    measured by its own font) cut its bottom line off, and NOT AN EXERCISE read as
    [brackets] around words, not as a pill."""
    titles = {"!ar:x": "فيضان · تمرين", "!en:x": "Flood response · EXERCISE"}
    model = _listed(*(marked_session(space, t, False, True) for space, t in titles.items()))
    view, picture = _painted(qtbot, disposed, model)
    ratio = picture.width() / view.viewport().width()
    ink = view.palette().color(QPalette.ColorRole.Text)
    bold = QFont(view.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    words = MARKS[language]["real"]
    side = (metrics.horizontalAdvance(words) + metrics.height() - 8) * ratio  # less corners
    for space in titles:
        edges = _edges(_row(view, picture, space), ink, int(side))
        assert edges and edges[-1] - edges[0] >= metrics.height() * ratio / 2, (space, edges)


def test_the_list_reads_each_title_for_the_mark_once_not_at_every_paint(
    qtbot, disposed, monkeypatch, language
) -> None:
    """Painting the rows again and a screen reader asking about them do not read the
    titles for the mark's words again (tens of µs each, for every row at every paint);
    the pill and the words said stay right, in the interface's language."""
    read: list[str] = []
    reads = session_marking.imitates_mark
    monkeypatch.setattr(session_marking, "imitates_mark", lambda t: read.append(t) or reads(t))
    unread = uuid.uuid4().hex  # titles no other test had read: none kept already
    titles = (f"Cache {unread} · EXERCISE", f"Cache {unread} · Port Sable")
    model = _listed(*(marked_session(f"!c{n}:x", t, False, True) for n, t in enumerate(titles)))
    view = disposed(RoomListView())
    view.setModel(model)
    view.setItemDelegate(RoomListDelegate(view))
    with qtbot.waitExposed(view):
        view.show()
    for _ in range(3):
        view.viewport().grab()
        spoken = [
            model.data(model.index(model.row_of(f"!c{n}:x")), Qt.ItemDataRole.AccessibleTextRole)
            for n in range(2)
        ]
    assert spoken == [model.title(model.row_of(f"!c{n}:x")) for n in range(2)]  # as read
    assert spoken[0] == f"{WARNING[language]}{titles[0]}\u2069{'”' if language == 'en' else '»'}"
    assert spoken[1] == titles[1]
    assert sorted(read) == sorted(titles)  # each read once
