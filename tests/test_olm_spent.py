"""Which Olm messages the guarded Olm machine reports spent (``on_read``), and what it
records of each.

Why: after a restart Synapse may send again the to-device messages of a batch whose
token was never committed; the screen holds back exactly the copies the guard reported
spent. An Olm message is spent once nio saved the session that opened it, past it:
whatever then went wrong with its payload (a room key the store refused, a payload
addressed to someone else, a room key nio's schema refuses), a copy can no longer
open, and judged again it would be "undecryptable" and a healthy session "repaired".
One whose session was never saved is not spent. Real vodozemac sessions throughout:
the sender is a plain nio Olm machine.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path
from typing import Any

from nio import OlmEvent, ToDeviceEvent
from nio.crypto import Olm, OutboundGroupSession

from app.core.to_device import ToDeviceFault, ToDeviceProblem
from app.matrix.crypto.olm import GuardedOlm
from app.matrix.nio_client import CryptoStore

ALICE, MALLORY = "@alice:localhost", "@mallory:localhost"


class Alice:
    """The receiving device: a guarded machine, what it recorded, what it called spent."""

    def __init__(self, root: Path) -> None:
        store = CryptoStore(ALICE, "ALICEDEV", str(root), "pickle key", "alice.db")
        self.problems: list[ToDeviceProblem] = []
        self.spent: list[dict[str, Any]] = []
        self.olm = GuardedOlm.guard(Olm(ALICE, "ALICEDEV", store), self.problems, self.spent.append)

    def faults(self) -> list[tuple[ToDeviceFault, str]]:
        return [(p.fault, p.detail) for p in self.problems]


def _first_message(
    root: Path, alice: Alice, kind: str, content: dict[str, Any], recipient: str = ALICE
) -> OlmEvent:
    """Mallory's first Olm message to alice (a pre-key message on one of her one-time
    keys), with the payload a sender may make."""
    store = CryptoStore(MALLORY, "MALLORYDEV", str(root), "pickle key", "mallory.db")
    mallory = Olm(MALLORY, "MALLORYDEV", store)
    alice.olm.account.generate_one_time_keys(1)
    one_time_key = next(iter(alice.olm.account.one_time_keys["curve25519"].values()))
    ours = alice.olm.account.identity_keys
    session = mallory.create_session(one_time_key, ours["curve25519"])
    payload = {
        "sender": MALLORY,
        "sender_device": "MALLORYDEV",
        "keys": {"ed25519": mallory.account.identity_keys["ed25519"]},
        "recipient": recipient,
        "recipient_keys": {"ed25519": ours["ed25519"]},
        "type": kind,
        "content": content,
    }
    message_type, body = session.encrypt(json.dumps(payload)).to_parts()
    ciphertext = {"type": message_type, "body": base64.b64encode(body).decode().rstrip("=")}
    event = ToDeviceEvent.parse_event(
        {
            "sender": MALLORY,
            "type": "m.room.encrypted",
            "content": {
                "algorithm": "m.olm.v1.curve25519-aes-sha2",
                "sender_key": mallory.account.identity_keys["curve25519"],
                "ciphertext": {ours["curve25519"]: ciphertext},
            },
        }
    )
    assert isinstance(event, OlmEvent), event
    return event


def _room_key() -> dict[str, Any]:
    group = OutboundGroupSession()
    return {
        "algorithm": "m.megolm.v1.aes-sha2",
        "room_id": "!ops:localhost",
        "session_id": group.id,
        "session_key": group.session_key,
    }


def test_a_room_key_read_cleanly_is_spent_with_no_record(tmp_path: Path) -> None:
    alice = Alice(tmp_path)
    event = _first_message(tmp_path, alice, "m.room_key", _room_key())
    alice.olm.handle_to_device_event(event)
    assert alice.spent == [event.source] and alice.problems == []


def test_a_room_key_the_store_refused_is_spent_and_recorded_once(tmp_path: Path) -> None:
    alice = Alice(tmp_path)
    event = _first_message(tmp_path, alice, "m.room_key", _room_key())

    def locked(session: Any) -> None:
        raise sqlite3.OperationalError("database is locked")

    alice.olm.save_inbound_group_session = locked  # type: ignore[method-assign]
    alice.olm.handle_to_device_event(event)
    assert alice.faults() == [(ToDeviceFault.FAILED, "OperationalError: database is locked")]
    assert alice.spent == [event.source]


def test_a_payload_addressed_to_someone_else_is_spent_and_recorded(tmp_path: Path) -> None:
    alice = Alice(tmp_path)
    event = _first_message(tmp_path, alice, "m.room_key", _room_key(), recipient=MALLORY)
    alice.olm.handle_to_device_event(event)
    assert alice.faults() == [(ToDeviceFault.BAD_PAYLOAD, "Mismatched recipient in Olm payload")]
    assert alice.spent == [event.source]


def test_a_room_key_nio_refuses_is_recorded_not_dropped_silently(tmp_path: Path) -> None:
    """nio 0.26 returns a room key its schema refuses as a bad event and stores nothing,
    with no word: the key is lost, and the record says so."""
    alice = Alice(tmp_path)
    key = {k: v for k, v in _room_key().items() if k != "session_key"}
    event = _first_message(tmp_path, alice, "m.room_key", key)
    alice.olm.handle_to_device_event(event)
    why = "its m.room_key payload has fields missing or of the wrong type"
    assert alice.faults() == [(ToDeviceFault.MALFORMED, why)]
    assert alice.spent == [event.source]


def test_a_message_whose_session_was_never_saved_is_not_spent(tmp_path: Path) -> None:
    """The store refused the account's write (nio writes it before the new session): the
    session is not saved, and a copy sent again may yet open."""
    alice = Alice(tmp_path)
    event = _first_message(tmp_path, alice, "m.room_key", _room_key())

    def locked(account: Any = None) -> None:
        raise sqlite3.OperationalError("database is locked")

    alice.olm.save_account = locked  # type: ignore[method-assign]
    alice.olm.handle_to_device_event(event)
    assert alice.faults() == [(ToDeviceFault.FAILED, "OperationalError: database is locked")]
    assert alice.spent == []
