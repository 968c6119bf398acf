"""A room key goes to every device that should have it, or the sender knows why not.

The other side is plain matrix-nio. Here its device has used up every one-time key it
published, so no Olm session (hence no room key) can reach it: the message still goes
out to the others, the device is told why (m.room_key.withheld, m.no_olm) and the
sender's app reports which device cannot read. A device whose keys ran out but which
publishes new ones before the sender's second claim (a back-off later) gets the key.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    KeysUploadResponse,
    MessageDirection,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomMessageText,
    RoomPreset,
    SyncResponse,
)

from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client


@asynccontextmanager
async def _sender_and_plain(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp: Path
) -> AsyncIterator[tuple[Peer, AsyncClient]]:
    """The app's sender, signed in, and a plain matrix-nio client of another account; both
    closed after."""
    sender = await Peer(tmp / "sender", make_account("sender")).login(homeserver)
    other = make_account("other")
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp / "raw")
    try:
        yield sender, raw
    finally:
        await raw.close()
        await sender.close()


async def _use_up_one_time_keys(homeserver: EmbeddedHomeserver, raw: AsyncClient) -> None:
    """Claim the device's one-time keys until the server has none left to hand out."""
    url = f"{homeserver.url}/_matrix/client/v3/keys/claim"
    body = {"one_time_keys": {raw.user_id: {raw.device_id: "signed_curve25519"}}}
    headers = {"Authorization": f"Bearer {raw.access_token}"}
    async with aiohttp.ClientSession() as http:
        for _ in range(500):  # nio publishes 50; bounded in case the server changes
            async with http.post(url, json=body, headers=headers) as reply:
                claimed = (await reply.json())["one_time_keys"]
            if not claimed.get(raw.user_id):
                return
    raise AssertionError("the one-time keys never ran out")


async def _withheld_notices(raw: AsyncClient) -> list[dict[str, Any]]:
    """Sync the plain client until a withheld notice arrives (bounded)."""
    found: list[dict[str, Any]] = []
    async with asyncio.timeout(60):
        while not found:
            reply = await raw.sync(timeout=5_000)
            if isinstance(reply, SyncResponse):
                found = [
                    e.source
                    for e in reply.to_device_events
                    if e.source.get("type") == "m.room_key.withheld"
                ]
    return found


async def _room_with_a_keyless_device(
    homeserver: EmbeddedHomeserver, sender: Peer, raw: AsyncClient, name: str
) -> str:
    """A room of the sender's that the plain client joined after its one-time keys were
    all claimed."""
    await _use_up_one_time_keys(homeserver, raw)
    room = await sender.account.create_room(name, (raw.user_id,))
    await raw_join(raw, room)
    await sender.wait_for(lambda: sender.has_joined(room, raw.user_id), "the join")
    return room


async def test_a_device_without_one_time_keys_is_told_and_the_sender_knows(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with _sender_and_plain(homeserver, make_account, tmp_path) as (sender, raw):
        room = await _room_with_a_keyless_device(homeserver, sender, raw, "No keys left")

        item = await sender.account.send_text(room, "Anyone there?")

        def reported() -> list[Problem]:
            return [
                n
                for n in sender.notices
                if isinstance(n, Problem) and n.what == "room_key_undeliverable"
            ]

        await sender.wait_for(lambda: bool(reported()), "the undeliverable-key report")
        await sender.wait_for(lambda: sender.sent(item.txn_id), "the message to go out anyway")
        assert raw.device_id in reported()[0].detail
        assert raw.user_id in reported()[0].detail
        notices = await _withheld_notices(raw)
        assert notices[0]["sender"] == sender.user_id
        assert notices[0]["content"]["code"] == "m.no_olm"


async def test_a_device_that_publishes_new_keys_before_the_second_claim_gets_the_room_key(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with _sender_and_plain(homeserver, make_account, tmp_path) as (sender, raw):
        room = await _room_with_a_keyless_device(homeserver, sender, raw, "Keys ran out")
        published: list[KeysUploadResponse] = []

        async def peer_publishes_new_keys() -> None:
            """The back-off: the sender's first claim came back empty from the server;
            meanwhile the peer's own nio sees its key count at zero and publishes more."""
            synced = await raw.sync(timeout=0)
            assert isinstance(synced, SyncResponse)
            assert synced.device_key_count.signed_curve25519 == 0  # the server has none left
            assert raw.olm is not None  # nio skips a zero count (`if count:`): told here
            raw.olm.uploaded_key_count = synced.device_key_count.signed_curve25519
            reply = await raw.keys_upload()
            assert isinstance(reply, KeysUploadResponse)
            published.append(reply)

        sender.account.client._nio.reclaim_wait = peer_publishes_new_keys
        item = await sender.account.send_text(room, "Keys again?")
        await sender.wait_for(lambda: sender.sent(item.txn_id), "the message to go out")

        assert len(published) == 1  # the first claim was empty, the second one was not
        await raw.sync(timeout=0)  # the room key arrives as a to-device message
        page = await raw.room_messages(room, raw.next_batch, direction=MessageDirection.back)
        assert isinstance(page, RoomMessagesResponse)
        assert [e.body for e in page.chunk if isinstance(e, RoomMessageText)] == ["Keys again?"]
        assert not [
            n for n in sender.notices if isinstance(n, Problem) and n.what.startswith("room_key")
        ]


async def _rotating_room(raw: AsyncClient, sender: Peer, every: int) -> str:
    """A room the plain client made that asks for a new room key every ``every``
    messages, with the sender in it."""
    encryption = {"algorithm": "m.megolm.v1.aes-sha2", "rotation_period_msgs": every}
    created = await raw.room_create(
        invite=[sender.user_id],
        preset=RoomPreset.private_chat,
        initial_state=[{"type": "m.room.encryption", "state_key": "", "content": encryption}],
    )
    assert isinstance(created, RoomCreateResponse)
    await sender.account.client.join(created.room_id)
    return created.room_id


async def test_room_keys_rotate_as_often_as_the_room_asks(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with _sender_and_plain(homeserver, make_account, tmp_path) as (sender, raw):
        room = await _rotating_room(raw, sender, every=2)
        items = [await sender.account.send_text(room, f"Update {i}") for i in range(6)]
        for item in items:
            await sender.wait_for(lambda i=item: sender.sent(i.txn_id), "the sends")

        await raw.sync(timeout=0)  # room keys arrive as to-device messages
        page = await raw.room_messages(
            room, raw.next_batch, direction=MessageDirection.back, limit=50
        )
        assert isinstance(page, RoomMessagesResponse)
        texts = [e for e in page.chunk if isinstance(e, RoomMessageText)]
        assert sorted(e.body for e in texts) == [f"Update {i}" for i in range(6)]
        sessions = {e.session_id for e in texts}
        assert len(sessions) == 3  # two messages per session, as the room asks


async def test_a_device_without_one_time_keys_delays_only_the_first_room_key(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The back-off before the second claim is paid once for a device that stays without
    keys: the room keys after it (here one per message) are withheld from it at once, so
    the outbox's other sends are not held up on every rotation."""
    async with _sender_and_plain(homeserver, make_account, tmp_path) as (sender, raw):
        room = await _rotating_room(raw, sender, every=1)
        await _use_up_one_time_keys(homeserver, raw)
        waits: list[None] = []

        async def back_off() -> None:
            waits.append(None)

        sender.account.client._nio.reclaim_wait = back_off
        items = [await sender.account.send_text(room, f"Update {i}") for i in range(3)]
        for item in items:
            await sender.wait_for(lambda i=item: sender.sent(i.txn_id), "the sends")

        assert len(waits) == 1  # three room keys, one back-off
        notices = await _withheld_notices(raw)
        assert notices[0]["content"]["code"] == "m.no_olm"
