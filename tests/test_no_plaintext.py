"""A message sent into a room we have just created encrypted never reaches the server in
plaintext: Synapse may announce the new room before its encryption state, and nio would
then send in the clear (seen on this code before the guard: most rooms' first message)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import aiohttp

from app.homeserver import EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer


async def test_first_messages_of_new_rooms_are_encrypted_on_the_server(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice = await Peer(tmp_path / "alice", make_account("alice")).login(homeserver)
    try:
        rooms = {}
        for n in range(4):
            room = await alice.account.create_room(f"Fresh {n}")
            rooms[room] = f"secret words {n}"
            await alice.account.send_text(room, rooms[room])
        for room, body in rooms.items():
            await alice.wait_text(room, body)

        headers = {"Authorization": f"Bearer {alice.account.client.creds.access_token}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            for room, body in rooms.items():
                url = f"{homeserver.url}/_matrix/client/v3/rooms/{quote(room)}/messages"
                async with http.get(url, params={"dir": "b", "limit": "50"}) as resp:
                    chunk = (await resp.json())["chunk"]
                said = [e for e in chunk if e["type"] in ("m.room.message", "m.room.encrypted")]
                assert [e["type"] for e in said] == ["m.room.encrypted"]
                assert body not in str(chunk)
    finally:
        await alice.close()
