"""An invitation that came after a removal, both while we were away, reaches the user.

A plain matrix-nio member removed bob from a room and invited him back while bob was
signed off. Synapse lists such a room in both the invite and the leave section of bob's
next sync (the leave is always included). Before, the leave took the invitation away in
the same step: bob was never told he was invited back. Now the invitation stays, the room
counts as left until he accepts (what he writes there fails at once, saying why), and a
later leave alone (the invitation withdrawn) still takes it away.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from nio import AsyncClient, RoomCreateResponse, RoomInviteResponse, RoomKickResponse

from app.homeserver import EmbeddedHomeserver
from app.services.notices import Connection, InvitationsChanged
from tests.fixtures_homeserver import MakeAccount
from tests.peers import ENCRYPTED, Peer, raw_learn_members, raw_nio_client, raw_send_text


def invited_to(peer: Peer) -> list[str]:
    """The rooms of the invitations the user was last told of."""
    told = [n.invitations for n in peer.notices if isinstance(n, InvitationsChanged)]
    return [i.room_id for i in told[-1]] if told else []


@asynccontextmanager
async def reinvited_while_away(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> AsyncIterator[tuple[AsyncClient, str, Peer]]:
    """Carol (plain nio) made a room with bob in it; while bob was signed off she removed
    him and invited him again. Yields carol, the room and bob, back and through his
    first sync."""
    carol = make_account("carol")
    raw = await raw_nio_client(homeserver, carol.user_id, carol.password, tmp_path / "raw")
    bob = await Peer(tmp_path / "bob", make_account("bob")).login(homeserver)
    try:
        made = await raw.room_create(
            name="Logistics", invite=[bob.user_id], initial_state=[ENCRYPTED]
        )
        assert isinstance(made, RoomCreateResponse), made
        room = made.room_id
        await bob.account.client.join(room)
        await raw_learn_members(raw, room)
        await raw_send_text(raw, room, "before the removal")
        await bob.wait_text(room, "before the removal")
        user_id = bob.user_id
        await bob.close()
        assert isinstance(await raw.room_kick(room, user_id), RoomKickResponse)
        assert isinstance(await raw.room_invite(room, user_id), RoomInviteResponse)
        bob = Peer(bob.data_dir)  # starts again from his profile (archive, sync token)
        await bob.backend.start()
        await bob.wait_for(lambda: bob.connection() is Connection.ONLINE, "the first sync")
        yield raw, room, bob
    finally:
        await raw.close()
        await bob.close()


async def test_an_invitation_back_after_a_removal_is_shown_and_accepting_it_joins(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with reinvited_while_away(homeserver, make_account, tmp_path) as (_raw, room, bob):
        assert invited_to(bob) == [room]  # before the fix: never told
        # Not a member yet: what he writes there fails at once, saying why.
        early = await bob.account.send_text(room, "Am I back?")
        await bob.wait_for(lambda: bob.failure(early.txn_id) is not None, "the row failed")
        assert bob.failure(early.txn_id) == "not sent: we are no longer a member of this room"
        await bob.backend.join_room(room)  # accepting, as the invitations list does
        await bob.wait_for(lambda: bob.has_joined(room, bob.user_id), "the join")
        await bob.wait_for(lambda: invited_to(bob) == [], "the invitation gone")
        item = await bob.account.send_text(room, "Back in")
        await bob.wait_for(lambda: bob.sent(item.txn_id), "the message sent")


async def test_an_invitation_back_that_is_withdrawn_goes_away(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with reinvited_while_away(homeserver, make_account, tmp_path) as (raw, room, bob):
        assert invited_to(bob) == [room]
        assert isinstance(await raw.room_kick(room, bob.user_id), RoomKickResponse)
        await bob.wait_for(lambda: invited_to(bob) == [], "the invitation withdrawn")
        assert not bob.has_joined(room, bob.user_id)
