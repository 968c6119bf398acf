"""Whether a session's title reads like a session mark: EXERCISE, or DETAILS PENDING.

Why: the title is chosen by a person, and a real session titled "Flood response ·
EXERCISE" (or "تمرين …"), shown where the mark is shown, reads as an exercise: a real
crisis taken for a drill, the worse of the two mistakes. Whoever shows a title beside
the mark asks this, and says the session is not an exercise; the title itself is never
changed (what was said stays as it was said, in the record too).
"""

from __future__ import annotations

import re
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
            *(("یىېۍ", "ي"), ("کڪ", "ك"), ("ٱ", "ا"), ("ٮ", "ت"), ("ں", "ن")),
        )
        for lookalike in lookalikes
    }
)


# Code points Unicode says to draw as nothing (Default_Ignorable_Code_Point) that are
# neither format characters nor marks: the Hangul fillers, which draw as blank space
# however many there are ("EX\u3164ERCISE" reads EXERCISE), and unassigned ones.
_IGNORED = frozenset(
    chr(c) for c in (0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x2060, 0x2070))
)


def _seen(char: str) -> bool:
    """Whether a reader sees ``char`` as part of a word (a letter, a digit, a space…),
    not an invisible character nor an accent or vowel mark over a letter."""
    return unicodedata.category(char) not in ("Cf", "Mn") and char not in _IGNORED


def folded(text: str) -> str:
    """``text`` as a reader sees it: compatibility forms (full-width letters) as their
    plain letters, no accents, no invisible characters (bidi isolates, zero-width
    joiners, Hangul fillers), no Arabic vowel marks or tatweel, one case, look-alike
    letters of other scripts as the letters they pass for, single spaces."""
    # Before compatibility forms are undone too: NFKD makes the lunate sigma "Ϲ", which
    # reads C, a Σ; and after, for the forms it makes (a mathematical "𝚬" is a Greek Ε).
    # NFKD, not NFKC: an accented letter comes apart into its letter and its accent,
    # which goes ("ÉXÉRCÍSE"); composed, it would stay a letter of its own.
    # Case folded before marks go: "İ" folds to "i" and a combining dot.
    text = unicodedata.normalize("NFKD", text.translate(_LOOKALIKES)).translate(_LOOKALIKES)
    kept = (c for c in text.casefold() if c.isspace() or _seen(c))
    return " ".join("".join(kept).replace(_TATWEEL, "").split())


# Where an Arabic mark word counts: at a word's start, after what Arabic glues before a
# word (a conjunction و or ف, a preposition ب, ل or ك, the article ال: "والتمرين",
# "للتمرين"), never inside another word: "المستمرين" (the continuing ones) holds تمرين.
# An English one counts anywhere: the words holding "exercise" are about exercises
# ("EXERCISES", "FloodEXERCISE"), and a title taken for the mark is the worse mistake.
_ARABIC_START = r"(?<![^\W\d_])[وف]?(?:ال|بال|كال|لل|[بلك])?"


def _holds(shown: str, word: str) -> bool:
    """Whether the folded title ``shown`` holds the folded mark word ``word``."""
    if unicodedata.bidirectional(word[0]) != "AL":
        return word in shown
    return re.search(_ARABIC_START + re.escape(word), shown) is not None


def reads_as_mark(title: str, also: Iterable[str] = ()) -> bool:
    """Whether ``title`` holds a mark's words in any case or hidden spelling; ``also``:
    the marks' words in another language (the interface's own)."""
    shown = folded(title)
    return any(word and _holds(shown, word) for word in (*MARK_WORDS, *map(folded, also)))
