"""The recovery key a person writes down and types back, and the passphrase alternative."""

from __future__ import annotations

import hashlib
import random

import pytest

from app.core import recovery_key
from app.core.recovery_key import RecoveryKeyError


def test_a_key_survives_being_written_down_and_typed_back() -> None:
    key = recovery_key.new_key()
    shown = recovery_key.encode(key)
    groups = shown.split(" ")
    assert all(len(g) == 4 for g in groups[:-1]) and 1 <= len(groups[-1]) <= 4
    assert shown.startswith("E")  # the 0x8B 0x01 prefix makes every key start alike
    typed = "  " + "\n".join(" ".join(groups[i : i + 3]) for i in range(0, len(groups), 3))
    assert recovery_key.decode(typed) == key
    assert recovery_key.decode(shown.replace(" ", "")) == key


def test_the_spec_layout_prefix_key_and_parity() -> None:
    """Decoding the base58 by hand gives 0x8B 0x01, the key and an XOR-to-zero parity byte."""
    key = bytes(range(32))
    text = recovery_key.encode(key).replace(" ", "")
    number = 0
    for char in text:
        number = number * 58 + recovery_key.ALPHABET.index(char)
    raw = number.to_bytes(35, "big")
    assert raw[:2] == b"\x8b\x01" and raw[2:34] == key
    parity = 0
    for byte in raw[:34]:
        parity ^= byte
    assert raw[34] == parity


def test_a_typo_is_caught_before_anything_is_tried() -> None:
    shown = recovery_key.encode(recovery_key.new_key())
    position = 10
    wrong = "2" if shown[position] != "2" else "3"
    typo = shown[:position] + wrong + shown[position + 1 :]
    with pytest.raises(RecoveryKeyError) as caught:
        recovery_key.decode(typo)
    assert caught.value.reason in {"typo", "wrong_length"}
    with pytest.raises(RecoveryKeyError) as caught:
        recovery_key.decode(shown[:-2])
    assert caught.value.reason == "wrong_length"
    with pytest.raises(RecoveryKeyError) as caught:
        recovery_key.decode(shown.replace(shown[5], "0", 1))  # 0 is not a base58 digit
    assert caught.value.reason == "bad_character"
    assert not recovery_key.looks_like_key("correct horse battery staple")


def test_nearly_every_single_character_typo_is_caught() -> None:
    """One parity byte cannot catch every typo (about 1 in 400 slips through and then
    fails the key check on the server's description instead); fixed keys, so it is exact."""
    rng = random.Random(11)
    missed = tried = 0
    for _ in range(50):
        shown = recovery_key.encode(rng.randbytes(32)).replace(" ", "")
        for position, char in enumerate(shown):
            other = "A" if char != "A" else "B"
            tried += 1
            missed += recovery_key.looks_like_key(shown[:position] + other + shown[position + 1 :])
    assert missed / tried < 0.01


def test_a_passphrase_derives_the_spec_key() -> None:
    """m.pbkdf2 is PBKDF2-HMAC-SHA-512 over the passphrase and salt, bits/8 bytes long."""
    derived = recovery_key.from_passphrase("correct horse", "salt-1", 1000)
    assert derived == hashlib.pbkdf2_hmac("sha512", b"correct horse", b"salt-1", 1000, 32)
    assert len(derived) == 32
    assert derived != recovery_key.from_passphrase("correct horse", "salt-2", 1000)
