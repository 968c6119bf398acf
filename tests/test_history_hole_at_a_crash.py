"""A hole in a room's history survives a crash right after the cut-short sync batch
that left it was archived.

Bob comes back to a room where another client (plain matrix-nio) said more than a
sync brings; his sync is cut short. The app stops right after that batch's commit
(``tests.failing_writes.stop_after_commit``): the batch and its sync token are
archived, nothing after the commit ran. When bob starts again, his syncs go on from
that token and never bring the missed messages again: only the hole noted with the
batch leads to them. (Before, it was noted after the commit, by the timeline's
``absorb``: a crash in between lost the hole, and those messages, for good.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from tests.failing_writes import stop_after_commit
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client, raw_send_text

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


async def test_a_hole_left_by_a_batch_is_fetched_after_a_crash_right_after_its_commit(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = make_account("other")
    bob = await Peer(tmp_path / "bob", make_account("bob")).login(homeserver)
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp_path / "raw")
    try:
        room = await bob.account.create_room("Operations", (other.user_id,))
        await raw_join(raw, room)
        await bob.wait_for(lambda: bob.has_joined(room, other.user_id), "the other's join")
        await raw_send_text(raw, room, "before the gap")
        await bob.wait_text(room, "before the gap")
        await bob.close()
        for text in SENT:
            await raw_send_text(raw, room, text)

        committed = stop_after_commit(monkeypatch, lambda e: e.content.get("body") == SENT[-1])
        bob = Peer(tmp_path / "bob")
        await bob.backend.start()
        await bob.wait_for(lambda: bool(committed), "the cut-short batch, committed")
        await bob.wait_for(
            lambda: any(isinstance(n, Problem) and n.what == "sync_failed" for n in bob.notices),
            "the stop right after the commit",
        )
        await bob.close()
        monkeypatch.undo()

        bob = Peer(tmp_path / "bob")  # the next run, from the token past the hole
        await bob.backend.start()
        await bob.wait_text(room, SENT[0])  # the hole's oldest: fetched with all of it
        links = await bob.account.db(bob.account.archive.chain_links, room, 0, 10**9)
        bodies = [event.content.get("body") for *_, event in links]
        chained = [b for b in bodies if b in SENT]
        assert chained in [SENT[cut:] + SENT[:cut] for cut in range(1, len(SENT))]
        assert await bob.account.db(bob.account.archive.history_gaps, room) == []
    finally:
        await raw.close()
        await bob.close()
