"""The seal's rules without a server: the chain every member computes alike, what makes
a seal unreadable, and whose signature holds."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.core.seals import Seal, SealVerdict, judge, read_seal, sealed_content, span_head
from app.core.seals.seal import signature_holds

ROOM = "!ops:example.org"
ME = "@amal:example.org"


def event(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": f"$e{n}",
        "sender": "@omar:example.org",
        "origin_server_ts": 1_700_000_000_000 + n,
        "type": "m.room.encrypted",
        "content": {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": f"c{n}"},
        **extra,
    }


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def test_the_chain_ignores_what_differs_per_recipient_and_nothing_else() -> None:
    mine = [event(1, unsigned={"age": 5, "transaction_id": "t1"}), event(2)]
    theirs = [event(1, unsigned={"age": 9000}), event(2, unsigned={"age": 1})]
    assert span_head(mine) == span_head(theirs)
    assert span_head(mine)[0] == 2
    altered = [event(1), {**event(2), "content": {"ciphertext": "other"}}]
    assert span_head(altered) != span_head(mine)
    assert span_head(list(reversed(mine))) != span_head(mine)  # order is part of it
    assert span_head(mine[:1]) != span_head(mine)


def test_a_seal_is_signed_by_its_device_and_nothing_else_verifies() -> None:
    device = Ed25519PrivateKey.generate()
    public = b64(device.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    count, head = span_head([event(1), event(2)])
    seal = Seal(ROOM, "$e1", "$e2", count, head, "DEVICE")
    content = sealed_content(seal, ME, lambda payload: b64(device.sign(payload)))

    assert read_seal(content) == seal
    assert signature_holds(content, ME, public)
    assert not signature_holds({**content, "count": 3}, ME, public)  # altered after signing
    assert not signature_holds(content, "@other:example.org", public)  # not the signer
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert not signature_holds(content, ME, b64(other))
    assert not signature_holds(content, ME, None)  # a device we do not know
    assert not signature_holds({**content, "signatures": "x"}, ME, public)


def test_what_a_seal_is_judged() -> None:
    seal = Seal(ROOM, "$e1", "$e2", 2, "h", "DEVICE")
    assert judge(seal, ROOM, (2, "h")) is SealVerdict.AGREES
    assert judge(seal, ROOM, (1, "g")) is SealVerdict.DIFFERS
    assert judge(seal, ROOM, None) is SealVerdict.PENDING  # we lack an end of the span
    assert judge(seal, "!elsewhere:example.org", (2, "h")) is SealVerdict.FORGED


def test_content_that_is_not_a_seal_says_why() -> None:
    count, head = span_head([event(1)])
    good = sealed_content(Seal(ROOM, "$e1", "$e1", count, head, "D"), ME, lambda _: "sig")
    assert isinstance(read_seal(good), Seal)
    assert "algorithm" in str(read_seal({**good, "algorithm": "v0"}))
    assert "count" in str(read_seal({**good, "count": 0}))
    assert "count" in str(read_seal({**good, "count": True}))
    assert "head" in str(read_seal({k: v for k, v in good.items() if k != "head"}))
