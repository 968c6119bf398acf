"""Protocol 2.0 on a real Synapse: a client that knows only ``m.room.message`` (plain
matrix-nio, as Element or Nheko would be) reads everything the app sends and answers an
instruction with a plain reply; 1.x events sent the old way are still read.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient, MegolmEvent, SyncResponse

from app.core import roles
from app.core.instructions import Doubt, Draft, Stage, instruction_content
from app.core.roles import RoomKind
from app.core.timeline import EntryDraft
from app.homeserver import EmbeddedHomeserver
from app.services.timeline import Timeline
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client
from tests.test_instructions import NAMES, convene, feed, instructions, row, stage_is


@dataclass
class PlainClient:
    """Another Matrix client of a participant: it reads only what arrives decrypted."""

    raw: AsyncClient
    seen: list[dict[str, Any]] = field(default_factory=list)
    locked: list[MegolmEvent] = field(default_factory=list)

    async def find(
        self, room: str, check: Callable[[Mapping[str, Any]], bool], what: str
    ) -> Mapping[str, Any]:
        """The first event of the room that passes ``check``, syncing until it arrives."""
        for _ in range(60):  # long polls: each returns as soon as the server has news
            for source in self.seen:
                if source.get("room_id") == room and check(source):
                    return source
            reply = await self.raw.sync(timeout=3_000)
            assert isinstance(reply, SyncResponse), reply
            self._take(reply)
        raise AssertionError(f"{what} never reached the plain client")

    def _take(self, reply: SyncResponse) -> None:
        retry, self.locked = self.locked, []
        for locked in retry:  # a room key may arrive after its event
            self._keep(locked.room_id, locked)
        for room_id, joined in reply.rooms.join.items():
            for event in joined.timeline.events:
                self._keep(room_id, event)

    def _keep(self, room_id: str, event: Any) -> None:
        if isinstance(event, MegolmEvent):
            event.room_id = room_id
            opened = self.raw.decrypt_event(event) if self._has_key(event) else None
            if opened is None:
                self.locked.append(event)
                return
            event = opened
        self.seen.append({**event.source, "room_id": room_id})

    def _has_key(self, event: MegolmEvent) -> bool:
        assert self.raw.olm is not None
        sessions = self.raw.olm.inbound_group_store
        return sessions.get(event.room_id, event.sender_key, event.session_id) is not None

    async def reply(self, room: str, event_id: str, body: str, thread: bool = False) -> str:
        relation: dict[str, Any] = {"m.in_reply_to": {"event_id": event_id}}
        if thread:
            relation = {"rel_type": "m.thread", "event_id": event_id, **relation}
        content = {"msgtype": "m.text", "body": body, "m.relates_to": relation}
        return await self.send(room, "m.room.message", content)

    async def send(self, room: str, event_type: str, content: dict[str, Any]) -> str:
        sent = await self.raw.room_send(room, event_type, content, ignore_unverified_devices=True)
        return str(sent.event_id)


def message_with(text: str) -> Callable[[Mapping[str, Any]], bool]:
    def check(source: Mapping[str, Any]) -> bool:
        content = source.get("content", {})
        return source.get("type") == "m.room.message" and text in str(content.get("body", ""))

    return check


def knows_device(peer: Peer, user_id: str, device_id: str) -> bool:
    """Whether the app's device would share room keys with that device now."""
    store = peer.account.client._nio.device_store  # read-only look at nio's device list
    return any(device.id == device_id for device in store.active_user_devices(user_id))


async def verify_own_device(owner: Peer, device_id: str) -> None:
    """The owner's app cross-signs another device of theirs (a trusted second client)."""
    await owner.backend.use("trust", lambda trust: trust.sign_own_device(device_id))


@pytest.fixture
async def room_with_plain_clients(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> AsyncIterator[tuple[list[Peer], str, str, PlainClient, PlainClient]]:
    """The four of test_instructions in a convened session, plus a second, plain device
    for omar (Geneva delegate) and for amal (official) in the Geneva room."""
    accounts = {n: make_account(n) for n in NAMES}
    peers = [await Peer(tmp_path / n, accounts[n]).login(homeserver) for n in NAMES]
    plain: list[PlainClient] = []
    try:
        fac, amal, omar, sara = peers
        info = await convene(fac, amal, omar, sara)
        geneva = info.room(RoomKind.DELEGATION, "geneva")
        assert geneva is not None
        for name, owner in (("omar", omar), ("amal", amal)):
            account = accounts[name]
            raw = await raw_nio_client(
                homeserver, account.user_id, account.password, tmp_path / f"plain-{name}"
            )
            plain.append(PlainClient(raw))
            await verify_own_device(owner, raw.device_id)  # as emoji verification would
            await raw_join(raw, geneva)
            for peer in (amal, omar):
                await peer.wait_for(
                    lambda p=peer, r=raw: knows_device(p, r.user_id, r.device_id),
                    f"the app knows {name}'s other device",
                )
        yield peers, info.space_id, geneva, plain[0], plain[1]
    finally:
        for client in plain:
            await client.raw.close()
        for peer in peers:
            await peer.close()


async def test_a_plain_client_reads_every_event_and_its_done_counts_only_from_the_delegation(
    room_with_plain_clients: tuple[list[Peer], str, str, PlainClient, PlainClient],
) -> None:
    (_fac, amal, omar, _sara), space, geneva, omar_elsewhere, amal_elsewhere = (
        room_with_plain_clients
    )
    deadline = int(time.time() * 1000) + 3_600_000
    draft = Draft(
        "Hold the corridor line", "Do not concede.", "flash", ("geneva",), deadline=deadline
    )
    ref = await instructions(amal).issue(space, draft)

    # Every kind of event the app sends has a readable body on a plain client.
    issued = await omar_elsewhere.find(geneva, message_with("Hold the corridor line"), "order")
    assert issued["content"]["msgtype"] == "m.text"
    assert "FLASH instruction to Geneva talks" in issued["content"]["body"]
    assert "Do not concede." in issued["content"]["formatted_body"]
    instruction_id = str(issued["event_id"])
    received = await omar_elsewhere.find(geneva, message_with("received —"), "the receipt")
    assert received["content"]["msgtype"] == "m.notice"
    assert "Hold the corridor line" in received["content"]["body"]
    await instructions(omar).request(space, "May we offer a pause?", "Mediators ask.")
    await omar_elsewhere.find(geneva, message_with("May we offer a pause?"), "the request")
    await omar.account.feature(Timeline).post(
        geneva, EntryDraft("analysis", "Convoy seen at the crossing", "Two trucks.")
    )
    entry = await omar_elsewhere.find(geneva, message_with("Convoy seen at"), "the entry")
    assert "[ANALYSIS]" in entry["content"]["body"] and "Two trucks." in entry["content"]["body"]
    entry_id = str(entry["event_id"])
    await amal.wait_for(
        lambda: any(e.event_id == entry_id and e.type == roles.ENTRY for e in amal.events()),
        "the entry read as an entry at the capital",
    )
    await amal.account.feature(Timeline).verify(entry_id, "confirmed", "Seen twice")
    change = await omar_elsewhere.find(
        geneva, message_with("is now confirmed"), "the verification change"
    )
    assert "Convoy seen at the crossing" in change["content"]["body"]
    assert change["content"]["msgtype"] == "m.notice"

    # The official's "done" from another client is forged; the delegate's counts.
    await amal_elsewhere.reply(geneva, instruction_id, "done")
    await amal.wait_for(lambda: bool(feed(amal, space).suspects), "the forged reply audited")
    (forged,) = feed(amal, space).suspects
    assert forged.doubt is Doubt.FORGED and forged.sender == amal.user_id
    assert forged.type == "m.room.message"
    geneva_row = row(amal, space, ref, "geneva")
    assert geneva_row is not None and geneva_row.stage is Stage.RECEIVED
    fallback = f"> <{amal.user_id}> Hold the corridor line\n\nDone."
    await omar_elsewhere.reply(geneva, instruction_id, fallback)
    await amal.wait_for(stage_is(amal, space, ref, "geneva", Stage.DONE), "done via Nheko")
    done = row(amal, space, ref, "geneva")
    assert done is not None and done.stage_via_other_client and done.stage_by == omar.user_id


async def test_arabic_replies_and_old_1x_events_are_read(
    room_with_plain_clients: tuple[list[Peer], str, str, PlainClient, PlainClient],
) -> None:
    (_fac, amal, omar, _sara), space, geneva, omar_elsewhere, _amal_elsewhere = (
        room_with_plain_clients
    )
    ref = await instructions(amal).issue(space, Draft("افتحوا الممر", "اليوم", action=("geneva",)))
    issued = await omar_elsewhere.find(geneva, message_with("افتحوا الممر"), "the order")
    instruction_id = str(issued["event_id"])
    await omar_elsewhere.reply(geneva, instruction_id, "تمّ الإقرار")
    await amal.wait_for(stage_is(amal, space, ref, "geneva", Stage.ACKNOWLEDGED), "Arabic ack")
    await omar_elsewhere.reply(geneva, instruction_id, "تعذّر: لا يوجد نصاب", thread=True)
    await amal.wait_for(stage_is(amal, space, ref, "geneva", Stage.UNABLE), "Arabic unable")
    unable = row(amal, space, ref, "geneva")
    assert unable is not None and unable.note == "لا يوجد نصاب" and unable.stage_via_other_client

    # A 1.x instruction (custom type) and a 1.x ack from a plain client still count.
    old = instruction_content(Draft("Old style order", "Sent by a 1.x client"), "old-ref")
    await amal.account.send(geneva, roles.INSTRUCTION, old)
    await omar.wait_for(lambda: row(omar, space, "old-ref", "geneva") is not None, "1.x order")
    old_row = row(omar, space, "old-ref", "geneva")
    assert old_row is not None and old_row.instruction.subject == "Old style order"
    ack = {
        "body": "done",
        "state": "done",
        "m.relates_to": {"rel_type": "m.reference", "event_id": old_row.instruction.event_id},
    }
    await omar_elsewhere.send(geneva, roles.ACK, ack)
    await amal.wait_for(stage_is(amal, space, "old-ref", "geneva", Stage.DONE), "1.x ack")
    old_done = row(amal, space, "old-ref", "geneva")
    assert old_done is not None and not old_done.stage_via_other_client
