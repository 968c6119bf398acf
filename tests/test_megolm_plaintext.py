"""Which Megolm events the guarded Olm machine calls malformed for good, and which it
leaves waiting for a key.

Why: nio 0.26 reports a plaintext that is not JSON with the same EncryptionError as a
missing room key or a replay. ``GuardedOlm`` makes only a plaintext it has decrypted
itself and found no JSON object a malformed row (which no later key upgrades); anything
else must still raise, whatever exception happens to be handled around the call (an
earlier version read Python's implicit ``__context__``, which is any exception being
handled up the stack). Real vodozemac sessions throughout: a sender's outbound session,
its key given to the receiver's machine as a room key would be.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nio import MegolmEvent
from nio.crypto import Olm, OlmDevice, OutboundGroupSession
from nio.exceptions import EncryptionError

from app.matrix.crypto.olm import GuardedOlm
from app.matrix.crypto.unreadable import UnreadablePlaintext
from app.matrix.nio_client import CryptoStore

ROOM, SENDER, SENDER_KEY = "!ops:localhost", "@mallory:localhost", "mallory-curve25519-key"


def _machine(tmp_path: Path) -> GuardedOlm:
    store = CryptoStore("@alice:localhost", "ALICEDEV", str(tmp_path), "pickle key", "c.db")
    return GuardedOlm.guard(Olm("@alice:localhost", "ALICEDEV", store), [])


def _event(session: OutboundGroupSession, plaintext: bytes, event_id: str) -> MegolmEvent:
    """A Megolm event as a room member could send it: any bytes, encrypted."""
    ciphertext = session._session.encrypt(plaintext).to_base64()  # nio encrypts only str
    return _envelope(session.id, ciphertext, event_id)


def _envelope(session_id: str, ciphertext: str, event_id: str) -> MegolmEvent:
    event = MegolmEvent.from_dict(
        {
            "type": "m.room.encrypted",
            "event_id": event_id,
            "sender": SENDER,
            "origin_server_ts": 1_700_000_000_000,
            "room_id": ROOM,
            "content": {
                "algorithm": "m.megolm.v1.aes-sha2",
                "sender_key": SENDER_KEY,
                "ciphertext": ciphertext,
                "session_id": session_id,
                "device_id": "MALLORYDEV",
            },
        }
    )
    assert isinstance(event, MegolmEvent), event
    return event


def _give_key(machine: GuardedOlm, session: OutboundGroupSession) -> None:
    machine.create_group_session(
        SENDER_KEY, "mallory-ed25519", ROOM, session.id, session.session_key
    )


def _decrypted_in_an_except_block(machine: GuardedOlm, event: MegolmEvent) -> object:
    """Decrypt while a JSONDecodeError is being handled, as any caller up the stack may
    be doing (what nio raises then has it as its implicit context)."""
    try:
        json.loads("not JSON")
    except json.JSONDecodeError:
        return machine.decrypt_megolm_event(event, ROOM)
    raise AssertionError("unreachable")


def test_a_missing_key_waits_even_while_a_json_error_is_handled(tmp_path: Path) -> None:
    machine, sender = _machine(tmp_path), OutboundGroupSession()
    event = _event(sender, b"hello, not JSON", "$no-key")
    with pytest.raises(EncryptionError, match="no session"):
        _decrypted_in_an_except_block(machine, event)


@pytest.mark.parametrize(
    ("plaintext", "reason"), [(b"hello, not JSON", "not valid JSON"), (b"\xff\xfe", "not UTF-8")]
)
def test_a_replayed_odd_plaintext_is_a_replay_not_a_malformed_row(
    tmp_path: Path, plaintext: bytes, reason: str
) -> None:
    """The same ciphertext again under a new event id is nio's replay, waiting: a server
    cannot make rows without end out of one message (not UTF-8 is decoded before nio's
    replay check, so the guard makes that check itself)."""
    machine, sender = _machine(tmp_path), OutboundGroupSession()
    _give_key(machine, sender)
    first = _event(sender, plaintext, "$first")
    again = _envelope(sender.id, first.ciphertext, "$again")
    found = machine.decrypt_megolm_event(first, ROOM)
    assert isinstance(found, UnreadablePlaintext) and reason in found.reason
    with pytest.raises(EncryptionError, match="replay"):
        _decrypted_in_an_except_block(machine, again)
    # The first one opened again (a late key, a restart) is still the same row.
    found = machine.decrypt_megolm_event(first, ROOM)
    assert isinstance(found, UnreadablePlaintext) and reason in found.reason


def test_a_message_the_key_cannot_open_waits_even_while_a_json_error_is_handled(
    tmp_path: Path,
) -> None:
    """A key that starts after the message (forwarded from a later index) cannot open
    it: a better key may come, so it waits."""
    machine, sender = _machine(tmp_path), OutboundGroupSession()
    early = _event(sender, b"hello, not JSON", "$early")
    _give_key(machine, sender)  # the key from the next message on
    with pytest.raises(EncryptionError, match="decrypting"):
        _decrypted_in_an_except_block(machine, early)


@pytest.mark.parametrize(
    ("plaintext", "reason"),
    [
        (b"hello, not JSON", "not valid JSON"),
        (b"[1]", "not a JSON object"),
        (b"\xff", "not UTF-8 text"),
    ],
)
def test_a_plaintext_that_is_no_json_object_is_malformed(
    tmp_path: Path, plaintext: bytes, reason: str
) -> None:
    machine, sender = _machine(tmp_path), OutboundGroupSession()
    _give_key(machine, sender)
    found = machine.decrypt_megolm_event(_event(sender, plaintext, "$odd"), ROOM)
    assert isinstance(found, UnreadablePlaintext)
    assert (found.event_id, found.source["sender"]) == ("$odd", SENDER)
    assert f"its decrypted content is unreadable ({reason}" in found.reason


@pytest.mark.parametrize(
    "plaintext",
    [b"[" * 5000, b"[" * 5000 + b"]" * 5000, b'{"a": ' * 5000],
    ids=["open arrays", "closed arrays", "open objects"],
)
def test_a_plaintext_nested_too_deeply_is_malformed_not_an_exception(
    tmp_path: Path, plaintext: bytes
) -> None:
    """A kilobyte of brackets makes Python's JSON parser raise RecursionError, nio's
    and the guard's alike: it escaped the sync step, and the same batch failed for ever."""
    machine, sender = _machine(tmp_path), OutboundGroupSession()
    _give_key(machine, sender)
    found = machine.decrypt_megolm_event(_event(sender, plaintext, "$deep"), ROOM)
    assert isinstance(found, UnreadablePlaintext)
    assert "not valid JSON (nested too deeply)" in found.reason


@pytest.mark.parametrize(
    "plaintext", [b"hello, not JSON", b"\xff\xfe"], ids=["not JSON", "not UTF-8"]
)
def test_an_odd_plaintext_from_a_session_not_of_the_verified_device_is_refused(
    tmp_path: Path, plaintext: bytes
) -> None:
    """Mallory's device is verified, but the room key that opens the message is not
    bound to its keys (a session of someone else's, under mallory's name): nio refuses
    it as a device keys mismatch, and no malformed row may be pinned on mallory."""
    machine, sender = _machine(tmp_path), OutboundGroupSession()
    _give_key(machine, sender)  # bound to "mallory-ed25519"
    keys = {"ed25519": "other-ed25519", "curve25519": SENDER_KEY}
    device = OlmDevice(SENDER, "MALLORYDEV", keys)
    machine.device_store.add(device)
    machine.store.save_device_keys({SENDER: {"MALLORYDEV": device}})
    assert machine.verify_device(device)
    with pytest.raises(EncryptionError, match="Device keys mismatch"):
        machine.decrypt_megolm_event(_event(sender, plaintext, "$spoofed"), ROOM)
