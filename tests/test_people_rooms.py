"""The people of our rooms follow who comes and goes, room by room: after the first full
look at every room, only the rooms a sync brought membership changes for are read again,
and a change in any one of them still shows. The others are plain matrix-nio clients."""

from __future__ import annotations

from pathlib import Path

from app.homeserver import EmbeddedHomeserver
from app.services.notices import TrustChanged
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client


def listed(peer: Peer, user_id: str) -> bool:
    """Whether the newest trust states the UI was given name this person."""
    shown = [n for n in peer.notices if isinstance(n, TrustChanged)]
    return bool(shown) and shown[-1].of(user_id) is not None


async def test_someone_joining_or_leaving_one_room_changes_the_people_shown(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    me = await Peer(tmp_path / "me", make_account("me")).login(homeserver)
    bob_login, carol_login = make_account("bob"), make_account("carol")
    bob = await raw_nio_client(homeserver, bob_login.user_id, bob_login.password, tmp_path / "b")
    carol = await raw_nio_client(
        homeserver, carol_login.user_id, carol_login.password, tmp_path / "c"
    )
    try:
        first = await me.account.create_room("first", (bob.user_id,))
        await raw_join(bob, first)
        await me.wait_for(lambda: listed(me, bob.user_id), "bob among the people")

        # A second room, made after the people were first looked up: Carol is noticed.
        second = await me.account.create_room("second", (carol.user_id,))
        await raw_join(carol, second)
        await me.wait_for(lambda: listed(me, carol.user_id), "carol among the people")
        assert listed(me, bob.user_id)

        # Bob leaves the one room we shared: he is no longer among our people; Carol is.
        await bob.room_leave(first)
        await me.wait_for(lambda: not listed(me, bob.user_id), "bob gone from the people")
        assert listed(me, carol.user_id)
    finally:
        await bob.close()
        await carol.close()
        await me.close()
