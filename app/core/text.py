"""Text rules that do not depend on any toolkit."""

from __future__ import annotations

import unicodedata

_RTL_CLASSES = {"R", "AL"}


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
