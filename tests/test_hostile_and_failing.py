"""Other clients that send what they should not, and failures in the middle of a sync.

Each case once broke (or could break) receiving; each must now end in a record marked
for what it is, with the rest of the room flowing on.
"""

from __future__ import annotations

from pathlib import Path

from nio import RoomSendResponse

from app.core import roles
from app.core.records import EventStatus, OutboxState, RoomEvent
from app.homeserver import EmbeddedHomeserver
from app.services.authority import AUTH_TYPES
from app.services.notices import OutboxChanged, Problem
from app.store import StoreError
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, peers_signed_in, signed_in_peers
from tests.plain_member import PlainMemberRoom, put_encrypted

ORDER = {"body": "Evacuate now", "subject": "Go", "priority": "flash", "requires_ack": True}


def _archived(peer: Peer, event_id: str) -> RoomEvent | None:
    found = [e for e in peer.events() if e.event_id == event_id]
    return found[-1] if found else None


async def test_encrypted_events_cannot_forge_room_state(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom
) -> None:
    async with plain_member_room("mallory", "Restricted") as side:
        alice, raw, room, mallory = side.alice, side.raw, side.room, side.other
        levels = await alice.account.client.get_state(room, "m.room.power_levels")
        levels["events"] = {
            **levels["events"],
            roles.INSTRUCTION: roles.EVENT_LEVELS[roles.INSTRUCTION],
        }
        await alice.account.client.put_state(room, "m.room.power_levels", levels)
        sent = await raw.room_send(room, roles.INSTRUCTION, ORDER, ignore_unverified_devices=True)
        assert isinstance(sent, RoomSendResponse)
        await alice.wait_for(lambda: _archived(alice, sent.event_id) is not None, "instruction")
        assert _archived(alice, sent.event_id).status is EventStatus.FORGED

        grab = {**levels, "users": {**levels["users"], mallory.user_id: 100}}
        fake = {"type": "m.room.power_levels", "state_key": "", "content": grab}
        fake_id = await put_encrypted(homeserver, raw, room, fake)
        await alice.wait_for(lambda: _archived(alice, fake_id) is not None, "the fake state")
        assert _archived(alice, fake_id).status is EventStatus.MALFORMED

        again = await raw.room_send(room, roles.INSTRUCTION, ORDER, ignore_unverified_devices=True)
        await alice.wait_for(lambda: _archived(alice, again.event_id) is not None, "instruction")
        assert _archived(alice, again.event_id).status is EventStatus.FORGED
        state = await alice.account.db(alice.account.archive.state, [room], AUTH_TYPES)
        stored = next(e for e in state if e.type == "m.room.power_levels")
        assert mallory.user_id not in stored.content["users"]


async def test_plaintext_json_cannot_store_is_kept_as_malformed(
    plain_member_room: PlainMemberRoom,
) -> None:
    async with plain_member_room("buggy", "Operations") as side:
        alice, raw, room = side.alice, side.raw, side.room
        nan = {"msgtype": "m.text", "body": "buggy client", "x": float("nan")}
        bad = await raw.room_send(room, "m.room.message", nan, ignore_unverified_devices=True)
        good = {"msgtype": "m.text", "body": "Delegation: hold position"}
        await raw.room_send(room, "m.room.message", good, ignore_unverified_devices=True)
        await alice.wait_text(room, "Delegation: hold position")
        await alice.wait_for(lambda: _archived(alice, bad.event_id) is not None, "the bad event")
        assert _archived(alice, bad.event_id).status is EventStatus.MALFORMED
        assert not [n for n in alice.notices if isinstance(n, Problem)]


async def test_a_batch_that_failed_to_save_is_decrypted_when_fetched_again(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("Crisis cell", bob)
        archive = alice.account.archive
        real_save, failures = archive.save_sync_batch, []

        def save_failing_once(events, rooms, next_batch, announce=None, **rest):
            if not failures and any(e.source.get("type") == "m.room.encrypted" for e in events):
                failures.append(next_batch)
                raise StoreError("Could not save the synced events: database is locked")
            return real_save(events, rooms, next_batch, announce, **rest)

        archive.save_sync_batch = save_failing_once
        await bob.account.send_text(room, "Evacuate at 18:00")
        found = await alice.wait_text(room, "Evacuate at 18:00")  # shown before its write
        await alice.wait_for(lambda: bool(failures), "the failed save")
        await alice.wait_for(lambda: archive.event(found.event_id) is not None, "the archive")
        assert [n.what for n in alice.notices if isinstance(n, Problem)] == ["sync_failed"]
        stored = await alice.account.db(archive.event, found.event_id)
        assert stored is not None and stored.status is EventStatus.OK


async def test_a_room_we_left_does_not_hold_back_other_rooms(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice, bob = await signed_in_peers(homeserver, make_account, tmp_path, "alice", "bob")
    try:
        old = await alice.open_room_with("Old exercise", bob)
        live = await alice.open_room_with("Live crisis", bob)
        await alice.account.client.leave(old)
        await alice.close()

        again = Peer(tmp_path / "alice")
        await again.backend.start()
        try:
            stale = await again.account.send_text(old, "typed into the old room")
            await again.account.send_text(live, "FLASH: evacuate now")
            await bob.wait_text(live, "FLASH: evacuate now")
            states = [
                n.item.state
                for n in again.notices
                if isinstance(n, OutboxChanged) and n.item.txn_id == stale.txn_id
            ]
            assert OutboxState.SENT not in states
        finally:
            await again.close()
    finally:
        await bob.close()
