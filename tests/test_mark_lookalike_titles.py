"""A real session whose title reads like our mark ("Flood response · EXERCISE", "تمرين …")
says it is not an exercise wherever its title is shown beside the mark: the headers of
the session's pages and the exported record. The title itself is kept as it was given.
(The room list's heading: tests/test_room_list_marking.py.)"""

from __future__ import annotations

import pytest

from app.core.records_export import RecordMark, ReportInput, render_report
from app.core.session import Roster
from app.ui.overview.page import OverviewPage
from tests.test_room_list_marking import LOOKALIKES, NOT_AN_EXERCISE, _session

TITLE = "Flood response · EXERCISE"


def test_the_overview_header_says_a_lookalike_title_is_not_an_exercise(
    disposed, language: str
) -> None:
    real = _session("!real:x", TITLE, exercise=False, known=True)
    page = disposed(OverviewPage(lambda: Roster(real, ())))
    page.follow()
    assert not page.banner.isVisibleTo(page)  # no EXERCISE banner: it is real
    shown = page.title.text()
    assert TITLE in shown and shown.endswith(NOT_AN_EXERCISE[language])


def test_the_overview_header_of_a_plainly_titled_real_session_is_its_title(disposed) -> None:
    page = disposed(OverviewPage(lambda: Roster(_session("!r:x", "Port Sable", False, True), ())))
    page.follow()
    assert page.title.text() == "Port Sable"


@pytest.mark.parametrize("title", LOOKALIKES)
def test_the_exported_record_of_a_real_session_says_it_is_not_an_exercise(title: str) -> None:
    session = _session("!real:x", title, exercise=False, known=True)
    page = render_report(ReportInput(session, (), (), "@a:x", "now"))
    assert RecordMark.of(session) is RecordMark.NONE
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading.endswith("(not an exercise)") and not heading.startswith("EXERCISE")
    assert 'class="exercise' not in page.split("<body", 1)[1]  # no exercise banner


def test_the_exported_record_of_an_exercise_is_headed_exercise_once() -> None:
    session = _session("!drill:x", TITLE, exercise=True, known=True)
    page = render_report(ReportInput(session, (), (), "@a:x", "now"))
    assert f"<h1>EXERCISE — {TITLE}</h1>" in page and "not an exercise" not in page
