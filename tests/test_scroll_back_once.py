"""Two scrolls back in one room at the same time ask the server for each page once.

Bob joins a room with more history than a sync brings, through the hostile homeserver
(``tests.hostile_homeserver``), which sees every /messages request. The view asks for
the page before its oldest row twice before the first answer came (the user scrolled
up again). Both are answered with that history, and no page is asked for twice: the
second scroll waits for the first and finds its pages archived. (Before, both asked
the server for the same token and walked the same pages side by side.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.homeserver import EmbeddedHomeserver
from app.services.notices import OlderLoaded
from app.services.timeline import Timeline
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import bob_behind_a_proxy, joined_after_history
from tests.peers import WAIT_SECONDS

BEFORE_JOIN = [f"before bob joined {n:02d}" for n in range(30)]  # more than a sync's 10


async def test_two_scrolls_back_at_once_ask_the_server_for_each_page_once(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with bob_behind_a_proxy(homeserver, make_account, tmp_path) as (alice, bob, proxy):
        room, earlier, newest = await joined_after_history(alice, bob, proxy, BEFORE_JOIN, [])
        assert await bob.account.db(bob.account.archive.known, list(earlier)) != earlier

        del proxy.history_asked[:]
        timeline = bob.account.feature(Timeline)
        scrolls = (timeline.older(room, newest.event_id) for _ in range(2))
        await asyncio.wait_for(asyncio.gather(*scrolls), WAIT_SECONDS)

        answers = [n for n in bob.notices if isinstance(n, OlderLoaded)]
        assert len(answers) == 2
        for answer in answers:  # each scroll's page holds the history before the join
            assert earlier <= {e.event_id for e in answer.events}
        assert proxy.history_asked  # the server was asked
        assert len(proxy.history_asked) == len(set(proxy.history_asked)), proxy.history_asked
