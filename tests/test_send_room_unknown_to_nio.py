"""A message to a room nio does not know: failed when we are no member, sent when the
room is one nio has not seen yet.

nio refuses a send to a room missing from its rooms ("No such room"). Its rooms are
those this run's syncs brought: a room we were removed from in an earlier run is not
among them, nor a room id never joined. That refusal was taken as passing, so the row
waited on back-off for ever and the user saw "sending…" for ever. Now the server's list
of our rooms decides; a room just joined, which only the next sync brings to nio, is
in that list, and its message goes out once the sync has come.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from nio import (
    AsyncClient,
    MessageDirection,
    RoomCreateResponse,
    RoomKickResponse,
    RoomMessagesResponse,
    RoomMessageText,
)

from app.core.errors import NOT_A_MEMBER
from app.homeserver import EmbeddedHomeserver
from app.matrix.membership import NOT_SYNCED
from app.services.notices import Connection
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import HostileHomeserver, bob_through_a_proxy
from tests.peers import ENCRYPTED, Peer, raw_learn_members, raw_nio_client


async def _room_of(raw: AsyncClient, name: str, *invited: str) -> str:
    made = await raw.room_create(name=name, invite=list(invited), initial_state=[ENCRYPTED])
    assert isinstance(made, RoomCreateResponse), made
    return made.room_id


async def _restarted(bob: Peer) -> Peer:
    """Bob's app started again from his profile (archive, sync token), through its first sync."""
    await bob.close()
    bob = Peer(bob.data_dir)
    await bob.backend.start()
    await bob.wait_for(lambda: bob.connection() is Connection.ONLINE, "the first sync")
    return bob


@asynccontextmanager
async def _carol_and_bob_behind_a_proxy(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, root: Path
) -> AsyncIterator[tuple[AsyncClient, Peer, HostileHomeserver]]:
    """Carol (plain matrix-nio) on the homeserver itself; bob's app signed in through a
    hostile proxy in front of it (its calls counted, held or refused there)."""
    carol = make_account("carol")
    raw = await raw_nio_client(homeserver, carol.user_id, carol.password, root / "raw")
    try:
        async with bob_through_a_proxy(homeserver, make_account, root) as (bob, proxy):
            yield raw, bob, proxy
    finally:
        await raw.close()


async def _last_text(raw: AsyncClient, room: str) -> str:
    """The newest message of ``room`` as carol (plain matrix-nio) reads it."""
    await raw_learn_members(raw, room)
    page = await raw.room_messages(room, raw.next_batch, direction=MessageDirection.back)
    assert isinstance(page, RoomMessagesResponse), page
    return next(e.body for e in page.chunk if isinstance(e, RoomMessageText))


async def test_a_message_to_a_room_we_are_no_member_of_fails_saying_why(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Carol (plain matrix-nio) removed bob; in his next run, nio knows no such room.
    What he writes there, and to a room he never joined, shows failed with the reason,
    not pending; what he writes to a room he is in still goes out."""
    carol = make_account("carol")
    raw = await raw_nio_client(homeserver, carol.user_id, carol.password, tmp_path / "raw")
    bob = await Peer(tmp_path / "bob", make_account("bob")).login(homeserver)
    try:
        removed = await _room_of(raw, "Logistics", bob.user_id)
        kept = await _room_of(raw, "Operations", bob.user_id)
        never = await _room_of(raw, "Restricted")
        for room in (removed, kept):
            await bob.account.client.join(room)
            await bob.wait_for(lambda r=room: bob.has_joined(r, bob.user_id), "the join")
        assert isinstance(await raw.room_kick(removed, bob.user_id), RoomKickResponse)
        await bob.wait_for(lambda: bool(bob.memberships(removed, bob.user_id, "leave")), "leave")
        bob = await _restarted(bob)

        gone = await bob.account.send_text(removed, "Still there?")
        stranger = await bob.account.send_text(never, "Hello?")
        fine = await bob.account.send_text(kept, "Here")
        for item in (gone, stranger):
            await bob.wait_for(lambda i=item: bob.failure(i.txn_id) is not None, "the failure")
            assert bob.failure(item.txn_id) == NOT_A_MEMBER
        await bob.wait_for(lambda: bob.sent(fine.txn_id), "the message in a joined room sent")
    finally:
        await raw.close()
        await bob.close()


async def test_a_message_queued_right_after_joining_is_delivered(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Bob accepts carol's invitation and writes at once, most often before a sync has
    brought the room to nio: the message is delivered (never failed) and carol, a plain
    matrix-nio client, reads it. A guard of the ordinary path: whether the send meets
    the room unsynced is a race; the join held on its way below is the deterministic
    case."""
    async with _carol_and_bob_behind_a_proxy(homeserver, make_account, tmp_path) as found:
        raw, bob, _ = found
        room = await _room_of(raw, "Logistics", bob.user_id)
        await bob.backend.join_room(room)  # accepting, as the invitations list does
        item = await bob.account.send_text(room, "Joined, on my way")
        await bob.wait_for(lambda: bob.sent(item.txn_id) or bool(bob.failure(item.txn_id)), "it")
        assert bob.failure(item.txn_id) is None
        assert await _last_text(raw, room) == "Joined, on my way"


async def test_many_messages_to_a_room_we_were_removed_from_ask_the_server_once(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bob wrote five messages to Logistics and then an instruction to Operations while
    the server was restarting, and closed the app; carol removed him from Logistics.
    His next start asks the server's list of his rooms once: not before his first sync
    (nio knows no room then; his pending rows wait), and not for every row of the room
    he was removed from (they all fail the same way). The instruction, queued after
    them, is delivered and carol, a plain matrix-nio client, reads it."""
    caplog.set_level(logging.INFO, logger="app.services.outbox_worker")
    async with _carol_and_bob_behind_a_proxy(homeserver, make_account, tmp_path) as found:
        raw, bob, proxy = found
        removed = await _room_of(raw, "Logistics", bob.user_id)
        kept = await _room_of(raw, "Operations", bob.user_id)
        for room in (removed, kept):
            await bob.account.client.join(room)
            await bob.wait_for(lambda r=room: bob.has_joined(r, bob.user_id), "the join")
        proxy.sends_down = True
        doomed = [await bob.account.send_text(removed, f"Trucks {n}") for n in range(5)]
        instruction = await bob.account.send_text(kept, "Evacuate sector 4")
        await bob.wait_for(lambda: len(proxy.sends) >= 2, "both rooms' sends tried")
        bob_id = bob.user_id
        await bob.close()
        assert isinstance(await raw.room_kick(removed, bob_id), RoomKickResponse)
        proxy.sends_down, proxy.joined_rooms_asked = False, 0

        again = Peer(bob.data_dir)
        proxy.hold = "/sync"  # the first sync held back: nio knows no room meanwhile
        caplog.clear()
        deferred = f"send of {instruction.txn_id} deferred: {NOT_SYNCED}"
        try:
            await again.backend.start()
            await again.wait_for(lambda: deferred in caplog.messages, "a pass before the sync")
            assert proxy.joined_rooms_asked == 0  # nio knows no room yet: nothing to ask
            proxy.held_goes.set()
            await again.wait_for(lambda: again.sent(instruction.txn_id), "the instruction sent")
            for item in doomed:
                await again.wait_for(lambda i=item: again.failure(i.txn_id) is not None, "failed")
                assert again.failure(item.txn_id) == NOT_A_MEMBER
        finally:
            await again.close()
        assert proxy.joined_rooms_asked == 1  # after the sync, for all five rows
        assert await _last_text(raw, kept) == "Evacuate sector 4"


async def test_a_message_written_while_the_join_is_on_its_way_waits_for_it(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bob accepts carol's invitation and writes while his join is still on its way
    (the server's list of his rooms does not hold the room yet): the message waits for
    the room, never failed as if he were no member, and carol (plain matrix-nio) reads
    it."""
    caplog.set_level(logging.INFO, logger="app.services.outbox_worker")
    async with _carol_and_bob_behind_a_proxy(homeserver, make_account, tmp_path) as found:
        raw, bob, proxy = found
        room = await _room_of(raw, "Logistics", bob.user_id)
        proxy.hold = "/join/"
        joining = asyncio.create_task(bob.backend.join_room(room))
        await proxy.held_came.wait()
        item = await bob.account.send_text(room, "Joined, on my way")
        deferred = f"send of {item.txn_id} deferred: {NOT_SYNCED}"
        await bob.wait_for(
            lambda: deferred in caplog.messages or bool(bob.failure(item.txn_id)), "a verdict"
        )
        assert bob.failure(item.txn_id) is None
        proxy.held_goes.set()
        await joining
        await bob.wait_for(lambda: bob.sent(item.txn_id) or bool(bob.failure(item.txn_id)), "it")
        assert bob.failure(item.txn_id) is None
        assert await _last_text(raw, room) == "Joined, on my way"
