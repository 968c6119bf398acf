"""Scrolling back through a homeserver that answers every page back with nothing readable
and a new token to go on from, for ever (``tests.hostile_homeserver``): a scroll fetches
a bounded number of pages and returns, instead of fetching for ever; the view is told
more may come, and scrolling up again goes on from where the last scroll stopped (not
from the oldest message again, which would never pass a run of pages longer than the
bound)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.homeserver import EmbeddedHomeserver
from app.services.notices import OlderLoaded
from app.services.timeline import Timeline
from app.services.timeline.service import MAX_BACK_PAGES
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import BLANK, bob_behind_a_proxy
from tests.peers import WAIT_SECONDS


async def test_scrolling_back_through_endless_junk_pages_stops_and_can_go_on(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with bob_behind_a_proxy(homeserver, make_account, tmp_path) as (alice, bob, proxy):
        room = await alice.open_room_with("Operations", bob)
        await alice.account.send_text(room, "Hold the corridor")
        newest = await bob.wait_text(room, "Hold the corridor")
        proxy.history_room, proxy.blank_forever = room, True
        timeline = bob.account.feature(Timeline)

        asked = []
        for scroll in (1, 2):  # each scroll returns; the second goes on from the first
            await asyncio.wait_for(timeline.older(room, newest.event_id), WAIT_SECONDS)
            told = [n for n in bob.notices if isinstance(n, OlderLoaded)]
            assert len(told) == scroll and not told[-1].at_start
            # each junk page is asked twice: nio fails on it, then it is screened
            assert len(proxy.back_from) == scroll * MAX_BACK_PAGES * 2
            asked.append(proxy.back_from[(scroll - 1) * MAX_BACK_PAGES * 2])
        first, second = asked
        assert not first.startswith(BLANK)  # the real server's token before the oldest
        assert second.startswith(BLANK)  # the junk's own: where the first scroll stopped
