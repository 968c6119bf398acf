"""What a session room's timeline sums up instead of listing: counts in the plural forms
of each language, the session's details as one line, indicator values as one row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from app.core import roles
from app.core.records import RoomEvent
from app.services.notices import RoomLoaded
from app.ui.i18n import install_language
from app.ui.timeline.model import TimelineModel

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
