"""The recovery key a person writes down, and the passphrase that may stand in for it.

The Matrix spec's form (client-server API, "Key representation"): the 32-byte secret
storage key behind the prefix 0x8B 0x01 and followed by one parity byte (the XOR of all
bytes before it), in Bitcoin base58, shown in groups of four characters. The parity byte
catches most typing mistakes before any network call. On input all whitespace (spaces,
line breaks) is dropped; letter case is kept, because base58 is case-sensitive ("a" and
"A" are different digits), so folding it would turn a right key into a wrong one.
A passphrase becomes the same kind of key through PBKDF2-HMAC-SHA-512 (``m.pbkdf2``).
Pure code: the UI may check a key as it is typed.
"""

from __future__ import annotations

import hashlib
import secrets

KEY_BYTES = 32
PREFIX = bytes((0x8B, 0x01))
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_DIGIT = {c: n for n, c in enumerate(ALPHABET)}
PBKDF2_ITERATIONS = 500_000  # what Element uses for new passphrases


class RecoveryKeyError(ValueError):
    """The text is not a recovery key; ``reason`` is a short code the UI translates."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "bad_character", "wrong_length", "typo"


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _parity(data: bytes) -> int:
    parity = 0
    for byte in data:
        parity ^= byte
    return parity


def _b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _DIGIT:
            raise RecoveryKeyError("bad_character")
        number = number * 58 + _DIGIT[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode(key: bytes) -> str:
    """The key as a person writes it down: groups of four, separated by spaces."""
    if len(key) != KEY_BYTES:
        raise ValueError("a recovery key holds 32 bytes")
    data = PREFIX + key
    text = _b58encode(data + bytes((_parity(data),)))
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def decode(text: str) -> bytes:
    """The 32-byte key a typed recovery key stands for; RecoveryKeyError if it is not one."""
    data = _b58decode("".join(text.split()))
    if len(data) != len(PREFIX) + KEY_BYTES + 1 or not data.startswith(PREFIX):
        raise RecoveryKeyError("wrong_length")
    if _parity(data) != 0:  # the parity byte makes the XOR of every byte zero
        raise RecoveryKeyError("typo")
    return data[len(PREFIX) : -1]


def looks_like_key(text: str) -> bool:
    """Whether a typed text is a well-formed recovery key (else it may be a passphrase)."""
    try:
        decode(text)
    except RecoveryKeyError:
        return False
    return True


def from_passphrase(passphrase: str, salt: str, iterations: int, bits: int = 256) -> bytes:
    """The key an ``m.pbkdf2`` passphrase stands for (PBKDF2 with SHA-512)."""
    return hashlib.pbkdf2_hmac(
        "sha512", passphrase.encode("utf-8"), salt.encode("utf-8"), iterations, bits // 8
    )
