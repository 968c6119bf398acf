"""The Session menu's questions name the session as the room list's heading reads: an
exercise after its mark, a real session whose title reads like the mark after the words
that it is not an exercise, the title one line without bidi controls. Closing a session
or removing someone taken for an exercise is the mistake these words are there to stop.
English and Arabic; every question is answered No, so nothing is sent."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from app.core.roles import Role
from app.core.session import Member, Roster
from app.ui.host import Host
from app.ui.sessions.menu import SessionMenu
from tests.marked_sessions import MARKS, WARNING, marked_session, one_clean_line

ME = "@fac:ops.example"
OMAR = Member("@omar:ops.example", Role.DELEGATE, membership="join")


class _Selection:
    """What the workspace has selected: a room of this session, Omar in its panel."""

    def __init__(self, roster: Roster) -> None:
        self.roster = roster

    def roster_of_selected(self) -> Roster:
        return self.roster

    def selected_member(self) -> Member:
        return OMAR


def _questions(qtbot, disposed, roster: Roster) -> list[str]:
    """The questions closing the session, removing Omar and sending keys to unsigned
    devices ask, each answered No as a person would, by its button."""
    window = disposed(QMainWindow())
    host = Host(window, None, _Selection(roster), lambda: ME, lambda _problem: None)
    menu = SessionMenu(host, lambda: None)
    menu.enable_for(True, roster)
    asked: list[str] = []

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    for action in (menu.close_session_action, menu.remove_participant_action):
        QTimer.singleShot(0, answer_no)
        action.trigger()
    QTimer.singleShot(0, answer_no)
    menu.policy_action.trigger()  # on → off asks first
    assert menu.policy_action.isChecked()  # No: the policy stays
    assert len(asked) == 3
    return asked


def _roster(title: str, exercise: bool) -> Roster:
    session = marked_session("!s:x", title, exercise=exercise, known=True)
    return Roster(session, (Member(ME, Role.FACILITATOR, membership="join"), OMAR))


def test_questions_about_a_real_session_titled_like_the_mark_say_it_is_not_one(
    qtbot, disposed, language: str
) -> None:
    title = "EXERCISE Port Sable" + "\u2069" * 3 + "\u202e"
    for question in _questions(qtbot, disposed, _roster(title, exercise=False)):
        assert f"\u2068{WARNING[language]}EXERCISE Port Sable\u2069" in question
        assert one_clean_line(question.replace("\n", " "))


def test_questions_about_an_exercise_name_it_after_its_mark(qtbot, disposed, language) -> None:
    for question in _questions(qtbot, disposed, _roster("Port Sable", exercise=True)):
        assert f"\u2068{MARKS[language]['exercise']} · \u2068Port Sable\u2069\u2069" in question
        assert MARKS[language]["real"] not in question


def test_questions_about_a_plainly_titled_real_session_name_it_alone(qtbot, disposed) -> None:
    for question in _questions(qtbot, disposed, _roster("Port Sable", exercise=False)):
        assert "\u2068Port Sable\u2069" in question and "EXERCISE" not in question
