"""A homeserver whose /messages answers matrix-nio fails on: a gap fill goes on.

The hostile homeserver of ``test_sync_screen_proxy`` spoils each history page of one
room with a member event whose ``unsigned.prev_content`` is a number.
"""

from __future__ import annotations

from pathlib import Path

from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer
from tests.test_sync_screen_proxy import hostile_homeserver


async def test_a_history_page_nio_fails_on_costs_only_its_own_room(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Bob comes back to two rooms with more missed than a sync holds; the homeserver
    spoils every history page of one: the other room's gap is still filled, in order,
    and bob is shown no failure (before, nio's AttributeError escaped the gap fill,
    the other rooms' gaps were lost and "feature_failed" was shown)."""
    alice = await Peer(tmp_path / "alice", make_account("alice")).login(homeserver)
    bob = Peer(tmp_path / "bob", make_account("bob"))
    assert bob.login_as is not None
    async with hostile_homeserver(homeserver.url) as proxy:
        try:
            assert await bob.backend.login(proxy.url, bob.login_as.user_id, bob.login_as.password)
            spoiled = await alice.open_room_with("Spoiled", bob)
            room = await alice.open_room_with("Operations", bob)
            for each in (spoiled, room):
                await alice.account.send_text(each, "before the gap")
                await bob.wait_text(each, "before the gap")
            await bob.close()

            sent = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10
            for text in sent:
                for each in (spoiled, room):
                    await alice.account.send_text(each, text)
            await alice.wait_for(lambda: all(alice.find_text(room, t) for t in sent), "echoes")
            proxy.history_room = spoiled

            bob = Peer(tmp_path / "bob")
            await bob.backend.start()
            await bob.wait_for(lambda: all(bob.find_text(room, t) for t in sent), "the gap")
            await bob.wait_for(lambda: proxy.spoiled >= 1, "a spoiled history page")
            await bob.wait_text(spoiled, sent[-1])
            archived = await bob.account.db(bob.account.archive.recent_events, room, 60)
        finally:
            await alice.close()
            await bob.close()
    texts = [e.content.get("body") for e in archived if e.type == "m.room.message"]
    assert texts[-31:] == ["before the gap", *sent]
    assert [n for n in bob.notices if isinstance(n, Problem)] == []
