"""Whether a session's title reads like a session mark: EXERCISE, or DETAILS PENDING.

Why: the title is chosen by a person, and a real session titled "Flood response ·
EXERCISE" (or "تمرين …"), shown where the mark is shown, reads as an exercise: a real
crisis taken for a drill, the worse of the two mistakes. Whoever shows a title beside
the mark asks this, and says the session is not an exercise; the title itself is never
changed (what was said stays as it was said, in the record too).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# The marks' words in both interface languages, whichever one is shown: an English title
# read in the Arabic interface (or the reverse) passes for the mark just as well.
MARK_WORDS = ("exercise", "details pending", "تمرين", "التفاصيل قيد الانتظار")
_TATWEEL = "\u0640"  # Arabic's stretching stroke: "تمـــرين" still reads "تمرين"


def folded(text: str) -> str:
    """``text`` as a reader sees it: compatibility forms (full-width letters) as their
    plain letters, no invisible characters (bidi isolates, zero-width joiners), no Arabic
    vowel marks or tatweel, one case, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    kept = (c for c in text if unicodedata.category(c) not in ("Cf", "Mn") and c != _TATWEEL)
    return " ".join("".join(kept).casefold().split())


def reads_as_mark(title: str, also: Iterable[str] = ()) -> bool:
    """Whether ``title`` holds a mark's words in any case or hidden spelling; ``also``:
    the marks' words in another language (the interface's own)."""
    shown = folded(title)
    return any(word and word in shown for word in (*MARK_WORDS, *map(folded, also)))
