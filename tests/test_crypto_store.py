"""The crypto store nio runs on keeps which rooms are encrypted, and which devices are
verified, across restarts.

Why: ``app.matrix.nio_client.CryptoStore`` skips nio's per-sync write when a sync named
no newly encrypted room (it stored nothing, and cost every message a transaction). The
rooms it did name must still be remembered: a restarted client that forgot a room is
encrypted could send into it in plaintext. It also answers "is this device verified"
from the device in memory rather than the database (asked for every decrypted event);
the answer must stay the stored one, or a verified device's key mismatch would go
unnoticed.
"""

from __future__ import annotations

from pathlib import Path

from nio.crypto import OlmAccount, OlmDevice

from app.matrix.nio_client import CryptoStore

USER, DEVICE = "@keeper:localhost", "KEEPERDEV"


def open_store(path: Path) -> CryptoStore:
    return CryptoStore(USER, DEVICE, str(path), "pickle key", "crypto.db")


def test_encrypted_rooms_survive_a_restart_and_syncs_that_name_none(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_account(OlmAccount())
    store.save_encrypted_rooms({"!ops:localhost", "!delegation:localhost"})
    store.save_encrypted_rooms(set())  # a sync with messages only
    store.database.close()

    again = open_store(tmp_path)
    again.save_encrypted_rooms({"!outreach:localhost"})
    assert again.load_encrypted_rooms() == {
        "!ops:localhost",
        "!delegation:localhost",
        "!outreach:localhost",
    }


def _device(device_id: str) -> OlmDevice:
    keys = {"ed25519": f"ed-{device_id}", "curve25519": f"cv-{device_id}"}
    return OlmDevice("@envoy:localhost", device_id, keys)


def test_device_trust_is_answered_as_stored_across_a_restart(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_account(OlmAccount())
    trusted, other = _device("TRUSTED"), _device("OTHER")
    store.save_device_keys({"@envoy:localhost": {"TRUSTED": trusted, "OTHER": other}})
    assert not store.is_device_verified(trusted)
    assert store.verify_device(trusted)
    assert store.is_device_verified(trusted) and not store.is_device_verified(other)
    store.database.close()

    again = open_store(tmp_path)
    devices = again.load_device_keys()["@envoy:localhost"]
    assert again.is_device_verified(devices["TRUSTED"])
    assert not again.is_device_verified(devices["OTHER"])
    assert again.unverify_device(devices["TRUSTED"])
    assert not again.is_device_verified(devices["TRUSTED"])
    again.database.close()

    third = open_store(tmp_path)
    assert not third.is_device_verified(third.load_device_keys()["@envoy:localhost"]["TRUSTED"])
    unknown = _device("NEVER-QUERIED")  # keys not stored yet: nothing vouches for it
    assert not third.is_device_verified(unknown)
