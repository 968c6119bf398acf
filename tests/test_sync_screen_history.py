"""A homeserver whose /messages answers matrix-nio fails on: a gap fill goes on.

The hostile homeserver of ``test_sync_screen_proxy`` spoils each history page of one
room with events nio's parser raises on (a member event whose ``unsigned.prev_content``
is a number, a message without content, a number).
"""

from __future__ import annotations

from pathlib import Path

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer
from tests.test_sync_screen_proxy import HISTORY_JUNK_IDS, hostile_homeserver


async def test_a_history_page_nio_fails_on_loses_only_what_nio_cannot_read(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Bob comes back to two rooms with more missed than a sync holds; the homeserver
    spoils every history page of one. Both gaps are filled, in order; each event nio
    failed on that has an id is a malformed row of the spoiled room; bob is shown no
    failure. (Before, the whole spoiled page was refused, three tries, then given up:
    the spoiled room's missed messages never came; earlier still, nio's AttributeError
    escaped the gap fill and the other rooms' gaps were lost too.)"""
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
            for each in (room, spoiled):
                await bob.wait_for(lambda r=each: all(bob.find_text(r, t) for t in sent), "gaps")
            archived = {
                each: await bob.account.db(bob.account.archive.recent_events, each, 60)
                for each in (spoiled, room)
            }
        finally:
            await alice.close()
            await bob.close()
    assert proxy.spoiled >= 1
    for events in archived.values():
        texts = [e.content.get("body") for e in events if e.type == "m.room.message"]
        assert texts[-31:] == ["before the gap", *sent]
    rows = {e.event_id: e for e in archived[spoiled]}
    assert {i: rows[i].status for i in HISTORY_JUNK_IDS if i in rows} == dict.fromkeys(
        HISTORY_JUNK_IDS, EventStatus.MALFORMED
    )
    assert "KeyError" in rows[HISTORY_JUNK_IDS[1]].note
    assert not any(i in {e.event_id for e in archived[room]} for i in HISTORY_JUNK_IDS)
    assert [n for n in bob.notices if isinstance(n, Problem)] == []
