"""Why an archived event cannot be read yet, in words the timeline shows.

Kept apart from the account's loop because the rule is small and pure: an event whose
sender (or one of our own devices) said it will not send the key shows that refusal
with its spec code; otherwise it shows whom the key was asked from. A refusal, once
noted, is not overwritten by a later 'asked again'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.core.records import NOTE_REQUESTED as REQUESTED
from app.core.records import NOTE_WITHHELD as WITHHELD
from app.core.records import RoomEvent
from app.matrix import Withheld


def notes_for(
    locked: Iterable[RoomEvent],
    asked_from: Mapping[str, str],
    withheld: Mapping[str, Withheld],
    own_user: str,
) -> dict[str, str]:
    """event id -> note, for events still undecrypted.

    A withheld notice counts only from the event's sender or from our own user: anyone
    can send one, and it must not let a stranger label others' messages."""
    notes: dict[str, str] = {}
    for event in locked:
        content = event.source.get("content")
        session_id = content.get("session_id") if isinstance(content, Mapping) else None
        refusal = withheld.get(session_id) if isinstance(session_id, str) else None
        if refusal is not None and refusal.sender in (event.sender, own_user):
            notes[event.event_id] = WITHHELD + refusal.code
        elif event.note.startswith(WITHHELD):
            continue
        elif event.event_id in asked_from:
            notes[event.event_id] = REQUESTED + asked_from[event.event_id]
    return notes
