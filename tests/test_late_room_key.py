"""An encrypted event that arrives before its room key is decrypted when the key comes.

The sender here is a plain matrix-nio client (another Matrix client, as in the field)
that deliberately posts the ciphertext first and shares the key afterwards.
"""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import aiohttp
from nio.crypto.sessions import OutboundGroupSession

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client


async def test_message_before_its_key_decrypts_when_the_key_arrives(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    sender_account = make_account("sender")
    bob = await Peer(tmp_path / "bob", make_account("bob")).login(homeserver)
    raw = await raw_nio_client(
        homeserver, sender_account.user_id, sender_account.password, tmp_path / "raw"
    )
    try:
        room = await bob.account.create_room("Late keys", (sender_account.user_id,))
        await raw_join(raw, room)

        # Encrypt with a fresh Megolm session but keep a copy of it at index 0, so the key
        # can be shared only after the server has delivered the ciphertext.
        raw.olm.create_outbound_group_session(room)
        session = raw.olm.outbound_group_sessions[room]
        at_index_0 = session.pickle("test")
        session.mark_as_shared()
        _, ciphertext = raw.encrypt(room, "m.room.message", {"msgtype": "m.text", "body": "Hold"})
        url = f"{homeserver.url}/_matrix/client/v3/rooms/{room}/send/m.room.encrypted/{uuid4()}"
        headers = {"Authorization": f"Bearer {raw.access_token}"}
        async with (
            aiohttp.ClientSession() as http,
            http.put(url, json=ciphertext, headers=headers) as r,
        ):
            assert r.status == 200
            event_id = (await r.json())["event_id"]

        def locked() -> bool:
            return any(
                e.event_id == event_id and e.status is EventStatus.UNDECRYPTED for e in bob.events()
            )

        await bob.wait_for(locked, "the undecryptable event")
        stored = await bob.account.db(bob.account.archive.event, event_id)
        assert stored is not None and stored.status is EventStatus.UNDECRYPTED

        raw.olm.outbound_group_sessions[room] = OutboundGroupSession.from_pickle(at_index_0, "test")
        await raw.share_group_session(room, ignore_unverified_devices=True)
        await bob.wait_text(room, "Hold")
        stored = await bob.account.db(bob.account.archive.event, event_id)
        assert stored is not None and stored.status is EventStatus.OK
        assert stored.content["body"] == "Hold"
        assert stored.source["type"] == "m.room.encrypted"  # the chain still covers the ciphertext
    finally:
        await raw.close()
        await bob.close()
