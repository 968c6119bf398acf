"""Matrix identifier rules, checked before anything is sent."""

from __future__ import annotations

import re

# Spec: @localpart:server_name; historical localparts allow most printable ASCII but ':'.
_USER_ID = re.compile(r"^@[\x21-\x39\x3B-\x7E]+:[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")
# A user id as it appears inside text (a message, a display name): the common localpart
# characters, so a sentence's punctuation after it is not taken for part of it.
USER_ID_IN_TEXT = re.compile(r"@[\w.=\-/+]+:[\w.\-]+(?::\d+)?")


def is_user_id(text: str) -> bool:
    """True for a well-formed Matrix user id such as ``@alice:example.org``."""
    return len(text) <= 255 and bool(_USER_ID.match(text))
