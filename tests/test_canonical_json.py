"""Canonical JSON is what other Matrix clients sign and check: byte-exact examples."""

import pytest

from app.core.canonical_json import canonical_json, signing_bytes

pytestmark = pytest.mark.unit


def test_keys_sorted_without_whitespace_and_utf8_kept() -> None:
    assert canonical_json({"b": 2, "a": {"d": 1, "c": "日本"}}) == (
        '{"a":{"c":"日本","d":1},"b":2}'.encode()
    )


def test_signatures_and_unsigned_are_not_signed() -> None:
    key = {"user_id": "@a:x", "keys": {"ed25519:K": "k"}, "signatures": {}, "unsigned": {"n": 1}}
    assert signing_bytes(key) == b'{"keys":{"ed25519:K":"k"},"user_id":"@a:x"}'
