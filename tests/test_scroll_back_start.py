"""Scrolling back when the oldest row of a room is one the server cannot find.

Bob joins a room with more history than a sync brings, through the hostile homeserver
(``tests.hostile_homeserver``), which puts into his join's timeline junk dated before
everything else (``origin_server_ts`` 1, as its sender could write it): an event under
an id the server never gave that nio fails on, or two events without an id at all
(nio reads them as unknown bad events). Each is a malformed row of the room, the
oldest; scroll-back must still start from an event the server knows and bring the
history before bob's join. (Before, scroll-back asked the server for the context of
the junk at every scroll: refused, nothing older ever came, and each id-less event
was archived under the id "", so the second was dropped as already known.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from app.core.records import EventStatus, RoomEvent
from app.homeserver import EmbeddedHomeserver
from app.services.notices import OlderLoaded, Problem
from app.services.timeline import Timeline
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import bob_behind_a_proxy, joined_after_history
from tests.peers import WAIT_SECONDS

BEFORE_JOIN = [f"before bob joined {n:02d}" for n in range(30)]  # more than a sync's 10


def _never_given(sender: str) -> list[dict[str, Any]]:
    """An event nio's parser fails on (no content), under an id the server never gave."""
    junk = {"type": "m.room.message", "sender": sender, "event_id": "$never-given"}
    return [junk | {"origin_server_ts": 1}]


def _without_id(sender: str) -> list[dict[str, Any]]:
    """Two different events with no id (nio makes unknown bad events of them)."""
    return [
        {"type": "m.room.message", "sender": sender, "origin_server_ts": 1}
        | {"content": {"msgtype": "m.text", "body": f"no id {n}"}}
        for n in (1, 2)
    ]


@pytest.mark.parametrize("junk", [_never_given, _without_id])
async def test_a_malformed_oldest_row_does_not_stop_scrolling_back(
    junk: Any, homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with bob_behind_a_proxy(homeserver, make_account, tmp_path) as (alice, bob, proxy):
        said = junk(alice.user_id)
        room, earlier, newest = await joined_after_history(alice, bob, proxy, BEFORE_JOIN, said)
        archive = bob.account.archive
        oldest = await bob.account.db(archive.recent_events, room, 10**6)
        malformed = [e for e in oldest if e.status is EventStatus.MALFORMED]
        assert len(malformed) == len(junk(alice.user_id))
        assert {e.origin_ts for e in malformed} == {1}  # the oldest of the room
        assert await bob.account.db(archive.known, list(earlier)) != earlier

        await asyncio.wait_for(
            bob.account.feature(Timeline).older(room, newest.event_id), WAIT_SECONDS
        )
        assert await bob.account.db(archive.known, list(earlier)) == earlier
        kept = await bob.account.db(archive.recent_events, room, 10**6)
    shown = [n for n in bob.notices if isinstance(n, OlderLoaded)][-1].events
    assert earlier <= {e.event_id for e in shown}  # the page the view is given holds them
    assert not [n for n in bob.notices if isinstance(n, Problem) and n.what == "history_failed"]
    if junk is _without_id:  # each its own row, once, however often the server sent it
        rows = [e for e in kept if e.content.get("body", "").startswith("no id")]
        assert sorted(e.content["body"] for e in rows) == ["no id 1", "no id 2"]
        assert all(_local(e) for e in rows)


def _local(event: RoomEvent) -> bool:
    """A row of an event without an id: its own stable id, never one the server gives."""
    return event.status is EventStatus.MALFORMED and not event.event_id.startswith("$")
