"""Exercises as rules: scenarios (cast, MSEL), the exercise clock and evaluator notes.

The clock and the notes load with the package; the scenario format (with its YAML
reader) loads the first time one of its names is asked for, so a start of the app that
plays no exercise never loads it, while ``from app.core.exercise import Scenario`` keeps
working everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.exercise.clock import ClockState, ExerciseClock, clock_text
from app.core.exercise.notes import NOTES_FILE, EvaluatorNote

if TYPE_CHECKING:
    from app.core.exercise.scenario import (
        FACILITATOR,
        Inject,
        Scenario,
        parse_scenario,
        parse_time,
    )

_FROM_SCENARIO = frozenset({"FACILITATOR", "Inject", "Scenario", "parse_scenario", "parse_time"})


def __getattr__(name: str) -> Any:
    """The scenario format's names, loaded when first asked for (PEP 562)."""
    if name in _FROM_SCENARIO:
        from app.core.exercise import scenario

        return getattr(scenario, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FACILITATOR",
    "NOTES_FILE",
    "ClockState",
    "EvaluatorNote",
    "ExerciseClock",
    "Inject",
    "Scenario",
    "clock_text",
    "parse_scenario",
    "parse_time",
]
