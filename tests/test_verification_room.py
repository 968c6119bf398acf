"""Emoji verification between two devices of the app, real Synapse, two backends.

Another person: in a room both share (as Element and Nheko do it for other users), the
request an m.room.message, then ready, start, accept, key, mac and done as events
referring to it. Our own new device: the same steps to-device, after request and ready."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.records import EventStatus
from app.core.verification import Phase, Transport, VerificationView
from app.services.notices import Refused
from app.services.verification.notices import DeviceVerified, VerificationChanged
from tests.cross_signing_peer import public_of, query, verify
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, peers_signed_in


def latest(peer: Peer) -> VerificationView | None:
    views = [n.view for n in peer.notices if isinstance(n, VerificationChanged)]
    return views[-1] if views else None


def phase(peer: Peer) -> Phase | None:
    view = latest(peer)
    return view.phase if view is not None else None


def trusts(peer: Peer, other: Peer) -> bool:
    olm = peer.account.client.olm
    device = olm.device_store[other.user_id].get(other.account.client.creds.device_id)
    return device is not None and olm.is_device_verified(device)


@pytest.mark.timeout(240)
async def test_in_room_verification_between_two_people(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("verify here", bob)
        key = await alice.backend.use("verification", lambda v: v.request(bob.user_id))
        await bob.wait_for(lambda: phase(bob) is Phase.REQUESTED, "the request")
        asked = latest(bob)
        assert asked.incoming and asked.transport is Transport.ROOM
        assert asked.other_user == alice.user_id
        # What Element shows: an m.room.message with the request msgtype, encrypted.
        request = next(e for e in bob.events() if e.content.get("msgtype", "").endswith("request"))
        assert request.room_id == room and request.status is EventStatus.OK
        assert request.source["type"] == "m.room.encrypted"

        await bob.backend.use("verification", lambda v: v.accept(asked.key))
        await alice.wait_for(lambda: phase(alice) is Phase.SHOWING, "alice's emoji")
        await bob.wait_for(lambda: phase(bob) is Phase.SHOWING, "bob's emoji")
        assert len(latest(alice).emoji) == 7
        assert latest(alice).emoji == latest(bob).emoji
        assert latest(alice).decimals == latest(bob).decimals
        # Every step referred to the request event, in the room.
        steps = {e.type for e in bob.events() if e.room_id == room}
        assert {"m.key.verification.ready", "m.key.verification.start"} <= steps | {
            e.type for e in alice.events() if e.room_id == room
        }

        await alice.backend.use("verification", lambda v: v.confirm(key))
        assert not trusts(alice, bob)  # our "match" alone trusts nothing
        await bob.backend.use("verification", lambda v: v.confirm(asked.key))
        await alice.wait_for(lambda: phase(alice) is Phase.DONE, "alice done")
        await bob.wait_for(lambda: phase(bob) is Phase.DONE, "bob done")
        assert trusts(alice, bob) and trusts(bob, alice)
        await alice.wait_for(
            lambda: any(
                isinstance(n, DeviceVerified) and n.user_id == bob.user_id for n in alice.notices
            ),
            "bob verified",
        )
        # The result is cross-signing: alice's user-signing key signed bob's master key,
        # checked on Synapse's answer by the test's own verifier.
        creds = alice.account.client.creds
        reply = await query(homeserver.url, creds.access_token, alice.user_id, bob.user_id)
        usk = public_of(reply["user_signing_keys"][alice.user_id])
        assert verify(reply["master_keys"][bob.user_id], alice.user_id, usk, usk)


@pytest.mark.timeout(240)
async def test_a_second_verification_in_parallel_is_refused(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        await alice.open_room_with("verify here", bob)
        await alice.backend.use("verification", lambda v: v.request(bob.user_id))
        await bob.wait_for(lambda: phase(bob) is Phase.REQUESTED, "the request")
        first = latest(bob)
        # Bob, not answering, asks Alice himself: his second verification is refused.
        with pytest.raises(Refused, match="busy"):
            await bob.backend.use("verification", lambda v: v.request(alice.user_id))
        assert latest(bob).key == first.key and not trusts(bob, alice)


@pytest.mark.timeout(240)
async def test_own_new_device_is_verified_to_device_with_request_and_ready(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """A second device of the same account: the request goes to-device to our other
    devices, the new one answers ready, and the rest of the exchange follows."""
    account = make_account("twodev")
    old = await Peer(tmp_path / "old", account).login(homeserver)
    new = await Peer(tmp_path / "new", account).login(homeserver)
    try:
        key = await old.backend.use("verification", lambda v: v.request(old.user_id))
        await new.wait_for(lambda: phase(new) is Phase.REQUESTED, "the request")
        asked = latest(new)
        assert asked.transport is Transport.TO_DEVICE and asked.incoming
        assert asked.other_device == old.account.client.creds.device_id
        await new.backend.use("verification", lambda v: v.accept(asked.key))
        await old.wait_for(lambda: phase(old) is Phase.SHOWING, "the emoji")
        await new.wait_for(lambda: phase(new) is Phase.SHOWING, "the emoji")
        assert latest(old).emoji == latest(new).emoji
        await new.backend.use("verification", lambda v: v.confirm(asked.key))
        await old.backend.use("verification", lambda v: v.confirm(key))
        await old.wait_for(lambda: phase(old) is Phase.DONE, "done")
        await new.wait_for(lambda: phase(new) is Phase.DONE, "done")
        assert trusts(old, new) and trusts(new, old)
    finally:
        await old.close()
        await new.close()
