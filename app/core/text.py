"""Text rules that do not depend on any toolkit."""

from __future__ import annotations

import unicodedata

from app.core.identifiers import USER_ID_IN_TEXT

_RTL_CLASSES = {"R", "AL"}
NAME_MAX = 80  # a person's name as the app shows it (Matrix display names are short)
TITLE_MAX = 200  # a session's title, as long as the convene dialog lets one be


def is_rtl(text: str) -> bool:
    """True when the first strongly directional letter is right-to-left (Arabic, Hebrew).

    This is the paragraph rule of the Unicode bidi algorithm (P2/P3): a mixed Arabic and
    English message starts on the side its first real letter asks for.
    """
    for char in text:
        bidi = unicodedata.bidirectional(char)
        if bidi in _RTL_CLASSES:
            return True
        if bidi == "L":
            return False
    return False


def isolate(text: str) -> str:
    """Wrap text in a Unicode first-strong isolate (FSI … PDI).

    A user id such as ``@alice:example.org`` inside an Arabic sentence would otherwise
    be reordered by the surrounding right-to-left text ("alice:example.org@").
    """
    return f"\u2068{text}\u2069"


def one_line(text: str, limit: int = TITLE_MAX) -> str:
    """Text someone else chose, made safe to show inside a line of ours.

    Control and format characters go (a newline would push what follows out of sight; a
    bidi override or an unmatched isolate would reorder what follows it, our own words
    included), whitespace collapses (a run of spaces would push them out too), and the
    text stops at ``limit`` characters.
    """
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf")
    )
    return " ".join(kept.split())[:limit].strip()


def plain_name(text: str) -> str:
    """A display name someone else chose, made safe to show as one short line
    (``one_line``, at most ``NAME_MAX`` characters).

    A name holding a Matrix id is dropped (``""``): "Karim (@karim:ministry.example)"
    chosen by someone else would otherwise pass for Karim, so the caller shows the
    sender's real id alone.
    """
    name = one_line(text, limit=len(text))
    return "" if USER_ID_IN_TEXT.search(name) else name[:NAME_MAX].strip()
