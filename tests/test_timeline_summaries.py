"""What a session room's timeline sums up instead of listing: counts in the plural forms
of each language, the session's details as one line, indicator values as one row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QListView

from app.core import roles
from app.core.records import RoomEvent
from app.core.roles import Role
from app.core.session import Blueprint, Participant, info_message, info_payload
from app.services.notices import RoomLoaded
from app.ui.i18n import install_language
from app.ui.texts import counted
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.rows import RowKind

ME, ROOM = "@me:ops.example", "!ops:ops.example"
_ISOLATES = {0x2066: None, 0x2068: None, 0x2069: None}


def _state(n: int, kind: str, **content: object) -> RoomEvent:
    user = f"@p{n}:ops.example"
    return RoomEvent(
        f"${kind}{n}", ROOM, "@fac:ops.example", kind, n, dict(content), state_key=user
    )


def _folded(events: list[RoomEvent]) -> str:
    model = TimelineModel(ME)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.load(RoomLoaded(ROOM, tuple(events), ()))
    assert model.rowCount() == 1
    return model.row(0).text.translate(_ISOLATES)


def _run(joined: int, roles_set: int) -> list[RoomEvent]:
    people = [_state(n, "m.room.member", membership="join") for n in range(joined)]
    seats = [_state(100 + n, roles.ROLE, role="expert", body="") for n in range(roles_set)]
    return people + seats


@pytest.fixture
def arabic(qapp: QApplication) -> Iterator[None]:
    kept = install_language(qapp, "ar", "arabic")
    yield
    for translator in kept:
        qapp.removeTranslator(translator)
    install_language(qapp, "en")


def test_counts_read_in_the_singular_and_plural_in_english(qtbot) -> None:
    text = _folded(_run(joined=3, roles_set=1))
    assert text.startswith("4 changes to the room: 3 joined, 1 role assigned")
    assert "1 roles" not in _folded(_run(joined=1, roles_set=3))
    assert _folded(_run(joined=1, roles_set=3)).startswith("4 changes to the room: 1 joined")


def test_counts_take_each_of_arabics_plural_forms(qtbot, arabic) -> None:
    assert "أُسند دور واحد" in _folded(_run(joined=3, roles_set=1))  # one
    assert "أُسند دوران" in _folded(_run(joined=3, roles_set=2))  # two
    assert "أُسندت ٣ أدوار" in _folded(_run(joined=1, roles_set=3))  # a few (3-10)
    many = _folded(_run(joined=0, roles_set=11))
    assert "أُسند ١١ دورًا" in many and many.startswith("١١ تغييرًا")  # many (11-99)
    assert "انضم ٣ أشخاص، أُسند دوران" in _folded(_run(joined=3, roles_set=2))  # Arabic comma
    # A count beside another value: the other value's place (%1) is filled, not mangled.
    joined = QCoreApplication.translate("OverviewPage", "%1 of %n participants have joined", "", 8)
    assert counted(joined, 3).translate(_ISOLATES) == "انضم ٣ من أصل ٨ مشاركين"


def _shown(qtbot, disposed, events: list[RoomEvent]) -> tuple[TimelineModel, QListView]:
    """The timeline as the window shows it: the model in a list view with its delegate."""
    model = TimelineModel(ME)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.load(RoomLoaded(ROOM, tuple(events), ()))
    view = disposed(QListView())
    view.setModel(model)
    view.setItemDelegate(TimelineDelegate(view))
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    return model, view


def _height(view: QListView, row: int) -> int:
    return view.visualRect(view.model().index(row, 0)).height()


def test_the_session_details_read_as_one_short_line(qtbot, disposed) -> None:
    bp = Blueprint(
        "Evacuation from Port Sable",
        "evacuation",
        "Africa/Cairo",
        participants=tuple(
            Participant(f"@p{n}:ops.example", Role.EXPERT, title=f"Adviser {n}") for n in range(8)
        ),
    )
    content = info_message(info_payload(bp, bp.participants))
    details = RoomEvent("$info", ROOM, "@fac:ops.example", "m.room.message", 10, content)
    said = RoomEvent(
        "$said", ROOM, "@fac:ops.example", "m.room.message", 20, {"msgtype": "m.text", "body": "Hi"}
    )
    model, view = _shown(qtbot, disposed, [details, said])
    assert model.rowCount() == 2
    row = model.row(0)
    assert row.text == "Session details updated" and row.kind is RowKind.NOTICE
    hover = model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Port Sable" in hover  # what they say is one hover away
    line = QFontMetrics(view.font()).height()
    assert _height(view, 0) < 2 * line  # one line, not a dozen
    assert _height(view, 0) < _height(view, 1)  # smaller than a one-line message


def _value(n: int, series: str, value: float, by: str = "@layla:ops.example") -> RoomEvent:
    content = {"body": f"{series} {value}", "series": series, "value": value, "at": n}
    content |= {"unit": "people"} if series == "evacuated" else {}
    return RoomEvent(f"$v{n}", ROOM, by, roles.INDICATOR, n, content)


def test_indicator_values_are_summed_up_per_series_and_open_again(qtbot, disposed) -> None:
    chart = RoomEvent(
        "$chart",
        ROOM,
        "@amal:ops.example",
        roles.CHART,
        1,
        {"title": "Evacuees", "series": ["evacuated"], "kind": "timeseries", "body": ""},
        state_key="evacuees",
    )
    said = RoomEvent(
        "$said", ROOM, "@amal:ops.example", "m.room.message", 9, {"msgtype": "m.text", "body": "Go"}
    )
    values = [
        _value(10, "evacuated", 120),
        _value(11, "evacuated", 150),
        _value(12, "crossings_open", 2),
        _value(13, "evacuated", 180),
    ]
    later = RoomEvent(
        "$later",
        ROOM,
        "@amal:ops.example",
        "m.room.message",
        20,
        {"msgtype": "m.text", "body": "Ok"},
    )
    model, _view = _shown(
        qtbot, disposed, [chart, said, *values, later, _value(30, "evacuated", 200)]
    )
    texts = [model.row(i).text.translate(_ISOLATES) for i in range(model.rowCount())]
    summary = next(t for t in texts if "→" in t)
    assert summary.startswith("Evacuees: 120 → 180 people, 3 updates · crossings_open: 2")
    assert model.rowCount() == 5  # the chart, a message, one summary, a message, a lone value
    position = texts.index(summary)
    model.unfold(position)
    assert model.rowCount() == 8


def test_room_changes_name_people_not_ids(qtbot, disposed) -> None:
    karim = "@karim:ops.example"
    joined = RoomEvent(
        "$j", ROOM, karim, "m.room.member", 1,
        {"membership": "join", "displayname": "Karim Haddad"}, state_key=karim,
    )  # fmt: skip
    seat = RoomEvent(
        "$r", ROOM, "@fac:ops.example", roles.ROLE, 2, {"role": "diplomat", "body": ""},
        state_key=karim[1:],  # role keys drop the '@' (the server reserves it)
    )  # fmt: skip
    model, view = _shown(qtbot, disposed, [joined, seat])
    shown = [model.named(model.row(i).text).translate(_ISOLATES) for i in range(2)]
    assert shown == ["Karim Haddad joined", "Karim Haddad has the role Diplomat"]
    model.set_session_names((ROOM,), {karim: "Karim H."})  # the session's name wins
    assert model.named(model.row(0).text).translate(_ISOLATES) == "Karim H. joined"
    assert view.visualRect(model.index(0)).height() > 0
