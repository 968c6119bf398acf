"""The cryptography of ``m.sas.v1`` on vodozemac: the offer, the commitment, the short
authentication string and the MACs, with the spec's info strings.

Kept apart from the state machine so the formulas can be read against the spec in one
place. Where matrix-nio 0.26 departs from the spec, what it sends is accepted as well
(never instead), and the comment says why:

- nio writes the commitment as hex; the spec says unpadded base64. Both encode the same
  SHA-256, so accepting either weakens nothing. Answering, hex goes only to a start that
  looks like nio's (``checks_hex_commitment``): Nheko 0.11 offers the same legacy-only
  MAC list but checks base64, as the spec says, and cancels on hex.
- nio offers only ``hkdf-hmac-sha256`` but computes it with the correct base64 that the
  spec reserves for ``hkdf-hmac-sha256.v2``; the spec's legacy MAC keeps libolm's wrong
  base64. Both are HMACs under the shared secret; either is accepted under the old name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import vodozemac

from app.core.canonical_json import canonical_json

SAS_V1 = "m.sas.v1"
KEY_AGREEMENT = "curve25519-hkdf-sha256"
KEY_AGREEMENT_V1 = "curve25519"  # the pre-HKDF agreement: we never choose it
HASH = "sha256"
MAC_V2 = "hkdf-hmac-sha256.v2"
MAC_LEGACY = "hkdf-hmac-sha256"
MACS = (MAC_V2, MAC_LEGACY)  # in order of preference
SHORT_STRINGS = ("emoji", "decimal")
# Ephemeral keys whose private half anyone can know, so a SAS built on them proves
# nothing: whoever relays the messages (the server) computes the same secret and can
# forge the MACs while both people see matching emoji. Nheko 0.11 (mtxclient's
# SAS::SAS() never fills its random buffer) sends the X25519 key of the all-zero
# private key on every verification (docs/nheko-check.md).
PUBLICLY_KNOWN_KEYS = frozenset({"L+V9o0fNYkMVKNqsX7spBzD/9oSvxM/C7ZCZX1jLO3Q"})


class ProtocolError(Exception):
    """A message the flow cannot go on with: ``code`` is the spec's cancellation code."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def unpadded_b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def start_offer(from_device: str) -> dict[str, Any]:
    """What we offer in ``m.key.verification.start`` (both MACs: nio knows only the old)."""
    return {
        "from_device": from_device,
        "method": SAS_V1,
        "key_agreement_protocols": [KEY_AGREEMENT],
        "hashes": [HASH],
        "message_authentication_codes": list(MACS),
        "short_authentication_string": list(SHORT_STRINGS),
    }


def _strings(content: Mapping[str, Any], name: str) -> list[str]:
    value = content.get(name)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError("m.invalid_message", f"{name} must be a list of strings")
    return value


def choose(start: Mapping[str, Any]) -> dict[str, Any]:
    """Our answer to an offer (the accept's choices), or ProtocolError(m.unknown_method)."""
    if start.get("method") != SAS_V1:
        raise ProtocolError("m.unknown_method", f"method {str(start.get('method'))[:64]!r}")
    agreements = _strings(start, "key_agreement_protocols")
    hashes = _strings(start, "hashes")
    macs = _strings(start, "message_authentication_codes")
    strings = [s for s in SHORT_STRINGS if s in _strings(start, "short_authentication_string")]
    mac = next((m for m in MACS if m in macs), None)
    if KEY_AGREEMENT not in agreements or HASH not in hashes or mac is None or not strings:
        raise ProtocolError("m.unknown_method", "no method both sides know")
    return {
        "key_agreement_protocol": KEY_AGREEMENT,
        "hash": HASH,
        "message_authentication_code": mac,
        "short_authentication_string": strings,
    }


def check_choice(accept: Mapping[str, Any]) -> str:
    """The MAC method of an accept to our offer; ProtocolError if it chose outside it."""
    strings = _strings(accept, "short_authentication_string")
    mac = accept.get("message_authentication_code")
    if (
        accept.get("key_agreement_protocol") != KEY_AGREEMENT
        or accept.get("hash") != HASH
        or mac not in MACS
        or not any(s in SHORT_STRINGS for s in strings)
    ):
        raise ProtocolError("m.unknown_method", "the accept chose a method we did not offer")
    if not isinstance(accept.get("commitment"), str):
        raise ProtocolError("m.invalid_message", "an accept without a commitment")
    return str(mac)


def commitment(public_key: str, start: Mapping[str, Any], hex_form: bool = False) -> str:
    """SHA-256 of our public key and the start's canonical JSON: unpadded base64 (spec),
    or hex for a peer that checks it that way (matrix-nio)."""
    digest = hashlib.sha256(public_key.encode() + canonical_json(dict(start))).digest()
    return digest.hex() if hex_form else unpadded_b64(digest)


def checks_hex_commitment(start: Mapping[str, Any]) -> bool:
    """Whether the sender of this start checks our commitment as hex (matrix-nio 0.26)
    instead of the spec's unpadded base64. nio's offer is told by two marks together: no
    ``hkdf-hmac-sha256.v2`` and the pre-HKDF ``curve25519`` agreement still listed. A
    legacy-only MAC list alone is not enough: Nheko 0.11 sends one too (to-device,
    ``curve25519-hkdf-sha256`` only) and cancels ``m.mismatched_commitment`` on hex."""
    macs = _strings(start, "message_authentication_codes")
    return MAC_V2 not in macs and KEY_AGREEMENT_V1 in _strings(start, "key_agreement_protocols")


def commitment_holds(claimed: str, public_key: str, start: Mapping[str, Any]) -> bool:
    return any(
        hmac.compare_digest(claimed, commitment(public_key, start, hex_form))
        for hex_form in (False, True)
    )


def sas_info(starter: tuple[str, str, str], accepter: tuple[str, str, str], flow_id: str) -> str:
    """The HKDF info of the short string: (user, device, public key) of the side that sent
    the start, then of the side that accepted, then the transaction (request event) id."""
    return "|".join(("MATRIX_KEY_VERIFICATION_SAS", *starter, *accepter, flow_id))


def short_strings(
    shared: vodozemac.EstablishedSas, info: str
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The seven emoji (indices into the spec's table) and the three decimals."""
    generated = shared.bytes(info)
    return tuple(generated.emoji_indices), tuple(generated.decimals)


def mac_info(sender: tuple[str, str], receiver: tuple[str, str], flow_id: str) -> str:
    return "MATRIX_KEY_VERIFICATION_MAC" + "".join((*sender, *receiver, flow_id))


def make_mac(
    shared: vodozemac.EstablishedSas, method: str, keys: Mapping[str, str], info: str, fixed: bool
) -> dict[str, Any]:
    """The ``mac`` and ``keys`` fields over our keys (key id -> public key). Under the
    legacy method ``fixed`` picks the correct base64 (what nio checks) over libolm's."""
    legacy = method == MAC_LEGACY and not fixed

    def mac(text: str, extra: str) -> str:
        if legacy:
            return shared.calculate_mac_invalid_base64(text, info + extra)
        return shared.calculate_mac(text, info + extra)

    return {
        "mac": {key_id: mac(key, key_id) for key_id, key in keys.items()},
        "keys": mac(",".join(sorted(keys)), "KEY_IDS"),
    }


def mac_holds(
    shared: vodozemac.EstablishedSas, method: str, text: str, info: str, claimed: str
) -> str | None:
    """Which encoding ``claimed`` was made in ('fixed' or 'libolm'), or None if it is not
    the MAC of ``text``. Only the legacy method admits libolm's encoding."""
    if hmac.compare_digest(claimed, shared.calculate_mac(text, info)):
        return "fixed"
    if method == MAC_LEGACY and hmac.compare_digest(
        claimed, shared.calculate_mac_invalid_base64(text, info)
    ):
        return "libolm"
    return None
