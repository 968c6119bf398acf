"""The crypto store nio runs on keeps which rooms are encrypted, across restarts.

Why: ``app.matrix.nio_client.CryptoStore`` skips nio's per-sync write when a sync named
no newly encrypted room (it stored nothing, and cost every message a transaction). The
rooms it did name must still be remembered: a restarted client that forgot a room is
encrypted could send into it in plaintext.
"""

from __future__ import annotations

from pathlib import Path

from nio.crypto import OlmAccount

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
