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

from pathlib import Path

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from app.store import StoreError
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client, raw_send_text
from tests.test_sync_screen_proxy import hostile_homeserver

FIRST = "the first words on a new Olm session"


async def test_a_room_key_read_by_a_run_that_stopped_before_its_token_is_not_undecryptable(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
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
            await raw_send_text(raw, room, FIRST)  # its room key: the peer's first Olm message
            await alice.wait_for(lambda: any(after_the_key), "the room key read, unsaved")
            await alice.close()

            alice = Peer(tmp_path / "alice")  # the next run, from the token before the key
            await alice.backend.start()
            found = await alice.wait_text(room, FIRST)
            assert found.status is EventStatus.OK
            record = alice.account.to_device
            assert record is not None
            assert await alice.account.db(record.problems) == []
            shown = [n.what for n in alice.notices if isinstance(n, Problem)]
            assert "to_device_skipped" not in shown
        finally:
            await raw.close()
            await alice.close()
