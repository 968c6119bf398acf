"""A new device's first start: a stored login, nothing archived yet.

Its first sync is asked for beside the login check and the archive's creation, and its
room list is announced before it asks anyone for the keys of the history it cannot read
(``app.matrix.early_sync``). What must not change with that: every message of the
history archived once, the device's own keys uploaded (others can still reach it), and
a login revoked meanwhile still sends the user back to the sign-in, with nothing left
behind. The other side is a plain matrix-nio client.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from nio import AsyncClient

from app.core.errors import LoginProblem
from app.core.paths import DataDir
from app.core.records import NOTE_REQUESTED, EventStatus
from app.homeserver import Account, EmbeddedHomeserver
from app.matrix import MatrixClient, SyncBatch, sync_prefetch
from app.services.backend import DEVICE_NAME
from app.services.notices import EventsArrived, LoginNeeded, OutboxChanged, Problem, RoomsChanged
from app.store import CredentialStore
from tests.fixtures_homeserver import MakeAccount
from tests.peers import WAIT_SECONDS, Peer, raw_join, raw_nio_client, raw_send_text


async def stored_login(homeserver: EmbeddedHomeserver, account: Account, data: DataDir) -> str:
    """A new device signed in and its login kept, as a sign-in leaves it; nothing synced.
    Returns the device id."""
    client = await MatrixClient.login(
        homeserver.url, account.user_id, account.password, data.crypto, DEVICE_NAME
    )
    await client.close()
    CredentialStore(data.root).save(client.creds)
    return client.creds.device_id


async def learn_device(raw: AsyncClient, user_id: str, device_id: str) -> None:
    """Sync the plain client until the server lists that device's keys to it."""
    async with asyncio.timeout(WAIT_SECONDS):
        while device_id not in {d.id for d in raw.device_store.active_user_devices(user_id)}:
            await raw.sync(timeout=5_000)
            if raw.should_query_keys:
                await raw.keys_query()


async def test_a_new_device_lists_its_rooms_before_asking_for_old_keys_and_can_be_reached(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    owner, other = make_account("owner"), make_account("other")
    first = await Peer(tmp_path / "first", owner).login(homeserver)
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp_path / "raw")
    second: Peer | None = None
    try:
        room = await first.account.create_room("Operations", (other.user_id,))
        await raw_join(raw, room)
        await first.wait_for(lambda: first.has_joined(room, other.user_id), "the join")
        items = [await first.account.send_text(room, f"situation {n}") for n in range(3)]
        await first.wait_for(lambda: all(first.sent(i.txn_id) for i in items), "the sends")
        history = {n.item.event_id for n in first.notices if isinstance(n, OutboxChanged)} - {None}
        await first.close()

        data = DataDir(tmp_path / "second")
        device_id = await stored_login(homeserver, owner, data)
        second = Peer(data.root)
        await second.backend.start()

        def requested(notice: object) -> bool:
            return isinstance(notice, EventsArrived) and any(
                e.note.startswith(NOTE_REQUESTED) for e in notice.events
            )

        await second.wait_for(lambda: any(map(requested, second.notices)), "the key requests")
        listed = next(
            i
            for i, n in enumerate(second.notices)
            if isinstance(n, RoomsChanged) and room in {r.room_id for r in n.rooms}
        )
        asked = next(i for i, n in enumerate(second.notices) if requested(n))
        assert listed < asked  # the list did not wait for the key requests

        archive = second.account.archive
        archived = await second.account.db(archive.recent_events, room, 200)
        locked = [e.event_id for e in archived if e.status is EventStatus.UNDECRYPTED]
        assert sorted(locked) == sorted(history)  # each message of the history, once

        await learn_device(raw, owner.user_id, device_id)  # its keys went up after the list
        await raw_send_text(raw, room, "Instruction for the new device")
        await second.wait_text(room, "Instruction for the new device")
    finally:
        await raw.close()
        if second is not None:
            await second.close()


@pytest.mark.parametrize("fetched_early", [False, True], ids=["asked-by-nio", "fetched-early"])
async def test_a_login_revoked_before_the_first_start_asks_to_sign_in_again(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, fetched_early: bool
) -> None:
    """Also when the first sync was fetched as the window opened (``sync_prefetch``):
    the server's refusal, fetched early, is dropped and nio meets it itself."""
    account = make_account("revoked-early" if fetched_early else "revoked")
    data = DataDir(tmp_path / "device")
    client = await MatrixClient.login(
        homeserver.url, account.user_id, account.password, data.crypto, DEVICE_NAME
    )
    CredentialStore(data.root).save(client.creds)
    await client.logout()  # signed out from elsewhere while the app was closed
    await client.close()
    if fetched_early:
        fetched = sync_prefetch.prefetch(client.creds.homeserver, client.creds.access_token)
        answer = await asyncio.wait_for(asyncio.wrap_future(fetched), WAIT_SECONDS)
        assert answer.status == 401  # the server's refusal, fetched early

    peer = Peer(data.root)
    try:
        await peer.backend.start()
        needed = [n for n in peer.notices if isinstance(n, LoginNeeded)]
        assert needed and needed[-1].problem is LoginProblem.TOKEN_REVOKED
        assert not [n for n in peer.notices if isinstance(n, Problem)]
        assert peer.backend.account is None
        assert CredentialStore(data.root).load() is None
        assert not data.archive(account.user_id).exists()  # no archive for a login that is gone
    finally:
        await peer.close()


async def test_an_early_sync_answers_only_a_first_sync(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """A step that continues from a token must get what happened since, never the early
    request's whole first sync in its place."""
    account = make_account("early")
    client = await MatrixClient.login(
        homeserver.url, account.user_id, account.password, tmp_path / "crypto", DEVICE_NAME
    )

    def created(batch: SyncBatch) -> bool:  # the room's creation: only a first sync has it
        return any(e.room_id == room and e.type == "m.room.create" for e in batch.events)

    try:
        room = await client.create_room("Operations")
        client.sync_soon()
        first = await client.sync(None, 0)
        assert created(first)
        client.sync_soon()  # asked early again, but the next step continues from a token
        later = await client.sync(first.next_batch, 0)
        assert not created(later)
    finally:
        await client.close()
