"""Missing room keys are asked for, given where the spec allows it, refused where not.

A new device of a user asks the user's other devices and the sending device for the keys
of history it cannot read; our other device forwards them. A device that was never meant
to have a session (it joined after the message) is told no with m.room_key.withheld,
and the timeline says so instead of "waiting for the key".
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from nio import AsyncClient, RoomKeyRequest, RoomKeyRequestCancellation, SyncResponse

from app.core.records import EventStatus, RoomEvent
from app.homeserver import EmbeddedHomeserver
from app.ui.timeline.rows import event_row
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, peers_signed_in, raw_join, raw_nio_client


def _locked(peer: Peer, room_id: str) -> list[RoomEvent]:
    return [
        e for e in peer.events() if e.room_id == room_id and e.status is EventStatus.UNDECRYPTED
    ]


async def _requests_seen(raw: AsyncClient, session_id: str) -> set[str]:
    """Sync the plain client until it has seen a request for the session and its
    cancellation (bounded); returns which of the two it saw."""
    seen: set[str] = set()
    async with asyncio.timeout(60):
        while seen != {"request", "cancellation"}:
            reply = await raw.sync(timeout=5_000)
            if not isinstance(reply, SyncResponse):
                continue
            for event in reply.to_device_events:
                if getattr(event, "request_id", None) != session_id:
                    continue
                if isinstance(event, RoomKeyRequest):
                    seen.add("request")
                elif isinstance(event, RoomKeyRequestCancellation):
                    seen.add("cancellation")
    return seen


async def test_a_new_device_gets_history_keys_from_our_other_device(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice = make_account("alice")
    bob = make_account("bob")
    laptop = await Peer(tmp_path / "laptop", alice).login(homeserver)
    raw = await raw_nio_client(homeserver, bob.user_id, bob.password, tmp_path / "bob")
    tablet: Peer | None = None
    try:
        room = await laptop.account.create_room("Crossings", (bob.user_id,))
        await raw_join(raw, room)
        await raw.room_send(
            room,
            "m.room.message",
            {"msgtype": "m.text", "body": "Crossing B closes at dusk"},
            ignore_unverified_devices=True,
        )
        await laptop.wait_text(room, "Crossing B closes at dusk")

        # Bob's session was never shared with the tablet: it did not exist then.
        tablet = await Peer(tmp_path / "tablet", alice).login(homeserver)
        seen = await tablet.wait_text(room, "Crossing B closes at dusk")
        assert seen.source["type"] == "m.room.encrypted"
        stored = await tablet.account.db(tablet.account.archive.event, seen.event_id)
        assert stored is not None and stored.status is EventStatus.OK
        # The sending device (plain nio) was asked too, and told to stop once answered.
        session_id = seen.source["content"]["session_id"]
        assert await _requests_seen(raw, session_id) == {"request", "cancellation"}
    finally:
        await raw.close()
        for peer in (laptop, tablet):
            if peer is not None:
                await peer.close()


async def test_a_device_that_never_had_the_key_is_refused_and_told_why(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    names = ("sender", "early", "late")
    async with peers_signed_in(homeserver, make_account, tmp_path, *names) as (sender, early, late):
        room = await sender.open_room_with("Cell", early)
        await sender.account.send_text(room, "Before the adviser came")
        await early.wait_text(room, "Before the adviser came")

        await sender.account.client.invite(room, late.user_id)
        await late.account.client.join(room)

        def refused() -> bool:
            return any(e.note == "withheld: m.unauthorised" for e in _locked(late, room))

        await late.wait_for(refused, "the sender's refusal")
        event = next(e for e in _locked(late, room) if e.note.startswith("withheld"))
        stored = await late.account.db(late.account.archive.event, event.event_id)
        assert stored is not None and stored.note == "withheld: m.unauthorised"
        row = event_row(stored)
        assert row is not None and "withheld" in row.text
        assert "not allowed" in row.text
        assert "Before the adviser came" not in late.texts(room)
