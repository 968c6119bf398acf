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


# Bidi controls that reorder text beyond themselves: embeddings and overrides (LRE, RLE,
# PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI), an unmatched PDI closing the isolate
# our words put around a title. The marks LRM, RLM and ALM stay: they only set the
# direction of the text beside them, and cannot reach out of an isolate.
_REORDERING = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Format characters a title or a name needs: ZWNJ (Persian "های" stays apart from what
# precedes it), ZWJ (emoji sequences, Arabic joining), and the directional marks above.
_KEPT_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")


def _shown(char: str) -> bool:
    """Whether ``char`` may stay in a line someone else's text is shown in: no control
    (Cc: NUL, escape codes), no lone surrogate (Cs), no reordering bidi control, and
    of the other invisible format characters (Cf: zero-width space, word joiner, BOM)
    only those a real text needs (``_KEPT_FORMAT``)."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cs") or char in _REORDERING:
        return False
    return category != "Cf" or char in _KEPT_FORMAT


def one_line(text: str, limit: int = TITLE_MAX) -> str:
    """Text someone else chose, made safe to show inside a line of ours.

    Controls go (a newline would push what follows out of sight; a bidi override or an
    unmatched isolate would reorder what follows it, our own words included), and
    invisible format characters that no text needs (``_shown``); whitespace, line and
    paragraph separators included, collapses to single spaces (a run of spaces would
    push our words out too), and the text stops at ``limit`` characters. Marks and joiners
    alone are no text (``""``): a caller shows what it shows for no title, not a blank.
    """
    kept = "".join(
        " " if char.isspace() else char for char in text if char.isspace() or _shown(char)
    )
    line = " ".join(kept.split())[:limit].strip()
    return line if any(unicodedata.category(char) not in ("Cf", "Zs") for char in line) else ""


def plain_name(text: str) -> str:
    """A display name someone else chose, made safe to show as one short line
    (``one_line``, at most ``NAME_MAX`` characters).

    A name holding a Matrix id is dropped (``""``): "Karim (@karim:ministry.example)"
    chosen by someone else would otherwise pass for Karim, so the caller shows the
    sender's real id alone.
    """
    name = one_line(text, limit=len(text))
    # Read for an id without the format characters kept for display: an RLM or a ZWJ
    # inside "@minister:ministry.example" hides the id from the pattern, not from a reader.
    bare = "".join(char for char in name if unicodedata.category(char) != "Cf")
    return "" if USER_ID_IN_TEXT.search(bare) else name[:NAME_MAX].strip()
