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
# Letters of other scripts a reader takes for the mark's letters, each as the Latin (or
# Arabic) letter it passes for, in its case (Greek "Ν" reads N, "ν" reads v): Cyrillic
# and Greek ones ("ЕХЕRСISЕ"), Latin ones without their dot or in small capitals (ı,
# ᴇ), the Persian and Urdu forms of Arabic letters (the yeh and kaf a Persian keyboard
# types for ي and ك). A small fold of Unicode's confusables, for the marks' letters.
_LOOKALIKES = str.maketrans(
    {
        lookalike: letter
        for lookalikes, letter in (
            *(("АΑ", "A"), ("ВΒ", "B"), ("СϹ", "C"), ("Ԁ", "D"), ("ЕЀЁΕ", "E"), ("НΗ", "H")),
            *(("ІЇӀΙ", "I"), ("Ј", "J"), ("КΚ", "K"), ("МΜ", "M"), ("Ν", "N"), ("ОΟ", "O")),
            *(("РΡ", "P"), ("Ѕ", "S"), ("ТΤ", "T"), ("ХΧ", "X"), ("УΥ", "Y"), ("Ζ", "Z")),
            *(("аɑᴀ", "a"), ("сϲᴄ", "c"), ("ԁᴅ", "d"), ("еѐёεᴇ", "e"), ("ɡɢ", "g")),
            *(("іїιıɩɪ", "i"), ("ј", "j"), ("κ", "k"), ("ӏʟ", "l"), ("ɴ", "n"), ("оο", "o")),
            *(("рρᴘ", "p"), ("ʀ", "r"), ("ѕꜱ", "s"), ("τᴛ", "t"), ("υ", "u"), ("ν", "v")),
            *(("хχ", "x"), ("уγ", "y")),
            *(("یىېۍ", "ي"), ("کڪ", "ك"), ("ٱ", "ا")),
        )
        for lookalike in lookalikes
    }
)


def folded(text: str) -> str:
    """``text`` as a reader sees it: compatibility forms (full-width letters) as their
    plain letters, no invisible characters (bidi isolates, zero-width joiners), no Arabic
    vowel marks or tatweel, one case, look-alike letters of other scripts as the letters
    they pass for, single spaces."""
    # Before compatibility forms are undone too: NFKC makes the lunate sigma "Ϲ", which
    # reads C, a Σ; and after, for the forms it makes (a mathematical "𝚬" is a Greek Ε).
    # Case folded before marks go: "İ" folds to "i" and a combining dot.
    text = unicodedata.normalize("NFKC", text.translate(_LOOKALIKES)).translate(_LOOKALIKES)
    kept = (c for c in text.casefold() if unicodedata.category(c) not in ("Cf", "Mn"))
    return " ".join("".join(kept).replace(_TATWEEL, "").split())


def reads_as_mark(title: str, also: Iterable[str] = ()) -> bool:
    """Whether ``title`` holds a mark's words in any case or hidden spelling; ``also``:
    the marks' words in another language (the interface's own)."""
    shown = folded(title)
    return any(word and word in shown for word in (*MARK_WORDS, *map(folded, also)))
