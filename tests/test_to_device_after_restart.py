"""A run that stops between reading a batch and committing its token, and the next run.

The sync step hands the answer to nio (which decrypts its to-device messages: an Olm
message opens once, its keys are then gone) and only afterwards archives the batch
with its token. A run that ends in between (closed while the batch is saved, killed,
a store that cannot write) starts again from the older token, and the homeserver sends
the same to-device messages again: nobody synced past them. Seen under load in
``test_sync_screen_history``: bob's new device closed while a batch was being saved,
and the next run told him of an undecryptable message from alice's device (the room
key she had already given him) and "repaired" a healthy Olm session.

The order is forced: the store fails every save once the peer (plain matrix-nio)
sends its first message, and the run ends only after a save failed that came after
the answer holding the peer's Olm message (the proxy in front of the homeserver
counts those answers; it changes nothing). The next run syncs from the token before
the room key.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from app.store import StoreError
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client, raw_send_text
from tests.test_sync_screen_proxy import hostile_homeserver

FIRST = "the first words on a new Olm session"


@pytest.mark.parametrize("store_fails_once", [False, True], ids=["read", "store-failed"])
async def test_a_room_key_read_by_a_run_that_stopped_before_its_token_is_not_undecryptable(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    store_fails_once: bool,
) -> None:
    """Read: the next run holds the message back (its keys are spent) and tells of no
    problem. Store-failed: the crypto store refused the account's write when the first
    run opened the pre-key message ("database is locked"), so the guard recorded it as
    failed; the account on disk still holds the one-time key, and the next run reads
    the message sent again (held back, its room key would be lost for good)."""
    alice = Peer(tmp_path / "alice", make_account("alice"))
    assert alice.login_as is not None
    peer = make_account("peer")
    raw = await raw_nio_client(homeserver, peer.user_id, peer.password, tmp_path / "raw")
    async with hostile_homeserver(homeserver.url) as proxy:
        try:
            assert await alice.backend.login(
                proxy.url, alice.login_as.user_id, alice.login_as.password
            )
            room = await alice.account.create_room("Crisis cell", (peer.user_id,))
            await raw_join(raw, room)
            await alice.wait_for(lambda: alice.has_joined(room, peer.user_id), "the join")

            assert raw.olm is not None
            proxy.trigger = raw.olm.account.identity_keys["curve25519"]
            proxy.spoil = lambda answer, room, sender: None  # counted, left as it is
            after_the_key: list[bool] = []  # per failed save: had the key gone out?

            def cannot_save(events, rooms, next_batch, announce=None):
                after_the_key.append(proxy.spoiled > 0)
                raise StoreError("Could not save the synced events: disk I/O error")

            alice.account.archive.save_sync_batch = cannot_save
            if store_fails_once:
                _refuse_one_account_write(alice)
            await raw_send_text(raw, room, FIRST)  # its room key: the peer's first Olm message
            await alice.wait_for(lambda: any(after_the_key), "the room key read, unsaved")
            await alice.close()

            caplog.clear()
            caplog.set_level(logging.INFO, logger="app.matrix.crypto.screen")
            alice = Peer(tmp_path / "alice")  # the next run, from the token before the key
            await alice.backend.start()
            found = await alice.wait_text(room, FIRST)
            assert found.status is EventStatus.OK
            held = "held back 1 to-device event(s) nio consumed" in caplog.messages
            assert held is not store_fails_once
            record = alice.account.to_device
            assert record is not None
            problems = [p.detail for p in await alice.account.db(record.problems)]
            # the first run's failure was recorded; the next run had none
            assert problems == (["OperationalError: database is locked"] * store_fails_once)
            if not store_fails_once:
                shown = [n.what for n in alice.notices if isinstance(n, Problem)]
                assert "to_device_skipped" not in shown
        finally:
            await raw.close()
            await alice.close()


def _refuse_one_account_write(peer: Peer) -> None:
    """The crypto store refuses the next write of the Olm account (nio writes it when a
    pre-key message uses up a one-time key), as a locked database does."""
    olm = peer.account.client._nio.olm
    assert olm is not None
    refused: list[bool] = []

    def save_account(account: Any = None) -> None:
        if not refused:
            refused.append(True)
            raise sqlite3.OperationalError("database is locked")
        type(olm).save_account(olm, account)

    olm.save_account = save_account
