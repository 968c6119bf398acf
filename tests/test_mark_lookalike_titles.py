"""A real session whose title reads like our mark ("Flood response · EXERCISE", "تمرين …")
says it is not an exercise wherever its title is shown beside the mark: the headers of
the session's pages and the exported record. The title itself is kept as it was given.
(The room list's heading: tests/test_room_list_marking.py.)"""

from __future__ import annotations

import pytest

from app.core.records_export import RecordMark, ReportInput, render_report
from app.core.session import Roster
from app.ui.charts.view import ChartsPage
from app.ui.overview.page import OverviewPage
from app.ui.session_marking import Marking
from app.ui.sessions.participants_panel import ParticipantsPanel
from tests.marked_sessions import LOOKALIKES, MARKS, marked_session
from tests.test_room_list_marking import NOT_AN_EXERCISE

TITLE = "Flood response · EXERCISE"
QUOTE_CLOSE = {"en": "”", "ar": "»"}
ISOLATES = {0x2066: None, 0x2068: None, 0x2069: None}


def test_the_overview_header_says_a_lookalike_title_is_not_an_exercise(
    disposed, language: str
) -> None:
    real = marked_session("!real:x", TITLE, exercise=False, known=True)
    page = disposed(OverviewPage(lambda: Roster(real, ())))
    page.follow()
    assert not page.banner.isVisibleTo(page)  # no EXERCISE banner: it is real
    shown = page.title.text()
    assert TITLE in shown and shown.endswith(NOT_AN_EXERCISE[language])


def test_the_overview_header_of_a_plainly_titled_real_session_is_its_title(disposed) -> None:
    plain = marked_session("!r:x", "Port Sable", False, True)
    page = disposed(OverviewPage(lambda: Roster(plain, ())))
    page.follow()
    assert page.title.text() == "Port Sable"


def test_the_participants_and_dashboard_headers_say_it_too(disposed, language: str) -> None:
    real = marked_session("!real:x", TITLE, exercise=False, known=True)
    said = f"{TITLE}{QUOTE_CLOSE[language]} {NOT_AN_EXERCISE[language]}"
    panel = disposed(ParticipantsPanel())
    panel.show_roster(Roster(real, ()))
    assert not panel.exercise.isVisibleTo(panel)
    assert said in panel.header.text().translate(ISOLATES)
    charts = disposed(ChartsPage())
    charts.show_room(real.rooms[0].room_id, real.title, Marking.of(real))
    assert charts.header.text().translate(ISOLATES).endswith(said)
    charts.show_room(real.rooms[0].room_id, real.title, Marking.EXERCISE)  # were it one
    assert charts.header.text().translate(ISOLATES) == f"{MARKS[language]['exercise']} — {TITLE}"


@pytest.mark.parametrize("title", LOOKALIKES)
def test_the_exported_record_of_a_real_session_says_it_is_not_an_exercise(title: str) -> None:
    session = marked_session("!real:x", title, exercise=False, known=True)
    page = render_report(ReportInput(session, (), (), "@a:x", "now"))
    assert RecordMark.of(session) is RecordMark.NONE
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading.endswith("(not an exercise)") and not heading.startswith("EXERCISE")
    assert 'class="exercise' not in page.split("<body", 1)[1]  # no exercise banner


def test_the_exported_record_of_an_exercise_is_headed_exercise_once() -> None:
    session = marked_session("!drill:x", TITLE, exercise=True, known=True)
    page = render_report(ReportInput(session, (), (), "@a:x", "now"))
    assert f"<h1>EXERCISE — {TITLE}</h1>" in page and "not an exercise" not in page
