"""A real session whose title reads like our mark ("Flood response · EXERCISE", "تمرين …")
says it is not an exercise wherever its title is shown beside the mark: the headers of
the session's pages and the exported record. The title itself is kept as it was given.
(The room list's heading: tests/test_room_list_marking.py.)"""

from __future__ import annotations

import pytest

from app.core.mark_words import reads_as_mark
from app.core.records_export import RecordMark, ReportInput, render_report
from app.core.session import Roster
from app.core.text import one_line
from app.ui.charts.view import ChartsPage
from app.ui.overview.page import OverviewPage
from app.ui.session_marking import Marking
from app.ui.sessions.participants_panel import ParticipantsPanel
from tests.marked_sessions import (
    HOMOGLYPHS,
    LOOKALIKES,
    MARKS,
    WARNING,
    marked_session,
    one_clean_line,
)

TITLE = "Flood response · EXERCISE"
# Titles that would scramble or hide words after them: closing isolates that close the
# ones around the title, then an override reversing what follows; runs of spaces, lines.
HOSTILE = [
    "EXERCISE Port Sable" + "\u2069" * 3 + "\u202e",
    "EXERCISE Port Sable" + " " * 180 + "x",
    "EXERCISE\n\n\n\nPort Sable\n\n",
]
ISOLATES = {0x2066: None, 0x2068: None, 0x2069: None}


@pytest.mark.parametrize("title", HOMOGLYPHS)
def test_letters_of_other_scripts_that_look_like_the_marks_read_as_the_mark(title: str) -> None:
    assert reads_as_mark(title)


# Accents over the mark's letters, and blanks a reader does not see as a break (the
# Hangul fillers, which draw as nothing or as a space), and dotless Arabic letters.
HIDDEN = [
    "ÉXÉRCISE Port Sable",
    "EXERCÍSE Port Sable",
    "EX\u3164ERCISE",
    "EXER\uffa0CISE",
    "E\u115fXERCISE",
    "EXERC\u1160ISE",
    "ٮمريں · فيضان",
]


@pytest.mark.parametrize("title", HIDDEN)
def test_accents_fillers_and_dotless_letters_do_not_hide_the_marks_words(title: str) -> None:
    assert reads_as_mark(title)


# The Arabic mark word counts at a word's start, after the article or a letter glued
# before a word; the English one wherever it is (its words are all about exercises).
@pytest.mark.parametrize(
    "title",
    ["التمرين الوطني", "والتمرين", "للتمرين الميداني", "بالتمرين", "تمريننا", "Exercise planning"],
)
def test_the_marks_words_count_with_what_is_glued_to_them(title: str) -> None:
    assert reads_as_mark(title)
    assert reads_as_mark(f"EXERCISES {title}") and reads_as_mark(f"FloodEXERCISED {title}")


@pytest.mark.parametrize(
    "title",
    ["Port Sable", "Учения", "Άσκηση", "Ejercicio", "تمارين", "دعم النازحين المستمرين"],
)
def test_titles_without_the_marks_words_are_titles(title: str) -> None:
    """Other scripts' words for an exercise, and an Arabic word that holds تمرين inside
    it ("المستمرين", the continuing ones), are not the mark."""
    assert not reads_as_mark(title)


def test_the_overview_header_says_a_lookalike_title_is_not_an_exercise(
    disposed, language: str
) -> None:
    real = marked_session("!real:x", TITLE, exercise=False, known=True)
    page = disposed(OverviewPage(lambda: Roster(real, ())))
    page.follow()
    assert not page.banner.isVisibleTo(page)  # no EXERCISE banner: it is real
    closing = {"en": "”", "ar": "»"}[language]
    assert page.title.text() == f"{WARNING[language]}{TITLE}\u2069{closing}"


def test_the_overview_header_of_a_plainly_titled_real_session_is_its_title(disposed) -> None:
    plain = marked_session("!r:x", "Port Sable", False, True)
    page = disposed(OverviewPage(lambda: Roster(plain, ())))
    page.follow()
    assert page.title.text() == "Port Sable"


def test_the_participants_and_dashboard_headers_say_it_too(disposed, language: str) -> None:
    real = marked_session("!real:x", TITLE, exercise=False, known=True)
    panel = disposed(ParticipantsPanel())
    panel.show_roster(Roster(real, ()))
    assert not panel.exercise.isVisibleTo(panel)
    assert panel.header.text().startswith(f"\u2068{WARNING[language]}{TITLE}")
    charts = disposed(ChartsPage())
    charts.show_room(real.rooms[0].room_id, real.title, Marking.of(real))
    assert charts.header.text().startswith(f"\u2068{WARNING[language]}{TITLE}")
    charts.show_room(real.rooms[0].room_id, real.title, Marking.EXERCISE)  # were it one
    assert charts.header.text().translate(ISOLATES) == f"{MARKS[language]['exercise']} — {TITLE}"


@pytest.mark.parametrize("title", LOOKALIKES)
def test_the_exported_record_of_a_real_session_says_it_is_not_an_exercise(title: str) -> None:
    session = marked_session("!real:x", title, exercise=False, known=True)
    page = render_report(ReportInput(session, (), (), "@a:x", "now"))
    assert RecordMark.of(session) is RecordMark.NONE
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading.startswith("NOT AN EXERCISE: “\u2068")
    assert 'class="exercise' not in page.split("<body", 1)[1]  # no exercise banner


def test_the_exported_record_of_an_exercise_is_headed_exercise_once() -> None:
    session = marked_session("!drill:x", TITLE, exercise=True, known=True)
    page = render_report(ReportInput(session, (), (), "@a:x", "now"))
    assert f"<h1>EXERCISE — \u2068{TITLE}\u2069</h1>" in page and "NOT AN" not in page


@pytest.mark.parametrize("title", HOSTILE)
def test_a_hostile_title_cannot_scramble_or_hide_that_it_is_not_an_exercise(
    disposed, language: str, title: str
) -> None:
    """The warning leads every header the title is in, and the title is one line whose
    controls are gone: nothing in it reorders the warning, or pushes it out of sight."""
    real = marked_session("!real:x", title, exercise=False, known=True)
    overview = disposed(OverviewPage(lambda: Roster(real, ())))
    overview.follow()
    panel = disposed(ParticipantsPanel())
    panel.show_roster(Roster(real, ()))
    charts = disposed(ChartsPage())
    charts.show_room(real.rooms[0].room_id, real.title, Marking.of(real))
    headers = [overview.title.text(), panel.header.text(), charts.header.text()]
    assert headers[0].startswith(WARNING[language])
    assert all(h.lstrip("\u2068").startswith(WARNING[language]) for h in headers[1:])
    assert all(one_clean_line(h) for h in headers), headers
    assert "Port Sable" in headers[0] and len(headers[0]) < 60


@pytest.mark.parametrize("title", HOSTILE)
def test_a_hostile_title_cannot_scramble_or_hide_it_in_the_exported_record(title: str) -> None:
    page = render_report(ReportInput(marked_session("!r:x", title, False, True), (), (), "@a", ""))
    for tag in ("title", "h1"):
        heading = page.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0]
        assert heading.startswith("NOT AN EXERCISE: “\u2068") and one_clean_line(heading)


# Titles whose invisible characters are part of how they are written: the Persian ZWNJ
# ("های" apart from the word before), an emoji's ZWJ, an RLM giving a title that starts
# with Latin letters its right-to-left direction.
WRITTEN = ["هماهنگی\u200cهای امدادی", "Flood 👩\u200d🚒 crews", "\u200fPDRS 7 — فيضان"]


@pytest.mark.parametrize("title", WRITTEN)
def test_a_title_keeps_the_invisible_characters_it_is_written_with(disposed, title) -> None:
    assert one_line(title) == title
    real = marked_session("!real:x", title, exercise=False, known=True)
    overview = disposed(OverviewPage(lambda: Roster(real, ())))
    overview.follow()
    assert overview.title.text() == title
    page = render_report(ReportInput(real, (), (), "@a:x", "now"))
    assert f"<h1>{title}</h1>" in page


def test_a_lone_surrogate_and_controls_do_not_reach_a_title_line() -> None:
    assert one_line("Port\ud800 Sable\x00\u2028x\u200b\ufeff") == "Port Sable x"
    assert one_line("\u200f\u200d \u200c\u2067") == ""  # marks alone: no title to show
