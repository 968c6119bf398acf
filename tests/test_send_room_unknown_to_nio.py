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

from pathlib import Path

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
from app.services.notices import Connection
from tests.fixtures_homeserver import MakeAccount
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
    """Bob accepts carol's invitation and writes at once, before any sync has brought
    the room to nio: the message waits for that sync (never failed) and carol, a plain
    matrix-nio client, reads it."""
    carol = make_account("carol")
    raw = await raw_nio_client(homeserver, carol.user_id, carol.password, tmp_path / "raw")
    bob = await Peer(tmp_path / "bob", make_account("bob")).login(homeserver)
    try:
        room = await _room_of(raw, "Logistics", bob.user_id)
        await bob.backend.join_room(room)  # accepting, as the invitations list does
        item = await bob.account.send_text(room, "Joined, on my way")
        await bob.wait_for(lambda: bob.sent(item.txn_id) or bool(bob.failure(item.txn_id)), "it")
        assert bob.failure(item.txn_id) is None
        await raw_learn_members(raw, room)
        page = await raw.room_messages(room, raw.next_batch, direction=MessageDirection.back)
        assert isinstance(page, RoomMessagesResponse), page
        texts = [e.body for e in page.chunk if isinstance(e, RoomMessageText)]
        assert texts[0] == "Joined, on my way"
    finally:
        await raw.close()
        await bob.close()
