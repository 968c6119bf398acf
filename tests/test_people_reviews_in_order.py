"""Two looks at the people of our rooms overlap: the one that read the rooms first but
is answered last tells the screen nothing, so someone who joined meanwhile is not taken
off it until the next look. The others in the room are plain matrix-nio clients; the
real server answers every identity lookup, the first one late.

Why this is pinned: looks run from the sync's trust watch and from the user's commands
(accepting a new identity), and each waits for the server's answer after reading the
rooms. A look answered after a newer one once told its older people and states last.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from app.homeserver import EmbeddedHomeserver
from app.matrix.crypto.identities import UserTrust
from app.services.notices import TrustChanged
from app.services.trust.people import People
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client
from tests.test_people_rooms import listed

WAIT_SECONDS = 30.0


class LateLookup:
    """The first lookup of ``user_id``'s identity waits until ``release`` is set, then
    asks the server as always; ``asked`` and ``answered`` say where it is."""

    def __init__(self, peer: Peer, user_id: str) -> None:
        self.asked, self.release, self.answered = asyncio.Event(), asyncio.Event(), asyncio.Event()
        identities = peer.account.client.identities
        real, armed = identities.fetch, [True]

        async def fetch(users: Iterable[str], strict: bool = False) -> dict[str, UserTrust]:
            users = set(users)
            if not (armed[0] and user_id in users):
                return await real(users, strict)
            armed[0] = False
            self.asked.set()
            await self.release.wait()
            try:
                return await real(users, strict)
            finally:
                self.answered.set()  # the look goes on from here before anyone else runs

        identities.fetch = fetch  # type: ignore[method-assign]


async def test_a_look_answered_after_a_newer_one_does_not_undo_it(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    me = await Peer(tmp_path / "me", make_account("me")).login(homeserver)
    logins = [make_account(name) for name in ("bob", "carol", "dave")]
    bob, carol, dave = [
        await raw_nio_client(homeserver, login.user_id, login.password, tmp_path / login.localpart)
        for login in logins
    ]
    try:
        room = await me.account.create_room("ops", (bob.user_id, carol.user_id, dave.user_id))
        await raw_join(bob, room)
        await me.wait_for(lambda: listed(me, bob.user_id), "bob among the people")

        late = LateLookup(me, carol.user_id)
        await raw_join(carol, room)  # the sync's look reads the rooms and asks: held
        async with asyncio.timeout(WAIT_SECONDS):
            await late.asked.wait()
        await raw_join(dave, room)
        await me.wait_for(lambda: me.has_joined(room, dave.user_id), "dave's join synced")
        await me.account.feature(People).review()  # as accepting an identity runs one
        assert listed(me, carol.user_id) and listed(me, dave.user_id)

        late.release.set()  # the older look is answered now
        async with asyncio.timeout(WAIT_SECONDS):
            await late.answered.wait()
        told = [n for n in me.notices if isinstance(n, TrustChanged)]
        newest = next(i for i, n in enumerate(told) if n.of(dave.user_id) is not None)
        assert all(n.of(dave.user_id) is not None for n in told[newest:])  # never undone
    finally:
        for raw in (bob, carol, dave):
            await raw.close()
        await me.close()
