"""Ed25519 signatures on JSON objects, checked the way the spec makes them.

A signed object carries ``signatures: {user id: {"ed25519:<key id>": <base64>}}``; the
signature covers the object's canonical JSON without ``signatures`` and ``unsigned``.
Every check here answers True or False and never raises: input from the server or from
another account is untrusted, and garbage is simply "not signed".
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.core.canonical_json import signing_bytes


def unpadded_b64(data: bytes) -> str:
    """Matrix's base64: standard alphabet, no padding."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def signature_of(signed: Mapping[str, Any], user_id: str, key_id: str) -> str | None:
    """The signature ``user_id`` claims to have made on ``signed`` with ``ed25519:key_id``."""
    signatures = signed.get("signatures")
    by_user = signatures.get(user_id) if isinstance(signatures, Mapping) else None
    found = by_user.get(f"ed25519:{key_id}") if isinstance(by_user, Mapping) else None
    return found if isinstance(found, str) else None


def signed_by(signed: Any, user_id: str, public_key: str, key_id: str = "") -> bool:
    """Whether ``signed`` holds a valid signature of ``user_id``'s Ed25519 key
    ``public_key`` (unpadded base64), named ``ed25519:<key_id>``: a device's own key is
    named by its device id, a cross-signing key by its public key (the default)."""
    if not isinstance(signed, Mapping) or not public_key:
        return False
    signature = signature_of(signed, user_id, key_id or public_key)
    if signature is None:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(_b64(public_key))
        key.verify(_b64(signature), signing_bytes(signed))
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
    return True
