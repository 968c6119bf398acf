"""The record keeps what was said, also up to the moment someone was removed."""

from __future__ import annotations

from pathlib import Path

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, signed_in_peers


async def test_messages_before_a_removal_reach_the_archive(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice, bob = await signed_in_peers(homeserver, make_account, tmp_path, "alice", "bob")
    alice_id = alice.user_id  # she signs out below
    try:
        room = await bob.open_room_with("Restricted", alice)
        await bob.account.send_text(room, "first briefing")
        await alice.wait_text(room, "first briefing")
        await alice.close()  # alice is away while she is taken out of the room

        last = await bob.account.send_text(room, "last word before the removal")
        await bob.wait_for(lambda: bob.sent(last.txn_id), "the last word to go out")
        await bob.account.client.kick(room, alice_id, "role changed")

        again = Peer(tmp_path / "alice")
        await again.backend.start()
        try:

            def kicked() -> bool:
                return any(
                    e.type == "m.room.member"
                    and e.state_key == alice_id
                    and e.content.get("membership") == "leave"
                    for e in again.events()
                )

            await again.wait_for(kicked, "the removal")
            archived = await again.account.db(again.account.archive.recent_events, room, 50)
            bodies = {e.content.get("body"): e.status for e in archived}
            assert bodies.get("last word before the removal") is EventStatus.OK
        finally:
            await again.close()
    finally:
        await bob.close()
