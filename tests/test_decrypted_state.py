"""A room member cannot change who reads the room by encrypting room state.

State events are sent in the clear and checked by the server; an ``m.room.encrypted``
event decrypts to whatever its sender wrote, a state key included. matrix-nio applies
what it decrypts to its room as if the server had sent it, so a member could write in a
"join" for an outsider — and our next message's room key went to the outsider's
devices — or a "leave" for a real member, who then could not read. (nio reads the
member list from the server before a room's first send of a run, and trusts its own
after that: the attack works from the second message on.) Judged from the outside: the
outsider and the member are plain matrix-nio clients.
"""

from __future__ import annotations

from pathlib import Path

from nio import AsyncClient, RoomMessageText, SyncResponse

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client, raw_send_text
from tests.plain_member import PlainMemberRoom, put_encrypted


def _holds_key_for(raw: AsyncClient, room: str) -> bool:
    """Whether the plain client received any room key for ``room``."""
    assert raw.olm is not None
    return any(session.room_id == room for session in raw.olm.inbound_group_store)


async def _receive_to_device(raw: AsyncClient) -> None:
    """One sync of the plain client: every to-device message sent to it so far."""
    reply = await raw.sync(timeout=0)
    assert isinstance(reply, SyncResponse), reply


def _marked(peer: Peer, event_id: str, status: EventStatus) -> bool:
    return any(e.event_id == event_id and e.status is status for e in peer.events())


async def _plain(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp: Path
) -> AsyncClient:
    account = make_account(tmp.name)
    return await raw_nio_client(homeserver, account.user_id, account.password, tmp)


async def _joined(alice: Peer, raw: AsyncClient, room: str) -> None:
    await alice.account.client.invite(room, raw.user_id)
    await raw_join(raw, room)
    await alice.wait_for(lambda: alice.has_joined(room, raw.user_id), f"{raw.user_id} joins")


def _reads(reply: SyncResponse, room: str, body: str) -> bool:
    joined = reply.rooms.join.get(room)
    events = joined.timeline.events if joined else []
    return any(isinstance(e, RoomMessageText) and e.body == body for e in events)


async def test_encrypted_member_events_do_not_change_who_gets_room_keys(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    plain_member_room: PlainMemberRoom,
    tmp_path: Path,
) -> None:
    eve = await _plain(homeserver, make_account, tmp_path / "eve")
    bob = await _plain(homeserver, make_account, tmp_path / "bob")
    try:
        async with plain_member_room("mallory", "Closed talks") as side:
            alice, mallory, room = side.alice, side.raw, side.room
            # alice shares another room with eve: her app knows eve's devices
            await _joined(alice, eve, await alice.account.create_room("Lobby"))
            await _joined(alice, bob, room)
            await raw_send_text(mallory, room, "Hello")
            await alice.wait_text(room, "Hello")  # alice holds mallory's room key
            first = await alice.account.send_text(room, "Good morning")  # nio reads the members
            await alice.wait_for(lambda: alice.sent(first.txn_id), "alice's first message sent")
            await _receive_to_device(eve)

            join = {"membership": "join"}
            forged = [
                {"type": "m.room.member", "state_key": eve.user_id, "content": join},
                {
                    "type": "m.room.member",
                    "state_key": bob.user_id,
                    "content": {"membership": "leave"},
                },
            ]
            ids = [await put_encrypted(homeserver, mallory, room, fake) for fake in forged]
            await alice.wait_for(
                lambda: all(_marked(alice, i, EventStatus.MALFORMED) for i in ids),
                "the forged member events, kept as malformed",
            )

            item = await alice.account.send_text(room, "Meet at noon")
            await alice.wait_for(lambda: alice.sent(item.txn_id), "alice's message sent")
            await _receive_to_device(eve)
            assert not _holds_key_for(eve, room), "an outsider got the room's key"
            reply = await bob.sync(timeout=0)
            assert isinstance(reply, SyncResponse), reply
            assert _reads(reply, room, "Meet at noon"), "a member cannot read alice's message"
    finally:
        await eve.close()
        await bob.close()
