"""A hole in a room's history survives a crash right after the cut-short sync batch
that left it was archived.

Alice comes back to a room where another client (plain matrix-nio) said more than a
sync brings; her sync is cut short. The app stops right after that batch's commit
(``tests.failing_writes.stop_after_commit``): the batch and its sync token are
archived, nothing after the commit ran. When alice starts again, her syncs go on from
that token and never bring the missed messages again: only the hole noted with the
batch leads to them. (Before, it was noted after the commit, by the timeline's
``absorb``: a crash in between lost the hole, and those messages, for good.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.core.paths import DataDir
from app.services.at_rest import open_account_archive
from app.services.notices import Problem
from app.store import Archive
from app.store.archive.gaps import HistoryGap
from tests.failing_writes import stop_after_commit
from tests.hostile_homeserver import hole_filled_in_chain_order
from tests.peers import Peer, raw_send_text
from tests.plain_member import PlainMemberRoom

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


async def test_a_hole_left_by_a_batch_is_fetched_after_a_crash_right_after_its_commit(
    plain_member_room: PlainMemberRoom, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with plain_member_room("other", "Operations") as side:
        raw, room, data_dir = side.raw, side.room, side.alice.data_dir
        await raw_send_text(raw, room, "before the gap")
        await side.alice.wait_text(room, "before the gap")
        await side.alice.close()
        for text in SENT:
            await raw_send_text(raw, room, text)

        committed = stop_after_commit(monkeypatch, lambda e: e.content.get("body") == SENT[-1])
        side.alice = alice = Peer(data_dir)
        await alice.backend.start()
        await alice.wait_for(lambda: bool(committed), "the cut-short batch, committed")
        await alice.wait_for(
            lambda: any(isinstance(n, Problem) and n.what == "sync_failed" for n in alice.notices),
            "the stop right after the commit",
        )
        user_id = alice.user_id
        await alice.close()
        monkeypatch.undo()
        assert [gap.tries for gap in await _holes_on_disk(data_dir, user_id, room)] == [0]

        side.alice = alice = Peer(data_dir)  # the next run, from the token past the hole
        await alice.backend.start()
        await hole_filled_in_chain_order(alice, room, SENT)


async def _holes_on_disk(data_dir: Path, user_id: str, room: str) -> list[HistoryGap]:
    """The room's holes as the stopped app left them in its archive."""
    opened = await open_account_archive(DataDir(data_dir), user_id, lambda _notice: None)
    try:
        return await asyncio.to_thread(Archive(opened.engine, user_id).history_gaps, room)
    finally:
        opened.engine.dispose()
