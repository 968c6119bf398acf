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


@pytest.mark.parametrize(
    "refused",
    [None, "save_account", "save_inbound_group_session"],
    ids=["read", "account-write-failed", "room-key-write-failed"],
)
async def test_a_room_key_read_by_a_run_that_stopped_before_its_token_is_not_undecryptable(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    refused: str | None,
) -> None:
    """Read: the next run holds the message back (its keys are spent) and tells of no
    problem.

    Account-write-failed: the crypto store refused the account's write when the first
    run opened the pre-key message ("database is locked"), before nio saved the new
    Olm session, so the guard recorded it as failed. The account on disk still holds
    the one-time key (the run stopped before any later write of the account, which
    would have written it without the key: then the copy could not open either), and
    the next run reads the message sent again.

    Room-key-write-failed: the store refused the room key after nio had saved the Olm
    session past the message: the guard recorded the failure, and the next run holds
    the copy back (it could not open: no "undecryptable", no repair of a healthy
    session). The room key went with the first run's memory: the text stays
    undecrypted until someone shares the key again."""
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

            def cannot_save(events, rooms, next_batch, announce=None, **_):
                after_the_key.append(proxy.spoiled > 0)
                raise StoreError("Could not save the synced events: disk I/O error")

            alice.account.archive.save_sync_batch = cannot_save
            if refused:
                _refuse_one_write(alice, refused)
            # its room key: the peer's first Olm message
            sent = await raw_send_text(raw, room, FIRST)
            await alice.wait_for(lambda: any(after_the_key), "the room key read, unsaved")
            await alice.close()

            caplog.clear()
            caplog.set_level(logging.INFO, logger="app.matrix.crypto.screen")
            alice = Peer(tmp_path / "alice")  # the next run, from the token before the key
            await alice.backend.start()
            await alice.wait_for(lambda: _arrived(alice, sent), "the text, after the restart")
            status = EventStatus.UNDECRYPTED if refused == _ROOM_KEY else EventStatus.OK
            assert _arrived(alice, sent) == [status]
            held = "held back 1 to-device event(s) nio consumed" in caplog.messages
            assert held is (refused != "save_account")
            record = alice.account.to_device
            assert record is not None
            problems = [p.detail for p in await alice.account.db(record.problems)]
            # the first run's failure was recorded; the next run had none
            assert problems == ["OperationalError: database is locked"] * bool(refused)
            shown = [n.what for n in alice.notices if isinstance(n, Problem)]
            assert "to_device_skipped" not in shown
        finally:
            await raw.close()
            await alice.close()


_ROOM_KEY = "save_inbound_group_session"


def _arrived(peer: Peer, event_id: str) -> list[EventStatus]:
    """How the event arrived (once per arrival)."""
    return [e.status for e in peer.events() if e.event_id == event_id]


def _refuse_one_write(peer: Peer, method: str) -> None:
    """The crypto store refuses the next write through nio's ``method`` of the Olm
    machine, as a locked database does: ``save_account`` (nio writes the account when a
    pre-key message uses up a one-time key, before the new session) or
    ``save_inbound_group_session`` (a room key, after the Olm session was saved)."""
    olm = peer.account.client._nio.olm
    assert olm is not None
    refused: list[bool] = []
    write = getattr(olm, method)

    def refuse_once(*args: Any) -> None:
        if not refused:
            refused.append(True)
            raise sqlite3.OperationalError("database is locked")
        write(*args)

    setattr(olm, method, refuse_once)
