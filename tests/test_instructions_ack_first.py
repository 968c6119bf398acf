"""An ack made while the delegate's device is busy archiving leaves at once, and once,
under one transaction id, also when the app stops before it is sent (real Synapse; the
other side is the official's plain matrix-nio client).

Why this is pinned: the outbox is a file of its own, written on the event loop
(``app.store.outbox_file``, ``AccountService.in_outbox``), so a send's row no longer
waits for the archive's write of a sync batch in progress (after a night away, a
catch-up batch holds the archive for seconds). That must not loosen the send path's
rules: the row is committed before the network send, a stop between the two sends it
after the restart under the same transaction id, and the other side gets it once.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from app.core.records import OutboxItem, OutboxState, RoomEvent
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
            release.wait(3 * WAIT_SECONDS)  # longer than the test waits for the ack
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


async def test_an_ack_made_during_a_long_archive_write_leaves_at_once_and_once_across_a_restart(
    room_with_plain_clients: Fixture,  # noqa: F811 (the fixture, imported above)
    tmp_path: Path,
) -> None:
    peers, _space, geneva, _omar_elsewhere, amal_elsewhere = room_with_plain_clients
    omar = peers[2]
    first = await _issue_elsewhere(amal_elsewhere, geneva, "Close the crossing", "first-1")
    await amal_elsewhere.find(geneva, _received_from(omar.user_id, first), "'received'")

    writing, release = _hold_archive_write(omar, "a long briefing")
    await amal_elsewhere.send(
        geneva, "m.room.message", {"msgtype": "m.text", "body": "a long briefing"}
    )
    assert await asyncio.to_thread(writing.wait, WAIT_SECONDS), "the write never started"
    # While the write holds the archive (and the store thread), the delegate acks: the
    # capital's plain client has the ack before the write is let go.
    is_first_ack = _received_from(omar.user_id, first, "acknowledged")
    async with asyncio.timeout(WAIT_SECONDS):  # the write is held longer than this
        await instructions(omar).acknowledge(first, "acknowledged")
        await amal_elsewhere.find(geneva, is_first_ack, "the ack, during the write")
    release.set()
    await omar.account.db(lambda: None)  # queued behind the write: it is done

    # The app stops after the next ack's row is written, before it reaches the network.
    second = await _issue_elsewhere(amal_elsewhere, geneva, "Open the corridor", "first-2")
    await amal_elsewhere.find(geneva, _received_from(omar.user_id, second), "'received'")
    held = _hold_sends(omar)
    await instructions(omar).acknowledge(second, "acknowledged")
    await omar.wait_for(lambda: len(held) == 1, "the ack handed to the network")
    txn_id = held[0].txn_id
    await omar.close()  # the app stops: the ack is on disk, not on the network

    restarted = peers[2] = Peer(tmp_path / "omar")  # the fixture closes it
    await restarted.backend.start()
    await restarted.wait_for(lambda: restarted.sent(txn_id), "the ack sent after the restart")
    is_ack = _received_from(restarted.user_id, second, "acknowledged")
    ack = await amal_elsewhere.find(geneva, is_ack, "the ack")
    await restarted.account.send_text(geneva, "after the ack")  # in order behind the ack
    await amal_elsewhere.find(geneva, message_with("after the ack"), "the next message")

    for is_one in (is_first_ack, is_ack):  # each exactly once
        assert len([source for source in amal_elsewhere.seen if is_one(source)]) == 1
    archive = restarted.account.archive
    await restarted.wait_for(lambda: archive.event(str(ack["event_id"])) is not None, "echo")
    echo = archive.event(str(ack["event_id"]))
    assert isinstance(echo, RoomEvent) and echo.txn_id == txn_id  # under one transaction id
    row = await restarted.account.in_outbox(restarted.account.outbox.get, txn_id)
    assert row is not None and row.state is OutboxState.SENT and row.event_id == ack["event_id"]
