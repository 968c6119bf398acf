"""A homeserver whose /messages answers matrix-nio fails on: a gap fill goes on.

The hostile homeserver (``tests.hostile_homeserver``) spoils each history page of one
room with events nio's parser raises on (a member event whose ``unsigned.prev_content``
is a number, a message without content, a number), also with broken copies of a
readable event under its id, or starts each run of pages back with a page of nothing
but junk without ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.records import EventStatus, RoomEvent
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Notice, Problem
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import HISTORY_JUNK_IDS, HostileHomeserver, while_bob_was_away

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


@dataclass
class CameBack:
    """What bob has once both gaps are filled."""

    spoiled: str
    room: str
    timelines: dict[str, list[RoomEvent]]  # room -> the newest rows, as a timeline shows
    chains: dict[str, list[str]]  # room -> event ids in the archive's chain order
    notices: list[Notice]
    proxy: HostileHomeserver
    forward: list[RoomEvent]  # the spoiled room's first page forward, as the keeper reads


async def _back_after_a_gap(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    spoil: Callable[[HostileHomeserver], None],
) -> CameBack:
    """Bob comes back to two rooms with more missed than a sync holds, through the
    hostile homeserver, ``spoil`` set up on it for the history of the first room."""
    names = ["Spoiled", "Operations"]
    async with while_bob_was_away(homeserver, make_account, tmp_path, names, SENT) as away:
        spoiled, room = away.rooms
        away.proxy.history_room = spoiled
        spoil(away.proxy)
        bob = await away.come_back()
        for each in (room, spoiled):
            await bob.wait_for(lambda r=each: all(bob.find_text(r, t) for t in SENT), "gaps")
        archive = bob.account.archive
        timelines, chains = {}, {}
        for each in (spoiled, room):
            timelines[each] = await bob.account.db(archive.recent_events, each, 60)
            links = await bob.account.db(archive.chain_links, each, 0, 10**9)
            chains[each] = [event.event_id for *_, event in links]
        forward, _ = await bob.account.client.history_after(spoiled, None, 100)
    notices = list(bob.notices)
    return CameBack(spoiled, room, timelines, chains, notices, away.proxy, forward)


def _texts(events: list[RoomEvent]) -> list[str]:
    return [e.content.get("body") for e in events if e.type == "m.room.message"]


async def test_a_history_page_nio_fails_on_loses_only_what_nio_cannot_read(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The homeserver spoils every history page of one room, in the middle of the page.
    Both gaps are filled, in order; each event nio failed on that has an id is a
    malformed row of the spoiled room, in its own place in the archive's chain (the
    server's order); bob is shown no failure. (Before, the whole spoiled page was
    refused, three tries, then given up: the spoiled room's missed messages never came;
    earlier still, nio's AttributeError escaped the gap fill and the other rooms' gaps
    were lost too.)"""
    back = await _back_after_a_gap(homeserver, make_account, tmp_path, lambda proxy: None)
    assert back.proxy.spoiled >= 1
    for events in back.timelines.values():
        assert _texts(events)[-31:] == ["before the gap", *SENT]
    rows = {e.event_id: e for e in back.timelines[back.spoiled]}
    assert {i: rows[i].status for i in HISTORY_JUNK_IDS if i in rows} == dict.fromkeys(
        HISTORY_JUNK_IDS, EventStatus.MALFORMED
    )
    assert "KeyError" in rows[HISTORY_JUNK_IDS[1]].note
    assert not any(i in back.chains[back.room] for i in HISTORY_JUNK_IDS)
    # Oldest first: the older neighbour, the junk as the page held it, the newer one.
    chain, junk = back.chains[back.spoiled], [HISTORY_JUNK_IDS[1], HISTORY_JUNK_IDS[0]]
    placed = [[older, *junk, newer] for newer, older in back.proxy.junk_between]
    at = chain.index(junk[0])
    assert chain[at - 1 : at + 3] in placed
    # A page forward is in the server's order too: oldest first, as the chunk held it.
    ids, (older, newer) = [e.event_id for e in back.forward], back.proxy.junk_between[-1]
    at = ids.index(HISTORY_JUNK_IDS[0])
    assert ids[at - 1 : at + 3] == [older, *HISTORY_JUNK_IDS, newer]
    assert [n for n in back.notices if isinstance(n, Problem)] == []


async def test_a_malformed_copy_of_a_readable_event_on_a_history_page_does_not_replace_it(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Each spoiled page also holds a copy without content of a readable event on it,
    under its id: the readable one is archived and shown, a page back or forward.
    (Before, a page back put the malformed copy first and the archive kept it.)"""

    def spoil(proxy: HostileHomeserver) -> None:
        proxy.copy_readable = True

    back = await _back_after_a_gap(homeserver, make_account, tmp_path, spoil)
    copied = [after for _, after in back.proxy.junk_between]  # each page's event after junk
    rows = {e.event_id: e for e in back.timelines[back.spoiled]}
    shown = [i for i in copied if i in rows]
    assert shown and {rows[i].status for i in shown} == {EventStatus.OK}
    for events in back.timelines.values():
        assert _texts(events)[-31:] == ["before the gap", *SENT]
    assert [e.status for e in back.forward if e.event_id == copied[-1]] == [EventStatus.OK]
    assert [n for n in back.notices if isinstance(n, Problem)] == []


async def test_a_history_page_of_only_junk_is_not_the_start_of_the_room(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Every run of pages back in one room starts with a page of nothing but entries
    nio cannot read and with no id (and a token to go on from): the gap is still
    filled from the pages after it, and no failure is shown. (Before, that page read
    as the room's beginning: the missed messages never came, silently.)"""

    def spoil(proxy: HostileHomeserver) -> None:
        proxy.blank_first = True

    back = await _back_after_a_gap(homeserver, make_account, tmp_path, spoil)
    assert back.proxy.spoiled >= 1
    for events in back.timelines.values():
        assert _texts(events)[-31:] == ["before the gap", *SENT]
    assert [n for n in back.notices if isinstance(n, Problem)] == []
