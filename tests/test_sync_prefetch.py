"""A new device's first sync fetched with the standard library while nio still loads.

``app.matrix.sync_prefetch`` sends the first sync's request as the app starts and nio's
own first request takes its answer. What the user must not notice: the same rooms and
history, each message archived once, nothing sent in between lost; and a fetch that
failed or was answered with an error changes nothing (nio asks again itself, and a
revoked login still sends the user back to the sign-in). The other side is a plain
matrix-nio client.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

from nio import RoomSendResponse

from app.core.paths import DataDir
from app.core.records import Credentials
from app.homeserver import Account, EmbeddedHomeserver
from app.matrix import MatrixClient, sync_prefetch
from app.services.backend import DEVICE_NAME
from app.services.notices import Connection, ConnectionChanged, RoomsChanged
from app.services.preview import show_archive
from app.store import CredentialStore
from tests.fixtures_homeserver import MakeAccount
from tests.peers import WAIT_SECONDS, Peer, raw_nio_client


async def stored_login(
    homeserver: EmbeddedHomeserver, account: Account, data: DataDir
) -> Credentials:
    """A new device signed in and its login kept, nothing synced (as a sign-in leaves it)."""
    client = await MatrixClient.login(
        homeserver.url, account.user_id, account.password, data.crypto, DEVICE_NAME
    )
    await client.close()
    CredentialStore(data.root).save(client.creds)
    return client.creds


async def test_a_first_sync_fetched_early_is_the_first_batch_and_nothing_sent_after_is_lost(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    owner, other = make_account("prefetch-owner"), make_account("prefetch-other")
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp_path / "raw")
    peer: Peer | None = None
    try:
        room = (await raw.room_create(name="Operations", invite=[owner.user_id])).room_id
        await raw.sync(timeout=0)  # nio sends only into rooms it has synced
        for n in range(3):
            sent = await raw.room_send(
                room, "m.room.message", {"msgtype": "m.text", "body": f"before {n}"}
            )
            assert isinstance(sent, RoomSendResponse)
        data = DataDir(tmp_path / "device")
        creds = await stored_login(homeserver, owner, data)
        joiner = await raw_nio_client(homeserver, owner.user_id, owner.password, tmp_path / "j")
        await joiner.join(room)
        await joiner.close()

        fetched = sync_prefetch.prefetch(creds.homeserver, creds.access_token)
        answer = await asyncio.wait_for(asyncio.wrap_future(fetched), WAIT_SECONDS)
        assert answer.status == 200
        late = await raw.room_send(room, "m.room.message", {"msgtype": "m.text", "body": "after"})
        assert isinstance(late, RoomSendResponse)  # not in the fetched answer: the next sync's

        peer = Peer(data.root)
        await peer.backend.start()
        await peer.wait_text(room, "after")
        listed = [n for n in peer.notices if isinstance(n, RoomsChanged)]
        assert any(room in {r.room_id for r in n.rooms} for n in listed)
        assert await sync_prefetch.take(creds.homeserver, creds.access_token) is None  # taken

        archived = await peer.account.db(peer.account.archive.recent_events, room, 200)
        texts = [e.content.get("body") for e in archived if e.type == "m.room.message"]
        assert sorted(texts) == ["after", "before 0", "before 1", "before 2"]  # each once
    finally:
        await raw.close()
        if peer is not None:
            await peer.close()


async def test_a_first_sync_fetch_that_timed_out_is_met_as_a_timeout_and_synced_again(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    owner = make_account("prefetch-failed")
    bootstrap = await Peer(tmp_path / "first", owner).login(homeserver)
    room = await bootstrap.account.create_room("Operations")
    await bootstrap.close()
    data = DataDir(tmp_path / "device")
    creds = await stored_login(homeserver, owner, data)

    fetched = sync_prefetch.prefetch(creds.homeserver, creds.access_token, timeout=1e-6)
    (outcome,) = await asyncio.gather(asyncio.wrap_future(fetched), return_exceptions=True)
    assert isinstance(outcome, TimeoutError)  # nothing fetched

    peer = Peer(data.root)
    try:
        await peer.backend.start()
        await peer.wait_for(
            lambda: any(
                isinstance(n, RoomsChanged) and room in {r.room_id for r in n.rooms}
                for n in peer.notices
            ),
            "the room listed",
        )
        # the early request's timeout was nio's own (one wait, then "offline" and a
        # retry), not a second full request timeout spent asking again in silence
        assert any(
            isinstance(n, ConnectionChanged) and n.state is Connection.OFFLINE for n in peer.notices
        )
    finally:
        await peer.close()


async def _prefetched_at_start(data: DataDir, creds: Credentials) -> int | None:
    """What the app's start fetched early for this data dir: the answer's status, or
    None when it asked nothing."""
    preview = await show_archive(data, lambda _notice: None, fetch_first_sync=True)
    try:
        answer = await asyncio.wait_for(
            sync_prefetch.take(creds.homeserver, creds.access_token), WAIT_SECONDS
        )
    finally:
        preview.close()
        preview.lock.release()
    return None if answer is None else answer.status


async def test_only_a_first_start_fetches_its_sync_early(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """A restart continues from its archive's token: asking for a whole first sync then
    would cost the server and the start for nothing."""
    account = make_account("prefetch-glue")
    data = DataDir(tmp_path / "device")
    creds = await stored_login(homeserver, account, data)
    assert await _prefetched_at_start(data, creds) == 200  # nothing archived: a first start

    data.archive(account.user_id).parent.mkdir(parents=True, exist_ok=True)
    data.archive(account.user_id).touch()  # an archive: a restart
    assert await _prefetched_at_start(data, creds) is None


def test_an_answer_nio_took_is_kept_by_nothing_of_the_prefetch(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The first sync of an account with many rooms is large, and its parsed tree many
    times larger: once nio has it, neither the prefetch nor its expiry keeps it."""
    account = make_account("prefetch-memory")
    creds = asyncio.run(stored_login(homeserver, account, DataDir(tmp_path / "device")))
    fetched = sync_prefetch.prefetch(
        creds.homeserver, creds.access_token, look=lambda answer: answer.parsed()
    )
    answer = asyncio.run(sync_prefetch.take(creds.homeserver, creds.access_token))
    assert answer is not None
    tree = asyncio.run(answer.json())  # what the look read: nio's, not read twice
    again = asyncio.run(answer.json())  # read again from the body, as aiohttp's response is
    assert again == tree and again is not tree  # the tree handed over, not kept
    gone = weakref.ref(answer)
    del answer, fetched
    gc.collect()
    assert gone() is None  # the expiry, still waiting, holds nothing of it
