"""Sessions for the tests of how a session's mark is shown (the room list, headers, the
exported record, the session menu's questions): a session with one room, its title, its
exercise flag and whether its details are decrypted; and the titles a real session may be
given, by mistake or to mislead, that read like the mark."""

from __future__ import annotations

from app.core.roles import RoomKind
from app.core.session import SessionInfo, SessionRoom

MARKS = {
    "en": {"exercise": "EXERCISE", "pending": "⌛ DETAILS PENDING", "real": "NOT AN EXERCISE"},
    "ar": {"exercise": "تمرين", "pending": "⌛ التفاصيل قيد الانتظار", "real": "ليست تمرينًا"},
}
# How a line of text starts that shows a real session's look-alike title: the words that
# it is not an exercise lead, the title follows quoted and isolated.
WARNING = {"en": "NOT AN EXERCISE: “\u2068", "ar": "ليست تمرينًا: «\u2068"}
# Titles someone may give a real session, by mistake or to mislead: the mark's words in
# either language, any case, hidden by bidi isolates, zero-width joiners, Arabic vowel
# marks and tatweel, or full-width letters; or spelt with letters of other scripts that
# look like the mark's (HOMOGLYPHS).
HOMOGLYPHS = [
    "ЕХЕRСISЕ drill",  # Cyrillic Е, Х, С
    "ΕΧΕRϹΙSΕ drill",  # Greek Ε, Χ, lunate Ϲ, Ι
    "DΕΤΑΙLЅ РΕΝDΙΝG",  # Greek and Cyrillic
    "EXERCıSE Port Sable",  # dotless ı
    "ᴇxᴇʀᴄɪꜱᴇ Port Sable",  # small capitals
    "تمرین · الاستجابة",  # Persian yeh
    "التفاصیل قید الانتظار",  # Persian yeh
]
LOOKALIKES = [
    *HOMOGLYPHS,
    "Flood response · EXERCISE",
    "exercise — flood response",
    "\u2068EXERCISE\u2069 · Port Sable",
    "EXER\u200dCISE Port Sable",
    "ＥＸＥＲＣＩＳＥ Port Sable",
    "تمرين · الاستجابة للفيضان",
    "الاستجابة للفيضان (تَمـــرِين)",
    "⌛ DETAILS PENDING",
]


# Bidi controls that would reorder what follows them; only balanced isolates may remain
# (the marks LRM, RLM and ALM may: they set no direction beyond the isolate they are in).
_EMBEDDINGS = set("\u202a\u202b\u202c\u202d\u202e")


def one_clean_line(text: str) -> bool:
    """Whether ``text`` reads as one line whose words stay where they are: no line break,
    no run of spaces, no embedding or override, and every isolate closed after it opens."""
    depth = 0
    for char in text:
        if char in _EMBEDDINGS or char in "\n\r\u2028\u2029":
            return False
        depth += char in "\u2066\u2067\u2068"
        depth -= char == "\u2069"
        if depth < 0:
            return False
    return depth == 0 and "  " not in text


def marked_session(space: str, title: str, exercise: bool, known: bool) -> SessionInfo:
    """A session of one operations room: an exercise or not, its details known or not."""
    ops = SessionRoom(RoomKind.OPERATIONS, f"!ops-{space[1:]}")
    return SessionInfo(
        space, title, "evacuation", "active", "UTC", "", exercise, (ops,), details_known=known
    )
