"""The keeper taken out of a room while it was down, on a real Synapse and a real
PostgreSQL, by plain matrix-nio peers: kicked, everything said up to the kick (and the
kick) is still in the record, in order, once; banned, the server refuses the rest and the
record keeps it as a hole. Either way the keeper goes on archiving its other rooms."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from nio import (
    MessageDirection,
    RoomBanResponse,
    RoomCreateResponse,
    RoomInviteResponse,
    RoomKickResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomUnbanResponse,
)

from app.core.roles import RoomKind
from app.homeserver import EmbeddedHomeserver
from app.services.keeper.run import PATIENCE_VARIABLE
from app.services.keeper.service import PAGE
from app.store.keeper import KeeperArchive
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import HostileHomeserver, hostile_homeserver
from tests.keeper_harness import (
    KeeperProcess,
    KeptSession,
    archived_ids,
    kept_session,
    post,
    server_ids,
    texts,
    until,
    wait_joined,
    wait_matches,
)
from tests.peers import raw_learn_members, raw_send_text

Removal = Callable[[KeptSession], Awaitable[object]]


@asynccontextmanager
async def _archived(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    root: Path,
    db: str,
    via: str | None = None,
) -> AsyncIterator[tuple[KeptSession, KeeperProcess, KeeperArchive]]:
    """The keeper (signed in through ``via``, if given) with everything archived; the
    session, the keeper and its archive."""
    async with kept_session(homeserver, make_account, root, db, via) as (_fac, kept, keeper):
        archive = kept.archive()
        try:
            await wait_matches(kept, archive)
            yield kept, keeper, archive
        finally:
            archive.close()


@asynccontextmanager
async def _removed_while_down(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, root: Path, db: str, remove: Removal
) -> AsyncIterator[tuple[KeptSession, KeeperProcess, KeeperArchive, list[str]]]:
    """The keeper archives everything, stops; the expert says 12 things in the operations
    room and the facilitator removes the keeper from it; the keeper starts again, and the
    facilitator then says something in the restricted room, which the keeper must archive.
    (session, keeper, its archive, the operations messages' event ids)."""
    async with _archived(homeserver, make_account, root, db) as (kept, keeper, archive):
        keeper.stop()
        said = await post(kept, 12, "while down")
        await remove(kept)
        keeper.start()
        restricted = kept.info.room(RoomKind.RESTRICTED)
        assert restricted is not None
        await raw_learn_members(kept.reader, restricted)
        later = await raw_send_text(kept.reader, restricted, "after the removal")
        await until(lambda: later in archived_ids(archive, restricted), "the later message")
        yield kept, keeper, archive, said
        assert "Traceback" not in keeper.output()


async def _kick(kept: KeptSession) -> None:
    resp = await kept.reader.room_kick(kept.operations, kept.keeper_id, "records moved")
    assert isinstance(resp, RoomKickResponse), resp


async def _ban(kept: KeptSession) -> None:
    resp = await kept.reader.room_ban(kept.operations, kept.keeper_id, "records moved")
    assert isinstance(resp, RoomBanResponse), resp


async def test_what_was_said_before_the_keeper_was_kicked_while_down_is_kept_and_no_more(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, records_db: str
) -> None:
    later: list[str] = []  # said after the kick: not the keeper's to keep

    async def kick_and_talk_on(kept: KeptSession) -> None:
        await _kick(kept)
        later.extend(await post(kept, 1, "after the kick"))

    removed = _removed_while_down(homeserver, make_account, tmp_path, records_db, kick_and_talk_on)
    async with removed as (kept, _keeper, archive, said):
        theirs = await server_ids(kept.reader, kept.operations)
        up_to_kick = theirs[: theirs.index(later[0])]  # every event up to the kick, in order
        await until(lambda: archived_ids(archive, kept.operations) == up_to_kick, "the record")
        ours = await asyncio.to_thread(archived_ids, archive, kept.operations)
        assert [event_id for event_id in ours if event_id in said] == said
        assert texts(kept, said) == {e: f"while down {n}" for n, e in enumerate(said)}


async def test_a_ban_while_down_is_a_hole_in_the_record_closed_when_let_back_in(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, records_db: str
) -> None:
    removed = _removed_while_down(homeserver, make_account, tmp_path, records_db, _ban)
    async with removed as (kept, keeper, archive, said):
        await until(lambda: archive.history_gaps(kept.operations), "the hole to be noted")
        ours = await asyncio.to_thread(archived_ids, archive, kept.operations)
        holes = await asyncio.to_thread(archive.history_gaps)
        assert not set(said) & set(ours)  # the server refused them: not made up either
        assert [hole.room_id for hole in holes] == [kept.operations]
        assert keeper.output().count("a gap in the record") == 1  # once, not per retry
        assert "failing for" not in keeper.output()  # a 403: a hole at once, not retried
        # Unbanned and invited again: the keeper joins, fills the hole and closes it.
        resp = await kept.reader.room_unban(kept.operations, kept.keeper_id)
        assert isinstance(resp, RoomUnbanResponse), resp
        await _invite(kept)
        await until(lambda: set(said) <= set(archived_ids(archive, kept.operations)), "the fill")
        await until(lambda: not archive.history_gaps(), "the hole to be closed")


Behind = tuple[HostileHomeserver, KeptSession, KeeperProcess, KeeperArchive]


@pytest.fixture
async def behind(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, records_db: str
) -> AsyncIterator[Behind]:
    """The keeper signed in through the hostile homeserver, everything archived."""
    async with hostile_homeserver(homeserver.url) as proxy:
        archived = _archived(homeserver, make_account, tmp_path, records_db, proxy.url)
        async with archived as (kept, keeper, archive):
            yield proxy, kept, keeper, archive


@pytest.fixture
async def archived(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, records_db: str
) -> AsyncIterator[tuple[KeptSession, KeeperProcess, KeeperArchive]]:
    """The keeper signed in to Synapse itself, everything archived."""
    async with _archived(homeserver, make_account, tmp_path, records_db) as kept:
        yield kept


async def _kicked_while_down(
    kept: KeptSession, keeper: KeeperProcess, spoil: Callable[[], object], count: int = 3
) -> list[str]:
    """The keeper stops, the expert says ``count`` things, the keeper is kicked, the
    proxy is set to ``spoil`` the room's history, the keeper starts; what was said."""
    keeper.stop()
    said = await post(kept, count, "while down")
    await _kick(kept)
    spoil()
    keeper.start()
    return said


async def _healed(
    proxy: HostileHomeserver,
    kept: KeptSession,
    archive: KeeperArchive,
    said: list[str],
    keeper: KeeperProcess | None = None,
) -> None:
    """The proxy serves the room as it is again (and the keeper, if given, starts):
    everything ``said`` comes to be in the record, readable, and no hole is left."""
    proxy.history_room, proxy.history_down, proxy.refuse_history = "", False, False
    if keeper is not None:
        keeper.start()
    await until(lambda: set(said) <= set(archived_ids(archive, kept.operations)), "the room")
    assert texts(kept, said) == {e: f"while down {n}" for n, e in enumerate(said)}
    assert not await asyncio.to_thread(archive.history_gaps)


async def test_a_restart_before_a_left_room_is_back_filled_does_not_forget_it(
    behind: Behind,
) -> None:
    proxy, kept, keeper, archive = behind
    said = await _kicked_while_down(kept, keeper, lambda: _down(proxy, kept.operations), 12)
    # Told of the kick, asked for the room twice (a sync step went by between):
    # then killed, before the room's history could be read.
    await until(lambda: proxy.down >= 2, "the keeper to try the room twice")
    keeper.kill()
    await _healed(proxy, kept, archive, said, keeper)


async def test_a_left_room_the_server_never_serves_becomes_a_hole_after_its_patience(
    behind: Behind,
) -> None:
    proxy, kept, keeper, archive = behind
    keeper.stop()
    keeper.env[PATIENCE_VARIABLE] = "20"  # seconds, not the day it waits in service
    keeper.start()
    proxy.history_room, proxy.history_down = kept.operations, True
    await _kick(kept)
    # Each failed page is followed by a sync that succeeds: only a back-off of the
    # room's own spreads the tries out, and the hole comes after the patience.
    await until(lambda: archive.history_gaps(kept.operations), "the hole")
    tries = list(proxy.down_at)
    assert tries[-1] - tries[0] >= 20
    assert len(tries) <= 8  # 0.5, 1, 2, 4, 8, 16 s apart: not a retry every half second
    assert tries[-1] - tries[-2] >= 4
    assert "failing for 20 s" in keeper.output()
    assert keeper.output().count("a gap in the record") == 1


@pytest.mark.parametrize("answer", ["502", "no JSON"])
async def test_a_left_room_failing_for_a_while_holds_up_nothing_and_loses_nothing(
    answer: str, behind: Behind
) -> None:
    """Its pages answered 502 (a homeserver restarting), or with no JSON at all (a
    proxy's error page): neither is a 403, the keeper's last word on the room."""
    spoil = _down if answer == "502" else _refuse
    proxy, kept, keeper, archive = behind
    said = await _kicked_while_down(kept, keeper, lambda: spoil(proxy, kept.operations))
    await until(lambda: _tries(proxy) >= 5, "the room to be tried five times")
    # The room's next try is 8 s away: a message in another room does not wait for it.
    restricted = kept.info.room(RoomKind.RESTRICTED)
    assert restricted is not None
    await raw_learn_members(kept.reader, restricted)
    sent = time.monotonic()
    live = await raw_send_text(kept.reader, restricted, "during the outage")
    await until(lambda: live in archived_ids(archive, restricted), "the live room")
    assert time.monotonic() - sent < 4
    # Stopped while the room waits: it stops at once, and it is told of the leave
    # again when it starts (the sync token from before the leave was kept).
    asked = time.monotonic()
    await asyncio.to_thread(keeper.stop)
    assert time.monotonic() - asked < 5
    await _healed(proxy, kept, archive, said, keeper)


async def test_kicked_before_its_back_fill_and_never_told_the_keeper_keeps_up_to_its_leave(
    behind: Behind,
) -> None:
    proxy, kept, _keeper, archive = behind
    room = kept.operations
    # The room's pages fail for now, and no sync tells the keeper it left the room:
    # it pages on from its cursor as a room it is in, as after a kick that came
    # between a sync and the room's back-fill.
    proxy.history_room, proxy.history_down, proxy.hide_left = room, True, room
    before = await post(kept, 2, "before the kick")
    await until(lambda: proxy.down >= 1, "the keeper to try the room")
    await _kick(kept)
    await _invite(kept)
    await wait_joined(kept, room)  # let back in: what follows is its own again
    await post(kept, 2, "between the kicks")
    await _kick(kept)
    after = await post(kept, 1, "after the second kick")
    proxy.history_room, proxy.history_down = "", False
    theirs = await server_ids(kept.reader, room)
    kick = theirs.index(before[-1]) + 1  # then the invitation, the rejoin: its own again
    ours = theirs[: kick + 1] + theirs[kick + 2 : theirs.index(after[0])]
    await until(lambda: ours[-1] in archived_ids(archive, room), "the second kick")
    assert await asyncio.to_thread(archived_ids, archive, room) == ours


async def test_an_invitation_withdrawn_after_a_kick_adds_nothing_said_since_the_kick(
    archived: tuple[KeptSession, KeeperProcess, KeeperArchive],
) -> None:
    kept, keeper, archive = archived
    await _kick(kept)
    up_to_kick = await server_ids(kept.reader, kept.operations)
    await until(lambda: archived_ids(archive, kept.operations) == up_to_kick, "the kick")
    # While it is down: talk it must not keep, an invitation, withdrawn.
    keeper.stop()
    await post(kept, 4, "after the kick")
    await _invite(kept)
    await _kick(kept)  # the invitation withdrawn
    keeper.start()
    await _a_sync_step_later(kept, archive)
    assert await asyncio.to_thread(archived_ids, archive, kept.operations) == up_to_kick


async def test_let_back_in_after_more_than_a_page_said_without_it_the_keeper_reads_on(
    behind: Behind,
) -> None:
    proxy, kept, _keeper, archive = behind
    room = kept.operations
    # Kicked while its pages fail; more than a page is said; invited, it joins again:
    # the page it reads from its cursor holds the kick, and not yet the rejoin.
    _down(proxy, room)
    await _kick(kept)
    await until(lambda: proxy.down >= 1, "the keeper to try the room")
    said = await post(kept, PAGE + 20, "while out")
    await _invite(kept)
    await wait_joined(kept, room)
    back = await post(kept, 2, "back in")
    proxy.history_room, proxy.history_down = "", False  # no event in the room after this
    theirs = await server_ids(kept.reader, room)
    rejoin = theirs.index(await _last_join(kept))
    ours = theirs[: theirs.index(said[0])] + theirs[rejoin:]  # up to the kick, from the rejoin
    await until(lambda: archived_ids(archive, room) == ours, "the record from the rejoin")
    assert texts(kept, back) == {e: f"back in {n}" for n, e in enumerate(back)}


async def test_an_invitation_withdrawn_while_the_keeper_was_down_is_not_archived(
    archived: tuple[KeptSession, KeeperProcess, KeeperArchive],
) -> None:
    kept, keeper, archive = archived
    keeper.stop()
    # A room of the facilitator's (history `shared`), the keeper invited to it
    # and removed before it could join: never the keeper's room.
    made = await kept.reader.room_create(name="Side talk")
    assert isinstance(made, RoomCreateResponse), made
    await raw_learn_members(kept.reader, made.room_id)
    await raw_send_text(kept.reader, made.room_id, "not for the record")
    resp = await kept.reader.room_invite(made.room_id, kept.keeper_id)
    assert isinstance(resp, RoomInviteResponse), resp
    resp = await kept.reader.room_kick(made.room_id, kept.keeper_id, "wrong room")
    assert isinstance(resp, RoomKickResponse), resp
    keeper.start()
    await _a_sync_step_later(kept, archive)
    assert await asyncio.to_thread(archived_ids, archive, made.room_id) == []


async def _invite(kept: KeptSession) -> None:
    resp = await kept.reader.room_invite(kept.operations, kept.keeper_id)
    assert isinstance(resp, RoomInviteResponse), resp


async def _a_sync_step_later(kept: KeptSession, archive: KeeperArchive) -> None:
    """Two messages in the restricted room archived one after the other: the keeper
    started again has dealt with the batch that told it of the rooms it left."""
    restricted = kept.info.room(RoomKind.RESTRICTED)
    assert restricted is not None
    await raw_learn_members(kept.reader, restricted)
    for text in ("after the restart", "a sync step later"):
        live = await raw_send_text(kept.reader, restricted, text)
        await until(lambda e=live: e in archived_ids(archive, restricted), "a live message")


async def _last_join(kept: KeptSession) -> str:
    """The keeper's last join of the operations room, as the server lists it."""
    resp = await kept.reader.room_messages(
        kept.operations,
        None,
        direction=MessageDirection.front,
        limit=1000,
        message_filter={"types": ["m.room.member"]},
    )
    assert isinstance(resp, RoomMessagesResponse), resp
    own = [
        e for e in resp.chunk if isinstance(e, RoomMemberEvent) and e.state_key == kept.keeper_id
    ]
    return [e.event_id for e in own if e.membership == "join"][-1]


def _down(proxy: HostileHomeserver, room_id: str) -> None:
    """The room's pages answered 502 (a homeserver restarting behind its proxy)."""
    proxy.history_room, proxy.history_down = room_id, True


def _refuse(proxy: HostileHomeserver, room_id: str) -> None:
    """The room's pages answered with no JSON at all."""
    proxy.history_room, proxy.refuse_history = room_id, True


def _tries(proxy: HostileHomeserver) -> int:
    """The room's pages asked for and spoiled so far (nio's reading of a page with no
    JSON fails twice: the page and its screened fetch)."""
    return proxy.down + proxy.refused // 2
