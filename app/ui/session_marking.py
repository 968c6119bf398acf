"""How a session is marked on screen and in what leaves the app: EXERCISE, or — while its
encrypted details are not yet decrypted — a neutral "details pending".

Why a third state: the room of a session can be known seconds (or, if a key is late,
much longer) before its title and exercise flag are decrypted. Meanwhile the session is
neither an exercise nor a real crisis as far as this client knows; showing it unmarked
would present it as real, and a picture taken then would circulate as real.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import NamedTuple, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.core.mark_words import reads_as_mark
from app.core.text import isolate, one_line
from app.ui.texts import fill, tr
from app.ui.widgets import EXERCISE_COLOUR

PENDING_COLOUR = "#e0e0e0"  # grey: neither the yellow of an exercise nor an alarm's red
PENDING_STYLE = f"background: {PENDING_COLOUR}; color: #000; font-weight: bold; padding: 2px 8px;"


class Marked(Protocol):
    """Whatever carries a session's marking: its ``SessionInfo``, or what a feature hands
    the UI about its session (a sitrep board, an instruction desk)."""

    @property
    def exercise(self) -> bool: ...

    @property
    def details_known(self) -> bool: ...


class Marking(Enum):
    """What a session is known to be."""

    NONE = "none"  # a real session, its details known
    EXERCISE = "exercise"
    PENDING = "pending"  # its details are not decrypted yet

    @classmethod
    def of(cls, info: Marked | None) -> Marking:
        if info is None:
            return cls.NONE
        if not info.details_known:
            return cls.PENDING
        return cls.EXERCISE if info.exercise else cls.NONE

    def text(self) -> str:
        """The words every screen, export and picture carries ('' for a real session)."""
        if self is Marking.EXERCISE:
            return tr("EXERCISE")
        if self is Marking.PENDING:
            return tr("⌛ DETAILS PENDING")
        return ""


class Badge(NamedTuple):
    """A mark drawn as a pill before a session's title: words no title can paint. Filled
    in ``background`` with ``foreground`` words; or, both "", outlined and written in the
    row's own text colour: a real session's pill, never the red of an error or refusal
    (a real session may rightly be titled "Exercise Blue Dagger planning")."""

    text: str
    background: str
    foreground: str


def imitates_mark(title: str) -> bool:
    """Whether a title reads like a mark, in English, Arabic or the interface's language."""
    return reads_as_mark(title, (Marking.EXERCISE.text(), Marking.PENDING.text().strip("⌛ ")))


def badge(marking: Marking, title: str) -> Badge | None:
    """The pill a session's heading leads with: its mark, or for a real session whose
    title reads like a mark, the words that it is not an exercise (a real crisis taken
    for an exercise is the worse mistake); none for a real session titled plainly."""
    if marking is Marking.EXERCISE:
        return Badge(marking.text(), EXERCISE_COLOUR, "#000000")
    if marking is Marking.PENDING:
        return Badge(marking.text(), PENDING_COLOUR, "#000000")
    return _real_badge(title, tr("NOT AN EXERCISE"))


@lru_cache(maxsize=1024)
def _real_badge(title: str, words: str) -> Badge | None:
    """A real session's pill, kept: the room list asks for it at every paint of the row
    and at every question of a screen reader, and reading a title for the mark's words
    takes tens of µs. Keyed by the pill's words too, so a change of the interface's
    language (whose mark words count as well) reads every title anew."""
    return Badge(words, "", "") if imitates_mark(title) else None


def shown_title(title: str, marking: Marking) -> str:
    """A session's title where a line of text shows it (a header beside the EXERCISE
    banner, a room's title): one line without bidi controls (``one_line``: what a title
    holds cannot reorder, hide or push away the words around it), and a real session's
    title that reads like a mark after the words that it is not an exercise: they lead,
    so no title, however long, can elide them. Display only: the title is kept as given."""
    line = one_line(title)
    # As the room list's pill says it (and read once for both: badge keeps what it read).
    if marking is not Marking.NONE or badge(marking, line) is None:
        return line
    return fill(tr("NOT AN EXERCISE: “%1”"), line)


def marked_title(title: str, marking: Marking) -> str:
    """A session's title as one line of text with no banner beside it (the room list's
    heading read as text, a question about the session): its mark first, then the title
    as ``shown_title`` shows it ("EXERCISE · Port Sable", "NOT AN EXERCISE: “…”")."""
    line = shown_title(title, marking)
    return f"{marking.text()} · {isolate(line)}" if marking.text() else line


def pending_banner() -> QLabel:
    """The grey mark of a session whose details are not decrypted yet (hidden until then);
    neutral on purpose: it must not read as an exercise nor as an alarm."""
    label = QLabel(Marking.PENDING.text())
    label.setObjectName("detailsPendingBanner")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(PENDING_STYLE)
    label.setToolTip(
        tr(
            "This session's title and exercise mark have not been decrypted yet. "
            "Until they are, it is neither shown nor exported as a real session."
        )
    )
    label.hide()
    return label


def show_marking(exercise: QLabel, pending: QLabel, info: Marked | None) -> None:
    """Show the EXERCISE banner or the pending one (or neither) for this session."""
    marking = Marking.of(info)
    exercise.setVisible(marking is Marking.EXERCISE)
    pending.setVisible(marking is Marking.PENDING)
