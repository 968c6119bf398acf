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


def is_server_id(event_id: object) -> bool:
    """True for an event id a server can have given: a "$" id within the spec's 255 bytes.

    Anything else (``app.matrix.decode``'s ``local:`` id of an event sent without one,
    junk a sender wrote) names a row of our archive only: sent in a pin, a reply or a
    thread it would point other members at nothing, and as an echo's id it does not
    prove the server holds our message."""
    if not isinstance(event_id, str) or not event_id.startswith("$"):
        return False
    return len(event_id.encode("utf-8", "replace")) <= 255
