"""The seal event: what it carries, how it is signed, and how a received one is judged.

Content of ``org.openopsroom.seal`` (always sent encrypted, machine-only)::

    {"algorithm": "org.openopsroom.seal.v1", "room_id": "!r", "first_event_id": "$a",
     "last_event_id": "$z", "count": 42, "head": "<sha256 hex>", "device_id": "DEV",
     "signatures": {"@me:hs": {"ed25519:DEV": "<unpadded base64>"}}}

Signed like Matrix signed JSON: the device's Ed25519 identity key over the canonical
JSON of the content without ``signatures`` (``core/canonical_json.signing_bytes``).
"""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.core import roles
from app.core.canonical_json import signing_bytes

SEAL = roles.NS + "seal"
ALGORITHM = "org.openopsroom.seal.v1"
NOTE_DIFFERS = "records differ; ours: "  # the archive's note on a disagreeing seal, + our count
_FIELDS = ("room_id", "first_event_id", "last_event_id", "head", "device_id")


@dataclass(frozen=True, slots=True)
class Seal:
    """One member's statement: "my record of this room from ``first`` to ``last`` is
    ``count`` events whose chain ends in ``head``"."""

    room_id: str
    first_event_id: str
    last_event_id: str
    count: int
    head: str
    device_id: str


class SealVerdict(enum.StrEnum):
    AGREES = "agrees"
    DIFFERS = "differs"  # same span, another record: a server dropped or altered events
    FORGED = "forged"  # the signature does not hold (or the seal names another room)
    PENDING = "pending"  # we do not hold both ends of the span (yet)


def signing_payload(content: Mapping[str, Any]) -> bytes:
    return signing_bytes(content)


def sealed_content(seal: Seal, user_id: str, sign: Callable[[bytes], str]) -> dict[str, Any]:
    """The event content of ``seal``, signed by this device (``sign`` = its Ed25519 key)."""
    body: dict[str, Any] = {
        "algorithm": ALGORITHM,
        "room_id": seal.room_id,
        "first_event_id": seal.first_event_id,
        "last_event_id": seal.last_event_id,
        "count": seal.count,
        "head": seal.head,
        "device_id": seal.device_id,
    }
    signature = sign(signing_payload(body))
    return {**body, "signatures": {user_id: {f"ed25519:{seal.device_id}": signature}}}


def read_seal(content: Mapping[str, Any]) -> Seal | str:
    """The seal in ``content``, or why it is not one (a reason a person can read)."""
    if content.get("algorithm") != ALGORITHM:
        return f"unknown seal algorithm {content.get('algorithm')!r}"
    if any(not isinstance(content.get(name), str) or not content[name] for name in _FIELDS):
        return "a seal needs room_id, first_event_id, last_event_id, head and device_id"
    count = content.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return "a seal's count must be a positive whole number"
    return Seal(
        room_id=content["room_id"],
        first_event_id=content["first_event_id"],
        last_event_id=content["last_event_id"],
        count=count,
        head=content["head"],
        device_id=content["device_id"],
    )


def signature_holds(content: Mapping[str, Any], sender: str, device_key: str | None) -> bool:
    """Whether the sender's device (its Ed25519 key, unpadded base64) signed ``content``."""
    if not device_key:
        return False
    device_id = content.get("device_id")
    signatures = content.get("signatures")
    mine = signatures.get(sender) if isinstance(signatures, Mapping) else None
    signature = mine.get(f"ed25519:{device_id}") if isinstance(mine, Mapping) else None
    if not isinstance(signature, str):
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(_unpadded_b64(device_key))
        key.verify(_unpadded_b64(signature), signing_payload(content))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def judge(seal: Seal, room_id: str, ours: tuple[int, str] | None) -> SealVerdict:
    """A seal whose signature holds, against our (count, head) over the same span (None
    when we do not hold both ends)."""
    if seal.room_id != room_id:
        return SealVerdict.FORGED  # replayed from another room
    if ours is None:
        return SealVerdict.PENDING
    return SealVerdict.AGREES if ours == (seal.count, seal.head) else SealVerdict.DIFFERS


def _unpadded_b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
