"""Instructions and acks reach the feed and the board as soon as they are shown, before
their archive write; what has consequences (the automatic "received", the alert) still
waits for the commit. Nothing lost and nothing twice when that write fails (the batch
comes again) or the app stops before it commits.

The other side is plain matrix-nio: a second device of the official issues the
instruction, a second device of the delegate answers it, and delivery of the delegate's
"received" is judged by the plain client receiving it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.core import roles
from app.core.instructions import Draft, Stage, instruction_content, instruction_message
from app.core.records import EventStatus, OutboxState, RoomEvent
from app.services.notices import InstructionAlert, InstructionsChanged, Notice, Problem
from tests.failing_writes import fail_after_showing
from tests.peers import Peer
from tests.test_instructions import instructions, row
from tests.test_plain_clients import PlainClient, room_with_plain_clients  # noqa: F401

Fixture = tuple[list[Peer], str, str, PlainClient, PlainClient]


def _mentions(text: str) -> Callable[[RoomEvent], bool]:
    return lambda event: text in json.dumps(event.content, ensure_ascii=False)


def _failure_at(peer: Peer) -> int:
    return next(
        i for i, n in enumerate(peer.notices) if isinstance(n, Problem) and n.what == "sync_failed"
    )


def _boards(peer: Peer, space: str) -> list[tuple[int, InstructionsChanged]]:
    return [
        (i, n)
        for i, n in enumerate(peer.notices)
        if isinstance(n, InstructionsChanged) and n.desk.space_id == space
    ]


def _rows_for(notice: InstructionsChanged, subject: str) -> list[Any]:
    return [r for r in notice.feed.rows if r.instruction.subject == subject]


def _acks_queued(peer: Peer, room: str) -> list[Mapping[str, Any]]:
    """Acks this device ever put in its outbox for the room (every send goes there)."""
    items = peer.account.outbox.items(room, tuple(OutboxState))
    return [i.content for i in items if roles.ACK in i.content]


async def _issue_elsewhere(amal_elsewhere: PlainClient, room: str, subject: str, ref: str) -> str:
    """The official's other client sends a flash instruction to the Geneva delegation."""
    draft = Draft(subject, "Wait for the escort.", "flash", action=("geneva",))
    content = instruction_content(draft, ref)
    message = instruction_message(content, "geneva", "Geneva talks", draft.body)
    return await amal_elsewhere.send(room, "m.room.message", message)


def _received_from(
    sender: str, instruction_id: str, state: str = "received"
) -> Callable[[Mapping[str, Any]], bool]:
    """An ack event (by default the automatic "received") of ``sender`` for the instruction."""

    def check(source: Mapping[str, Any]) -> bool:
        ack = source.get("content", {}).get(roles.ACK, {})
        return (
            source.get("sender") == sender
            and ack.get("state") == state
            and instruction_id in json.dumps(source.get("content"))
        )

    return check


def _alerts(notices: list[Notice], subject: str) -> list[int]:
    return [
        i
        for i, n in enumerate(notices)
        if isinstance(n, InstructionAlert) and n.row.instruction.subject == subject
    ]


async def test_an_instruction_is_in_the_feed_before_its_write_and_received_once_after_it(
    room_with_plain_clients: Fixture,  # noqa: F811 (the fixture, imported above)
) -> None:
    (_fac, _amal, omar, _sara), space, geneva, _omar_elsewhere, amal_elsewhere = (
        room_with_plain_clients
    )
    subject = "Hold the convoy at the border"
    acks_at_failure: list[int] = []
    failed = fail_after_showing(
        omar,
        _mentions(subject),
        times=1,
        at_failure=lambda: acks_at_failure.append(len(_acks_queued(omar, geneva))),
    )
    event_id = await _issue_elsewhere(amal_elsewhere, geneva, subject, "early-1")
    archive = omar.account.archive
    await omar.wait_for(lambda: archive.event(event_id) is not None, "the archived instruction")
    await omar.wait_for(lambda: len(_acks_queued(omar, geneva)) == 1, "omar's 'received'")
    await amal_elsewhere.find(geneva, _received_from(omar.user_id, event_id), "the 'received'")

    assert failed, "the write never failed: the test did not test anything"
    failure = _failure_at(omar)
    boards = _boards(omar, space)
    shown = [i for i, n in boards if _rows_for(n, subject)]
    assert shown and shown[0] < failure  # in the delegate's feed before the write failed
    assert acks_at_failure == [0]  # nothing said "received" for what was not on record
    assert all(len(_rows_for(n, subject)) == 1 for i, n in boards if i >= shown[0])
    alerts = _alerts(omar.notices, subject)
    assert len(alerts) == 1 and alerts[0] > failure  # alerted once, when it was archived
    found = row(omar, space, "early-1", "geneva")
    assert found is not None and found.instruction.event_id == event_id
    stored = archive.event(event_id)
    assert stored is not None and stored.status is EventStatus.OK
    assert archive.verify_chain(geneva)


async def test_an_ack_is_on_the_board_before_its_write_and_stays_when_the_batch_comes_again(
    room_with_plain_clients: Fixture,  # noqa: F811 (the fixture, imported above)
) -> None:
    (_fac, amal, omar, _sara), space, geneva, omar_elsewhere, _amal_elsewhere = (
        room_with_plain_clients
    )
    ref = await instructions(amal).issue(
        space, Draft("Open the corridor", "At dawn.", action=("geneva",))
    )
    order = await omar_elsewhere.find(
        geneva, lambda s: "Open the corridor" in str(s.get("content")), "the order"
    )

    def on_board() -> bool:  # as the capital sees it before anyone answers
        found = row(amal, space, ref, "geneva")
        return found is not None and found.instruction.event_id == order["event_id"]

    # An ack arriving with the instruction's own echo waits for that write (an ack of an
    # instruction not on the board would read as stray); here the order is on the board.
    await amal.wait_for(on_board, "the order on the capital's board")
    failed = fail_after_showing(
        amal, lambda e: e.sender == omar.user_id and e.content.get("body") == "acknowledged", 1
    )
    reply_id = await omar_elsewhere.reply(geneva, str(order["event_id"]), "acknowledged")
    archive = amal.account.archive
    await amal.wait_for(lambda: archive.event(reply_id) is not None, "the archived ack")

    assert failed, "the write never failed: the test did not test anything"
    boards = _boards(amal, space)

    def acked(notice: InstructionsChanged) -> bool:
        rows = notice.feed.by_ref.get(ref, ())
        return any(
            r.instruction.delegation == "geneva" and r.stage is Stage.ACKNOWLEDGED for r in rows
        )

    shown = [i for i, n in boards if acked(n)]
    assert shown and shown[0] < _failure_at(amal)  # on the board before the write failed
    assert all(acked(n) for i, n in boards if i >= shown[0])  # and never taken back
    final = row(amal, space, ref, "geneva")
    assert final is not None and final.stage is Stage.ACKNOWLEDGED
    assert final.stage_by == omar.user_id and final.stage_via_other_client
    assert len(boards[-1][1].feed.by_ref[ref]) == 1  # one row, shown early and archived


async def test_an_instruction_shown_but_never_archived_before_a_stop_is_received_once_after(
    room_with_plain_clients: Fixture,  # noqa: F811 (the fixture, imported above)
    tmp_path: Path,
) -> None:
    peers, space, geneva, _omar_elsewhere, amal_elsewhere = room_with_plain_clients
    omar = peers[2]
    subject = "Evacuate the residence"
    fail_after_showing(omar, _mentions(subject), times=1_000)
    event_id = await _issue_elsewhere(amal_elsewhere, geneva, subject, "early-3")
    await omar.wait_for(lambda: row(omar, space, "early-3", "geneva") is not None, "the feed")
    await omar.wait_for(lambda: any(isinstance(n, Problem) for n in omar.notices), "a failure")
    assert omar.account.archive.event(event_id) is None  # shown, never archived
    assert _acks_queued(omar, geneva) == []  # so nothing was said for it
    assert _alerts(omar.notices, subject) == []
    await omar.close()  # the app stops with the write never committed

    restarted = peers[2] = Peer(tmp_path / "omar")  # the fixture closes it
    await restarted.backend.start()
    await restarted.wait_for(
        lambda: restarted.account.archive.event(event_id) is not None, "the batch again"
    )
    await restarted.wait_for(lambda: len(_acks_queued(restarted, geneva)) == 1, "'received'")
    await amal_elsewhere.find(geneva, _received_from(restarted.user_id, event_id), "'received'")
    found = row(restarted, space, "early-3", "geneva")
    assert found is not None and found.instruction.event_id == event_id
    assert len(_alerts(restarted.notices, subject)) == 1
