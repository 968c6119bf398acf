"""An ack made while the delegate's device is busy archiving goes out first, once, and
under one transaction id, also when the app stops before it is sent (real Synapse; the
other side is the official's plain matrix-nio client).

Why this is pinned: a send's outbox row is written ahead of the store calls still
waiting on the account's one store thread (``app.services.store_calls``), so the ack no
longer waits for work queued before it. That must not loosen the send path's rules: the
row is committed before the network send, a stop between the two sends it after the
restart under the same transaction id, and the other side gets it exactly once.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from app.core.records import OutboxItem, OutboxState, RoomEvent
from app.services.notices import OutboxChanged, RoomLoaded
from tests.peers import Peer
from tests.test_instructions import instructions
from tests.test_instructions_early import Fixture, _issue_elsewhere, _mentions, _received_from
from tests.test_plain_clients import message_with, room_with_plain_clients  # noqa: F401

WAIT_SECONDS = 30.0


def _hold_archive_write(peer: Peer, text: str) -> tuple[threading.Event, threading.Event]:
    """The archive write of the batch mentioning ``text`` stays on the store thread until
    released (a long write in progress); returns (writing, release)."""
    writing, release = threading.Event(), threading.Event()
    archive = peer.account.archive
    real_save = archive.save_sync_batch

    def save(events, rooms, next_batch, announce=None, **rest):  # type: ignore[no-untyped-def]
        if any(_mentions(text)(e) for e in events):
            writing.set()
            release.wait(WAIT_SECONDS)
        return real_save(events, rooms, next_batch, announce, **rest)

    archive.save_sync_batch = save  # type: ignore[method-assign]
    return writing, release


def _hold_sends(peer: Peer) -> list[OutboxItem]:
    """The app stops before its next sends reach the network: they wait until then.
    Returns the rows that got that far (persisted, handed to the network layer)."""
    held: list[OutboxItem] = []

    async def send(item: OutboxItem) -> str:
        held.append(item)
        await asyncio.Event().wait()  # ended by the stop
        raise AssertionError("unreachable")

    peer.account.client.send = send  # type: ignore[method-assign]
    return held


async def test_an_ack_made_during_a_long_archive_write_goes_first_and_once_across_a_restart(
    room_with_plain_clients: Fixture,  # noqa: F811 (the fixture, imported above)
    tmp_path: Path,
) -> None:
    peers, _space, geneva, _omar_elsewhere, amal_elsewhere = room_with_plain_clients
    omar = peers[2]
    event_id = await _issue_elsewhere(amal_elsewhere, geneva, "Close the crossing", "first-1")
    await amal_elsewhere.find(geneva, _received_from(omar.user_id, event_id), "'received'")

    writing, release = _hold_archive_write(omar, "a long briefing")
    held = _hold_sends(omar)
    await amal_elsewhere.send(
        geneva, "m.room.message", {"msgtype": "m.text", "body": "a long briefing"}
    )
    assert await asyncio.to_thread(writing.wait, WAIT_SECONDS), "the write never started"
    # While it runs, the delegate opens the room (a store call queued first) and acks.
    # Nothing leaves the queue while the write holds the thread: each call is seen there.
    waiting = omar.account.store_calls_waiting
    before = waiting()
    opened = asyncio.create_task(omar.account.open_room(geneva))
    await omar.wait_for(lambda: waiting() > before, "the room's read queued")
    acked = asyncio.create_task(instructions(omar).acknowledge(event_id, "acknowledged"))
    await omar.wait_for(lambda: waiting() > before + 1, "the ack's row queued behind it")
    release.set()
    await acked
    await opened
    await omar.wait_for(lambda: len(held) == 1, "the ack handed to the network")

    queued = [
        i
        for i, n in enumerate(omar.notices)
        if isinstance(n, OutboxChanged) and n.item.txn_id == held[0].txn_id
    ]
    loaded = [i for i, n in enumerate(omar.notices) if isinstance(n, RoomLoaded)]
    assert queued[0] < loaded[-1]  # the ack's row was written ahead of the room's read
    txn_id = held[0].txn_id
    await omar.close()  # the app stops: the ack is on disk, not on the network

    restarted = peers[2] = Peer(tmp_path / "omar")  # the fixture closes it
    await restarted.backend.start()
    await restarted.wait_for(lambda: restarted.sent(txn_id), "the ack sent after the restart")
    is_ack = _received_from(restarted.user_id, event_id, "acknowledged")
    ack = await amal_elsewhere.find(geneva, is_ack, "the ack")
    await restarted.account.send_text(geneva, "after the ack")  # in order behind the ack
    await amal_elsewhere.find(geneva, message_with("after the ack"), "the next message")

    acks = [source for source in amal_elsewhere.seen if is_ack(source)]
    assert [a["event_id"] for a in acks] == [ack["event_id"]]  # exactly once
    archive = restarted.account.archive
    await restarted.wait_for(lambda: archive.event(str(ack["event_id"])) is not None, "echo")
    echo = archive.event(str(ack["event_id"]))
    assert isinstance(echo, RoomEvent) and echo.txn_id == txn_id  # under one transaction id
    row = await restarted.account.db(restarted.account.outbox.get, txn_id)
    assert row is not None and row.state is OutboxState.SENT and row.event_id == ack["event_id"]
