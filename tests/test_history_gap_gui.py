"""A hole in a room's history is told as what it is, messages missing from the middle
of the named room (not "older history"), whether it is tried again or given up."""

from __future__ import annotations

import pytest

from app.services.notices import Problem
from app.ui.shell.main_window import MainWindow


@pytest.mark.parametrize(
    ("what", "sentence"),
    [
        ("history_gap", "could not be fetched yet; they will be tried again:"),
        ("history_gap_lost", "could not be fetched from the server:"),
    ],
)
def test_a_hole_in_history_is_told_with_the_rooms_name(
    window: MainWindow, what: str, sentence: str
) -> None:
    window.on_problem(Problem(what, "Operations"))
    shown = window.statusBar().currentMessage()
    assert shown.startswith("Some messages in the middle of a room's history")
    assert sentence in shown and shown.endswith("\u2068Operations\u2069")  # isolated (bidi)
