"""The SAS state machine on its own: two flows talking to each other in memory, with
vodozemac's real key agreement (no server, so these run in the fast tier)."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import vodozemac
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.verification import Phase, Transport
from app.matrix.verification import sas
from app.matrix.verification.flow import Flow, Out, Own
from app.matrix.verification.sas import ProtocolError

ALICE = Own("@alice:hs", "ALICEDEV", "A" * 43)
BOB = Own("@bob:hs", "BOBDEV", "B" * 43)
KEYS = {("@alice:hs", "ALICEDEV"): ALICE.ed25519, ("@bob:hs", "BOBDEV"): BOB.ed25519}


def pair(transport: Transport = Transport.TO_DEVICE) -> tuple[Flow, Flow]:
    def lookup(user: str, device: str) -> str | None:
        return KEYS.get((user, device))

    alice = Flow("a", transport, ALICE, BOB.user, incoming=False, device_key=lookup, flow_id="tx")
    bob = Flow("b", transport, BOB, ALICE.user, incoming=True, device_key=lookup, flow_id="tx")
    bob.other_device = ALICE.device
    return alice, bob


def deliver(out: list[Out], to: Flow) -> list[Out]:
    answers: list[Out] = []
    for kind, content in out:
        answers += to.receive(kind.removeprefix("m.key.verification."), content)
    return answers


def to_showing(alice: Flow, bob: Flow) -> None:
    ready = bob.accept()
    start = deliver(ready, alice)
    accept = deliver(start, bob)
    key = deliver(accept, alice)
    their_key = deliver(key, bob)
    assert deliver(their_key, alice) == []
    assert alice.phase is bob.phase is Phase.SHOWING


def test_both_sides_see_the_same_seven_emoji_and_finish_verified() -> None:
    for transport in Transport:
        alice, bob = pair(transport)
        to_showing(alice, bob)
        assert len(alice.emoji) == 7 and alice.emoji == bob.emoji
        assert alice.decimals == bob.decimals and all(1000 <= n <= 9191 for n in alice.decimals)
        mac = alice.confirm()
        assert deliver(mac, bob) == [] and bob.phase is Phase.SHOWING  # bob has not confirmed
        answers = bob.confirm()
        assert [k for k, _ in answers] == ["m.key.verification.mac", "m.key.verification.done"]
        deliver(answers, alice)
        assert alice.phase is bob.phase is Phase.DONE


def test_a_key_that_does_not_match_its_commitment_is_refused() -> None:
    alice, bob = pair()
    start = deliver(bob.accept(), alice)
    accept = deliver(start, bob)
    deliver(accept, alice)
    forged = vodozemac.Sas().public_key.to_base64()
    try:
        alice.receive("key", {"transaction_id": "tx", "key": forged})
    except ProtocolError as exc:
        assert exc.code == "m.mismatched_commitment"
    else:
        raise AssertionError("a forged key was taken")
    assert alice.emoji == ()


def test_a_mac_under_another_key_is_refused_after_the_user_confirms() -> None:
    alice, bob = pair()
    to_showing(alice, bob)
    alice.confirm()
    bob.confirm()  # sends bob's real MAC, which we drop
    try:
        alice.receive("mac", {"transaction_id": "tx", "keys": "x", "mac": {"ed25519:BOBDEV": "x"}})
    except ProtocolError as exc:
        assert exc.code == "m.key_mismatch"
    else:
        raise AssertionError("a forged MAC was taken")
    assert alice.phase is not Phase.DONE


def test_crossing_starts_keep_the_lower_user_ids() -> None:
    alice, bob = pair()
    ready = bob.accept()
    alice_start = deliver(ready, alice)
    bob_start = ("m.key.verification.start", bob.bind(sas.start_offer(BOB.device)))
    assert deliver([bob_start], alice) == []  # @alice < @bob: Alice's start stands
    accept = deliver(alice_start, bob)
    assert [k for k, _ in accept] == ["m.key.verification.accept"]


def test_a_legacy_only_offer_is_answered_the_way_nio_checks_it() -> None:
    """matrix-nio offers only hkdf-hmac-sha256, still lists the pre-HKDF curve25519
    agreement, and checks the commitment as hex: that is what Bob (us) answers, and his
    MAC waits for nio's to answer in its encoding (the exchange itself is covered
    against real nio in test_verification_nio)."""
    alice, bob = pair()
    offer = {
        **sas.start_offer(ALICE.device),
        "key_agreement_protocols": ["curve25519", "curve25519-hkdf-sha256"],  # nio 0.26's
        "message_authentication_codes": [sas.MAC_LEGACY],
    }
    bob.take_bare_start(alice.bind(offer))
    (accept,) = bob.accept()
    assert accept[1]["message_authentication_code"] == sas.MAC_LEGACY
    commitment = accept[1]["commitment"]
    assert len(commitment) == 64 and int(commitment, 16) >= 0  # hex
    assert bob.phase is Phase.STARTED and bob.incoming


def test_nhekos_legacy_only_start_gets_the_spec_base64_commitment() -> None:
    """Nheko 0.11.3's to-device start as it sent it (docs/nheko-check.md): only the legacy
    MAC, like nio, but the spec's key agreement alone, and it checks the commitment as
    unpadded base64, as the spec says; it cancelled (m.mismatched_commitment) when we
    answered in hex. Checked here independently of sas.py: SHA-256 of our public key and
    the start's canonical JSON, unpadded base64."""
    _alice, bob = pair()
    bob.accept()
    start = {
        "from_device": ALICE.device,
        "hashes": ["sha256"],
        "key_agreement_protocols": ["curve25519-hkdf-sha256"],
        "message_authentication_codes": ["hkdf-hmac-sha256"],
        "method": "m.sas.v1",
        "short_authentication_string": ["decimal", "emoji"],
        "transaction_id": "tx",
    }
    ((_, accept),) = bob.receive("start", start)
    nheko = vodozemac.Sas()
    ((_, our_key),) = bob.receive(
        "key", {"key": nheko.public_key.to_base64(), "transaction_id": "tx"}
    )
    canonical = json.dumps(start, sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(our_key["key"].encode() + canonical).digest()
    assert accept["commitment"] == base64.b64encode(digest).decode().rstrip("=")
    assert bob.phase is Phase.SHOWING and len(bob.emoji) == 7


def test_a_key_whose_private_half_is_public_is_refused() -> None:
    """Nheko 0.11 sends the X25519 key of the all-zero private key (docs/nheko-check.md):
    the server could compute the secret and forge the MACs under matching emoji. Derived
    here independently with `cryptography`; the flow refuses it before any emoji."""
    zero = X25519PrivateKey.from_private_bytes(bytes(32)).public_key().public_bytes_raw()
    _alice, bob = pair()
    bob.accept()
    bob.receive("start", {**sas.start_offer(ALICE.device), "transaction_id": "tx"})
    try:
        bob.receive(
            "key", {"key": base64.b64encode(zero).decode().rstrip("="), "transaction_id": "tx"}
        )
    except ProtocolError as exc:
        assert exc.code == "org.openopsroom.known_key"
    else:
        raise AssertionError("a publicly known key was taken")
    assert bob.emoji == () and bob.phase is not Phase.SHOWING


def test_an_offer_without_a_method_we_know_is_refused() -> None:
    _alice, bob = pair()
    for change in (
        {"method": "m.reciprocate.v1"},
        {"hashes": ["md5"]},
        {"short_authentication_string": []},
        {"key_agreement_protocols": "x"},
    ):
        try:
            bob.take_bare_start({**sas.start_offer(ALICE.device), **change})
        except ProtocolError as exc:
            assert exc.code in ("m.unknown_method", "m.invalid_message")
        else:
            raise AssertionError(f"{change} was taken")


def test_a_mac_covering_a_master_key_hands_it_over() -> None:
    """Element's MAC names its master cross-signing key beside the device key; so does
    ours once the account has one. The other side learns it only through a checked MAC."""
    alice, bob = pair()
    master = sas.unpadded_b64(os.urandom(32))  # an Ed25519 public key's form
    bob.own = Own(BOB.user, BOB.device, BOB.ed25519, master=master)
    to_showing(alice, bob)
    alice.confirm()
    deliver(bob.confirm(), alice)
    assert alice.phase is Phase.DONE and alice.master_key == master
    assert bob.master_key is None  # Alice has no master key to offer
