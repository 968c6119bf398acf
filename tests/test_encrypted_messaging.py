"""Encrypted rooms between real clients of the app on a real Synapse."""

from __future__ import annotations

from pathlib import Path

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.peers import peers_signed_in


async def test_two_clients_then_a_late_joiner(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    names = ("alice", "bob", "carol")
    async with peers_signed_in(homeserver, make_account, tmp_path, *names) as (alice, bob, carol):
        room = await alice.open_room_with("Evacuation cell", bob)

        await alice.account.send_text(room, "Convoy leaves at 14:00")
        await bob.account.send_text(room, "مفهوم، الوفد جاهز")  # Arabic travels as-is
        seen_by_bob = await bob.wait_text(room, "Convoy leaves at 14:00")
        seen_by_alice = await alice.wait_text(room, "مفهوم، الوفد جاهز")

        # Encrypted on the wire: the server only ever saw ciphertext.
        for event in (seen_by_bob, seen_by_alice):
            assert event.source["type"] == "m.room.encrypted"
            assert "Convoy" not in str(event.source["content"])

        await alice.account.client.invite(room, carol.user_id)
        await carol.account.client.join(room)
        await alice.wait_for(lambda: alice.has_joined(room, carol.user_id), "carol's join")
        await bob.wait_for(lambda: bob.has_joined(room, carol.user_id), "carol's join")

        await alice.account.send_text(room, "Welcome, legal adviser")
        await bob.account.send_text(room, "Crossing point B is open")
        await carol.wait_text(room, "Welcome, legal adviser")
        await carol.wait_text(room, "Crossing point B is open")
        assert "Convoy leaves at 14:00" not in carol.texts(room)
        assert not [
            e for e in carol.events() if e.room_id == room and e.status is EventStatus.MALFORMED
        ]
