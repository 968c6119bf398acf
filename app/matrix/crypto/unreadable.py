"""What a Megolm event whose decrypted payload nio cannot read becomes: a malformed row.

The Olm guard (``app.matrix.crypto.olm``) decides when a payload is unreadable; this
module makes the record of it, from the envelope alone.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from nio import MegolmEvent
from nio.events.misc import UnknownBadEvent

log = logging.getLogger(__name__)


@dataclass
class UnreadablePlaintext(UnknownBadEvent):
    """A Megolm event whose decrypted payload nio cannot make an event of: it is recorded
    malformed, under the envelope's id, sender and time, with ``reason`` as its note.
    (``event_id`` as on any event: the client finds the ciphertext it keeps by it.)"""

    reason: str = ""
    event_id: str = ""


def unreadable_payload(event: MegolmEvent, room_id: str | None, why: str) -> UnreadablePlaintext:
    """The record of a decrypted payload nio could not read: the envelope's facts only
    (the payload's own are not to be trusted, the archive keeps the ciphertext). One
    line in the log, no traceback: any member can send many, and the row says why."""
    log.warning("Megolm event %s from %s is unreadable: %s", event.event_id, event.sender, why)
    found = UnreadablePlaintext(
        {
            "event_id": event.event_id,
            "sender": event.sender,
            "origin_server_ts": event.server_timestamp,
            "type": "m.room.encrypted",
        },
        reason=f"its decrypted content is unreadable ({why[:300]})",
        event_id=event.event_id,
    )
    found.decrypted = True
    found.sender_key, found.session_id = event.sender_key, event.session_id
    return found


def fault_of(plaintext: bytes) -> str | None:
    """What is wrong with a Megolm plaintext as a whole, or None if it is a JSON object."""
    try:
        value = json.loads(plaintext.decode())
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except ValueError:
        return "not valid JSON"
    except RecursionError:  # a kilobyte of brackets is enough
        return "not valid JSON (nested too deeply)"
    return None if isinstance(value, dict) else "not a JSON object"
