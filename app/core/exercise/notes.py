"""A facilitator's evaluator notes: what each one holds and the file they are kept in.

Apart from the scenario format because every start of the app needs these (the records
feature reads the notes file when a session is exported) and most starts play no
scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where a facilitator's evaluator notes are kept, in the exercise folder of the data dir.
NOTES_FILE = "notes.json"


@dataclass(frozen=True, slots=True)
class EvaluatorNote:
    """A facilitator's observation during an exercise, on the exercise clock."""

    space_id: str
    exercise_seconds: float
    wall_ms: int
    text: str
