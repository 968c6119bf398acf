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
        """The session's title as the record heads its pages: an exercise's marked, and a
        real session's that reads like a mark saying it is not one (the title as given)."""
        if self is RecordMark.EXERCISE:
            return f"EXERCISE — {title}"
        if self is RecordMark.NONE and reads_as_mark(title):
            return f"“{title}” (not an exercise)"
        return title  # pending: the neutral label the state carries, never a guess

    @property
    def ink(self) -> str:
        """The chart watermark's colour."""
        return "#616161" if self is RecordMark.PENDING else "#d32f2f"
