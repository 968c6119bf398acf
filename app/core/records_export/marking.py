"""What a record says its session is: an exercise, a real session, or — exported by
explicit choice before the encrypted details were decrypted — not known.

One place for the words and colours the report's banner and the chart pictures carry, so
a page and a picture copied out of it never disagree. English only: the record is a
document for the archive, read by tools and auditors alike (the window translates its own).
"""

from __future__ import annotations

import enum

from app.core.mark_words import reads_as_mark
from app.core.session import SessionInfo
from app.core.text import isolate, one_line


class RecordMark(enum.Enum):
    NONE = ""
    EXERCISE = "EXERCISE"
    PENDING = "DETAILS PENDING"

    @classmethod
    def of(cls, session: SessionInfo) -> RecordMark:
        if not session.details_known:
            return cls.PENDING
        return cls.EXERCISE if session.exercise else cls.NONE

    @property
    def banner(self) -> str:
        """The line on top of every printed page ('' for a real session)."""
        if self is RecordMark.PENDING:
            return "DETAILS PENDING — not known whether this is an exercise"
        return self.value

    def heading(self, title: str) -> str:
        """The session's title as the record heads its pages: one line without bidi
        controls (a title's overrides and unmatched isolates would reorder the words
        around it), an exercise's after its mark, and a real session's that reads like a
        mark after the words that it is not one: they lead, so no title hides them.
        The record's data keep the title as given."""
        line = one_line(title)
        if self is RecordMark.EXERCISE:
            return f"EXERCISE — {isolate(line)}"
        if self is RecordMark.NONE and reads_as_mark(line):
            return f"NOT AN EXERCISE: “{isolate(line)}”"
        return line  # pending: the neutral label the state carries, never a guess

    @property
    def ink(self) -> str:
        """The chart watermark's colour."""
        return "#616161" if self is RecordMark.PENDING else "#d32f2f"
