"""The session policy on a real Synapse (MSC4153's exclusion): in a delegation room a
delegate's second device that its owner has not cross-signed gets no room key (it is
told ``m.unverified``), and its "done" is recorded as from an unverified device: the
instruction's stage does not move. The second device is plain matrix-nio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nio import SyncResponse

from app.core.instructions import Doubt, Draft, Stage
from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from tests.peers import Peer, raw_join, raw_nio_client
from tests.test_instructions import feed, instructions, row, stage_is
from tests.test_plain_clients import (
    PlainClient,
    knows_device,
    message_with,
    room_with_plain_clients,
)

__all__ = ["room_with_plain_clients"]


async def withheld_for(plain: PlainClient, room: str) -> list[dict[str, Any]]:
    """The ``m.room_key.withheld`` messages the device received for the room."""
    found: list[dict[str, Any]] = []
    for _ in range(20):
        reply = await plain.raw.sync(timeout=3_000)
        assert isinstance(reply, SyncResponse), reply
        plain._take(reply)
        for event in reply.to_device_events:
            source = event.source
            if source.get("type") == "m.room_key.withheld" and source["content"]["room_id"] == room:
                found.append(source["content"])
        if found:
            return found
    raise AssertionError("no withheld notice reached the unverified device")


async def test_an_unverified_second_device_gets_no_key_and_its_done_does_not_count(
    room_with_plain_clients: tuple[list[Peer], str, str, PlainClient, PlainClient],
    homeserver: EmbeddedHomeserver,
    tmp_path: Path,
) -> None:
    (_fac, amal, omar, _sara), space, geneva, omar_verified, _amal_elsewhere = (
        room_with_plain_clients
    )
    assert omar.login_as is not None
    raw = await raw_nio_client(
        homeserver, omar.login_as.user_id, omar.login_as.password, tmp_path / "stranger"
    )
    stranger = PlainClient(raw)
    try:
        await raw_join(raw, geneva)
        await amal.wait_for(
            lambda: knows_device(amal, raw.user_id, raw.device_id), "amal knows the new device"
        )
        ref = await instructions(amal).issue(
            space, Draft("Hold the line", "No concession.", action=("geneva",))
        )
        await omar.wait_for(stage_is(omar, space, ref, "geneva", Stage.RECEIVED), "received")
        await amal.wait_for(stage_is(amal, space, ref, "geneva", Stage.RECEIVED), "received")
        issued = await omar_verified.find(geneva, message_with("Hold the line"), "the order")

        told = await withheld_for(stranger, geneva)
        assert {t["code"] for t in told} == {"m.unverified"}
        assert not any("Hold the line" in str(s.get("content")) for s in stranger.seen)
        assert any(e.event_id == issued["event_id"] for e in stranger.locked)
        await amal.wait_for(
            lambda: any(
                isinstance(n, Problem)
                and n.what == "room_key_undeliverable"
                and raw.device_id in n.detail
                for n in amal.notices
            ),
            "the sender is told who cannot read",
        )

        # The unverified device answers "done" to the event it cannot read: it does not count.
        sent = await stranger.reply(geneva, str(issued["event_id"]), "done")
        await amal.wait_for(lambda: bool(feed(amal, space).suspects), "the reply audited")
        (suspect,) = feed(amal, space).suspects
        assert suspect.doubt is Doubt.UNVERIFIED and suspect.sender == omar.user_id
        archived = [e for e in amal.events() if e.event_id == sent]
        assert archived and archived[-1].status is EventStatus.UNVERIFIED
        assert raw.device_id in archived[-1].note
        still = row(amal, space, ref, "geneva")
        assert still is not None and still.stage is Stage.RECEIVED

        # The owner verifies the device (emoji, here its app's signature): its next "done"
        # counts.
        await omar.backend.use("trust", lambda t: t.sign_own_device(raw.device_id))
        await stranger.reply(geneva, str(issued["event_id"]), "done")
        await amal.wait_for(stage_is(amal, space, ref, "geneva", Stage.DONE), "the verified done")
        # ... and it reads what is sent from now on (a new room key reaches it).
        await instructions(amal).issue(space, Draft("Now sign", "Today.", action=("geneva",)))
        await stranger.find(geneva, message_with("Now sign"), "the next order")
    finally:
        await raw.close()
