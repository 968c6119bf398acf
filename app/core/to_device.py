"""To-device messages this device could not use, and why: what the record keeps of them.

Any account on a homeserver can send any device a to-device message, so a message that
cannot be read is an everyday event, not an error: it is recorded with its reason and
skipped, and the sync goes on. These plain records cross from the Matrix layer to the
store and the UI; they carry no library objects.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class ToDeviceFault(enum.StrEnum):
    """Why a to-device message was skipped."""

    UNKNOWN_ONE_TIME_KEY = "unknown_one_time_key"  # a pre-key message for a key we never had
    UNDECRYPTABLE = "undecryptable"  # no Olm session opens it: broken, replayed or wedged
    GARBLED = "garbled"  # the ciphertext is not an Olm message at all
    NOT_FOR_US = "not_for_us"  # no ciphertext for this device's identity key
    UNKNOWN_ALGORITHM = "unknown_algorithm"
    BAD_PAYLOAD = "bad_payload"  # decrypted, but not a valid Olm payload for us from them
    MALFORMED = "malformed"  # fields missing or of the wrong type
    OVERSIZED = "oversized"
    FAILED = "failed"  # handling it raised something unexpected (kept with the exception)


# Beyond this a to-device message is dropped unread: the largest honest one (a room key
# or a verification step) is a few kilobytes, and the spec caps events at 64 KiB.
MAX_TO_DEVICE_BYTES = 65_536


@dataclass(frozen=True, slots=True)
class ToDeviceProblem:
    """One skipped to-device message. ``sender`` is server-authenticated; the device is
    what our device store says the sender key belongs to ('' when nobody knows)."""

    sender: str
    event_type: str
    fault: ToDeviceFault
    detail: str = ""
    sender_key: str = ""
    sender_device: str = ""
    source: str = ""  # canonical JSON of the event as received, cut to a bounded length


def summarize(problems: Iterable[ToDeviceProblem]) -> list[str]:
    """One line per sending device, as a person reads it in the log or the status bar:
    '3 undecryptable messages from device ABC of @mallory:hs (unknown_one_time_key)'."""
    groups: dict[tuple[str, str], list[ToDeviceProblem]] = {}
    for problem in problems:
        groups.setdefault((problem.sender, problem.sender_device), []).append(problem)
    lines = []
    for (sender, device), found in groups.items():
        faults = ", ".join(sorted({p.fault.value for p in found}))
        source = f"device {device} of {sender}" if device else sender
        noun = "message" if len(found) == 1 else "messages"
        lines.append(f"{len(found)} undecryptable {noun} from {source} ({faults})")
    return lines
