"""What was said in a room up to our removal is fetched, even when the sync that says we
left is one the sync screen takes the room out of.

A plain matrix-nio member made the room; while bob was away it said more there, then
removed him. Bob's next sync brings the room in its leave section, which the hostile
homeserver (``tests.hostile_homeserver``) spoils, to no object: the sync screen takes
the room out whole (nio's schema refuses it, where a room id names its server, as
before room version 12) or keeps it bare (nio's parser fails on it, where a room id
does not). No later sync brings what was said there (bob is no member any more):
only a hole noted for it leads to those messages, and the server serves a left room's
history up to the leave. (Before, a joined room taken out whole got its hole, a left
one none: what was said there until the kick was never fetched.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from nio import (
    AsyncClient,
    RoomCreateResponse,
    RoomKickResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
)

from app.homeserver import EmbeddedHomeserver
from app.services.notices import Connection
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import (
    HostileHomeserver,
    hole_filled_in_chain_order,
    hostile_homeserver,
)
from tests.peers import ENCRYPTED, Peer, raw_learn_members, raw_nio_client, raw_send_text

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


@dataclass
class Kicked:
    """``raw`` (plain nio) made ``room`` with bob (behind ``proxy``) in it; while bob was
    away, raw said ``SENT`` there and removed him. The proxy spoils the room's leave
    section in each sync that carries it."""

    raw: AsyncClient
    proxy: HostileHomeserver
    room: str
    bob: Peer  # signed off until ``come_back``

    async def come_back(self) -> Peer:
        """Bob starts again from his profile (his archive, his sync token)."""
        await self.bob.close()
        self.bob = Peer(self.bob.data_dir)
        await self.bob.backend.start()
        return self.bob


@asynccontextmanager
async def kicked_while_away(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    room_version: str | None = None,
) -> AsyncIterator[Kicked]:
    """The room and bob as ``Kicked`` says, in a room of ``room_version`` (the server's
    default when None); both clients closed at the end."""
    other = make_account("carol")
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp_path / "raw")
    bob = Peer(tmp_path / "bob", make_account("bob"))
    assert bob.login_as is not None
    async with hostile_homeserver(homeserver.url) as proxy:
        kicked = Kicked(raw, proxy, "", bob)
        try:
            assert await bob.backend.login(proxy.url, bob.login_as.user_id, bob.login_as.password)
            made = await raw.room_create(
                name="Operations",
                invite=[bob.user_id],
                initial_state=[ENCRYPTED],
                room_version=room_version,  # the server's own when None
            )
            assert isinstance(made, RoomCreateResponse), made
            room = kicked.room = made.room_id
            await bob.account.client.join(room)
            await raw_learn_members(raw, room)
            await raw_send_text(raw, room, "before the gap")
            await bob.wait_text(room, "before the gap")
            await bob.close()
            for text in SENT:
                await raw_send_text(raw, room, text)
            assert isinstance(await raw.room_kick(room, bob.login_as.user_id), RoomKickResponse)
            proxy.spoil_left = room
            yield kicked
        finally:
            await raw.close()
            await kicked.bob.close()


@pytest.mark.parametrize("room_version", ["10", None], ids=["taken out whole", "kept bare"])
async def test_what_was_said_until_a_kick_is_fetched_when_the_left_room_is_taken_out(
    room_version: str | None,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
) -> None:
    async with kicked_while_away(homeserver, make_account, tmp_path, room_version) as kicked:
        bob = await kicked.come_back()
        await hole_filled_in_chain_order(bob, kicked.room, SENT, synced=False)
        removed = bob.memberships(kicked.room, bob.user_id, "leave")
        assert len(removed) == 1, removed  # the kick itself, up to which the fill went
        assert kicked.proxy.spoiled >= 1  # the leave section came, and was taken out
        assert bob.problems("history_gap_lost") == []


@pytest.mark.parametrize("room_version", ["10", None], ids=["taken out whole", "kept bare"])
async def test_a_message_to_the_room_one_was_removed_from_fails_at_once(
    room_version: str | None,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
) -> None:
    """The sync that said bob left (its section taken out) tells this run he is no member:
    what he writes there shows failed at once, saying why, and never goes to the server
    (before, a room taken out whole was not known as left: the send went out, to the
    server's refusal)."""
    async with kicked_while_away(homeserver, make_account, tmp_path, room_version) as kicked:
        bob = await kicked.come_back()
        # Online after the first sync, the one from bob's token that carries the leave.
        await bob.wait_for(lambda: bob.connection() is Connection.ONLINE, "the first sync")
        assert kicked.proxy.spoiled >= 1
        item = await bob.account.send_text(kicked.room, "Still there?")
        await bob.wait_for(lambda: bob.failure(item.txn_id) is not None, "the row failed")
        assert bob.failure(item.txn_id) == "not sent: we are no longer a member of this room"
        assert kicked.proxy.sends == []  # nothing of bob's reached the server
        await kicked.raw.sync(timeout=0)
        newest = await kicked.raw.room_messages(kicked.room, kicked.raw.next_batch, limit=1)
        assert isinstance(newest, RoomMessagesResponse), newest
        assert [(type(e), e.state_key) for e in newest.chunk] == [(RoomMemberEvent, bob.user_id)]


async def test_a_left_room_whose_history_is_forbidden_is_given_up_at_once(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Its hole is given up at its first fill, the user told once by the room's name and
    never told it will be tried again: nothing is left to ask for, now or at a start."""
    async with kicked_while_away(homeserver, make_account, tmp_path) as kicked:
        proxy, room = kicked.proxy, kicked.room
        proxy.history_room, proxy.forbid_history = room, True
        bob = await kicked.come_back()
        await bob.wait_for(lambda: bool(bob.problems("history_gap_lost")), "the user told")
        assert bob.problems("history_gap_lost") == ["Operations"]
        assert bob.problems("history_gap") == []
        assert await bob.account.db(bob.account.archive.history_gaps) == []
        assert bob.find_text(room, SENT[0]) is None
        assert len(proxy.history_asked) == 1  # the hole's one fill, not again
