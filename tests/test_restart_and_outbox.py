"""A restarted app restores its login and keys, and its outbox sends exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.core import protocol
from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.matrix import MatrixClient
from app.services.notices import LoggedIn, LoginNeeded
from app.store import Archive, CredentialStore, Outbox
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, signed_in_peers


def _open(data: DataDir, user_id: str):
    """The account's (encrypted) archive and outbox, opened with its key as the app does."""
    keys = ArchiveKeys(data.account(user_id), user_id)
    return open_archive(data.archive(user_id), keys, lambda done, total: None)[:2]


def _enqueue_offline(data: DataDir, user_id: str, room_id: str, body: str):
    """What a crash leaves behind: a row persisted in the outbox, never sent."""
    archive, outbox = _open(data, user_id)
    try:
        return Outbox(outbox).enqueue(room_id, "m.room.message", protocol.text_message(body))
    finally:
        archive.dispose()
        outbox.dispose()


async def test_restart_restores_login_and_sends_pending_rows_once(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice, bob = await signed_in_peers(homeserver, make_account, tmp_path, "alice", "bob")
    try:
        room = await alice.open_room_with("Delegation feed", bob)
        await alice.account.send_text(room, "before the crash")
        await bob.wait_text(room, "before the crash")
        device_before = alice.account.client.creds.device_id
        user_id = alice.user_id
        await alice.close()

        data = DataDir(tmp_path / "alice")
        never_sent = _enqueue_offline(data, user_id, room, "persisted, never sent")
        sent_unmarked = _enqueue_offline(data, user_id, room, "sent, crash before marking")
        # The second row did reach the server before the "crash": same device, same txn id.
        creds = CredentialStore(data.root).load()
        assert creds is not None
        engine, outbox = _open(data, user_id)
        since = Archive(engine, user_id).sync_token()
        engine.dispose()
        outbox.dispose()
        client = MatrixClient.from_credentials(creds, data.crypto)
        await client.restore()
        await client.sync(since, 0, full_state=True)
        await client.send(sent_unmarked)
        await client.close()

        await bob.account.send_text(room, "sent while alice was away")

        restarted = Peer(tmp_path / "alice")
        await restarted.backend.start()
        try:
            assert not [n for n in restarted.notices if isinstance(n, LoginNeeded)]
            logged_in = [n for n in restarted.notices if isinstance(n, LoggedIn)]
            assert logged_in and logged_in[0].device_id == device_before

            await restarted.wait_for(
                lambda: restarted.sent(never_sent.txn_id) and restarted.sent(sent_unmarked.txn_id),
                "both outbox rows to be confirmed",
            )
            await restarted.wait_text(room, "sent while alice was away")  # keys survived
            await restarted.account.send_text(room, "after the restart")
            await bob.wait_text(room, "after the restart")
            counts = Counter(bob.texts(room))
            assert counts["persisted, never sent"] == 1
            assert counts["sent, crash before marking"] == 1
            assert await restarted.account.db(restarted.account.outbox.pending) == []
        finally:
            await restarted.close()
    finally:
        await bob.close()
