"""Exercises as rules: scenarios (cast, MSEL) and the exercise clock."""

from app.core.exercise.clock import ClockState, ExerciseClock, clock_text
from app.core.exercise.scenario import (
    FACILITATOR,
    NOTES_FILE,
    EvaluatorNote,
    Inject,
    Scenario,
    parse_scenario,
    parse_time,
)

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
