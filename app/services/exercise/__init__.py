"""Exercises: the cast's backends on this loop and the runner that plays the injects."""

from app.services.exercise.host import ExerciseHost
from app.services.exercise.runner import ExerciseError, ExerciseRunner

__all__ = [
    "ExerciseError",
    "ExerciseHost",
    "ExerciseRunner",
]
