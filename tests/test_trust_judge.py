"""Reading trust from ``/keys/query`` replies a hostile server could send: a forged
signature, a self-signing key signed by the wrong key, another user's key, garbage.
None of them makes a device or a person trusted, each leaves a record, none raises.

The replies are built with the independent signer of ``tests.cross_signing_peer``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.core.records import RoomEvent
from app.core.trust import device_refusal, judge_user
from tests.cross_signing_peer import Signer, b64, canonical

BOB, ME = "@bob:example.org", "@me:example.org"


def device(user_id: str, device_id: str) -> tuple[dict[str, Any], str]:
    """Device keys signed by the device itself; with its Curve25519 key."""
    private = Ed25519PrivateKey.generate()
    ed = b64(private.public_key().public_bytes_raw())
    curve = b64(Ed25519PrivateKey.generate().public_key().public_bytes_raw())  # any 32 bytes
    keys = {
        "user_id": user_id,
        "device_id": device_id,
        "algorithms": ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
        "keys": {f"ed25519:{device_id}": ed, f"curve25519:{device_id}": curve},
    }
    keys["signatures"] = {user_id: {f"ed25519:{device_id}": b64(private.sign(canonical(keys)))}}
    return keys, curve


class Identity:
    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        self.master, self.ssk, self.usk = Signer(), Signer(), Signer()

    def reply_part(self, *devices: dict[str, Any]) -> dict[str, Any]:
        u = self.user_id
        return {
            "master_keys": {u: self.master.key_object(u, "master")},
            "self_signing_keys": {u: self.master.sign(u, self.ssk.key_object(u, "self_signing"))},
            "user_signing_keys": {u: self.master.sign(u, self.usk.key_object(u, "user_signing"))},
            "device_keys": {u: {d["device_id"]: d for d in devices}},
        }


def merged(*parts: dict[str, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = {}
    for part in parts:
        for section, users in part.items():
            reply.setdefault(section, {}).update(users)
    return reply


def test_a_cross_signed_device_and_a_person_we_verified_are_trusted() -> None:
    bob, me = Identity(BOB), Identity(ME)
    signed, _ = device(BOB, "PHONE")
    plain, _ = device(BOB, "LAPTOP")
    reply = merged(bob.reply_part(bob.ssk.sign(BOB, signed), plain), me.reply_part())
    reply["master_keys"][BOB] = me.usk.sign(ME, reply["master_keys"][BOB])
    ours = judge_user(ME, reply, our_user_id=ME)
    judged = judge_user(BOB, reply, ours.user_signing, ME)
    assert judged.master == bob.master.public and judged.verified
    assert judged.devices["PHONE"].cross_signed and not judged.devices["LAPTOP"].cross_signed
    assert judged.unverified_devices == ("LAPTOP",) and not judged.problems


def test_forged_and_misplaced_signatures_trust_nothing() -> None:
    bob, me, mallory = Identity(BOB), Identity(ME), Signer()
    dev, _ = device(BOB, "PHONE")
    # The device signed by a key that is not Bob's self-signing key, under its name.
    forged = mallory.sign(BOB, dev)
    forged["signatures"][BOB] = {
        f"ed25519:{bob.ssk.public}": forged["signatures"][BOB].pop(f"ed25519:{mallory.public}"),
        **forged["signatures"][BOB],
    }
    reply = merged(bob.reply_part(forged))
    assert not judge_user(BOB, reply).devices["PHONE"].cross_signed

    # A self-signing key signed by the wrong key: no device is cross-signed through it.
    reply = merged(bob.reply_part(bob.ssk.sign(BOB, dev)))
    reply["self_signing_keys"][BOB] = mallory.sign(BOB, bob.ssk.key_object(BOB, "self_signing"))
    judged = judge_user(BOB, reply)
    assert not judged.devices["PHONE"].cross_signed and judged.self_signing == ""
    assert any("self-signing key is not signed" in p for p in judged.problems)

    # Bob's master key "verified" by a user-signing key that our master did not sign.
    reply = merged(bob.reply_part(), me.reply_part())
    reply["user_signing_keys"][ME] = mallory.sign(ME, me.usk.key_object(ME, "user_signing"))
    reply["master_keys"][BOB] = me.usk.sign(ME, reply["master_keys"][BOB])
    ours = judge_user(ME, reply, our_user_id=ME)
    assert not judge_user(BOB, reply, ours.user_signing, ME).verified

    # Another user's master key presented as Bob's.
    reply = merged(bob.reply_part())
    reply["master_keys"][BOB] = me.master.key_object(ME, "master")
    assert judge_user(BOB, reply).master == ""


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        [],
        {"master_keys": "x"},
        {"master_keys": {BOB: {"keys": {"ed25519:a": "b"}, "usage": "master"}}},
        {"device_keys": {BOB: {"D": {"keys": None}}}},
        {
            "device_keys": {
                BOB: {"D": {"user_id": BOB, "device_id": "D", "keys": {"ed25519:D": "!"}}}
            }
        },
        {"self_signing_keys": {BOB: {"signatures": {BOB: {"ed25519:x": 5}}}}},
    ],
)
def test_garbage_reads_as_no_identity(garbage: Any) -> None:
    judged = judge_user(BOB, garbage if isinstance(garbage, dict) else {})
    assert judged.master == "" and not judged.verified
    assert not any(d.cross_signed for d in judged.devices.values())


def test_an_ack_from_a_device_its_owner_did_not_sign_does_not_count() -> None:
    bob = Identity(BOB)
    good, good_curve = device(BOB, "PHONE")
    bad, bad_curve = device(BOB, "NEW")
    reply = merged(bob.reply_part(bob.ssk.sign(BOB, good), bad))
    judged = judge_user(BOB, reply)

    class Book:
        policy_rooms = frozenset({"!delegation"})

        def device_by_curve(self, user_id: str, curve: str) -> Any:
            return judged.device_by_curve(curve) if user_id == BOB else None

    def ack(room: str, curve: str) -> RoomEvent:
        envelope = {"type": "m.room.encrypted", "content": {"sender_key": curve}}
        return RoomEvent("$e", room, BOB, "org.openopsroom.ack", 0, {}, source=envelope)

    assert device_refusal(Book(), ack("!delegation", good_curve)) == ""
    assert "unverified device" in device_refusal(Book(), ack("!delegation", bad_curve))
    assert "unverified device" in device_refusal(Book(), ack("!delegation", "unknown"))
    assert device_refusal(Book(), ack("!operations", bad_curve)) == ""
    plain = replace(ack("!delegation", good_curve), source={"type": "m.room.message"})
    assert "unverified device" in device_refusal(Book(), plain)
