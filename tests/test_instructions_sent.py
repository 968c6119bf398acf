"""An instruction the server has accepted stays on the issuer's board until its echo is
archived, also when the board is rebuilt in between (on a real Synapse).

Why the echo is held: our own echo joins the board only once archived, and the sent
outbox row is no longer read as pending; a rebuild in that window used to show no row,
so the user saw the instruction they had just sent vanish and come back. The echo's
archive write is made to fail (the batch comes again) until the official has issued a
second instruction, which rebuilds the board through the same path a user takes.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.core.instructions import Draft, Stage
from app.core.records import OutboxState, RoomEvent
from app.services.notices import InstructionsChanged, OutboxChanged
from tests.failing_writes import fail_after_showing
from tests.peers import Peer
from tests.test_instructions import convene, instructions, peers  # noqa: F401

AFTER_SENDING = (Stage.ISSUED, Stage.RECEIVED)  # the delegate's device may say "received"


async def test_a_sent_instruction_stays_on_the_issuers_board_until_its_echo_is_archived(
    peers: list[Peer],  # noqa: F811 (the fixture, imported above)
    tmp_path: Path,
) -> None:
    fac, amal, omar, sara = peers
    space = (await convene(fac, amal, omar, sara)).space_id
    subject = "Hold the convoy at the border"
    released: list[bool] = []

    def ours(event: RoomEvent) -> bool:
        return event.sender == amal.user_id and subject in json.dumps(event.content)

    failed = fail_after_showing(amal, ours, times=1000, held=lambda: not released)
    ref = await instructions(amal).issue(space, Draft(subject, "Until dawn.", action=("geneva",)))

    def accepted() -> bool:
        return any(
            isinstance(n, OutboxChanged)
            and n.item.state is OutboxState.SENT
            and subject in json.dumps(n.item.content)
            for n in amal.notices
        )

    await amal.wait_for(lambda: accepted() and bool(failed), "sent, its echo not archived")
    await instructions(amal).issue(space, Draft("Open the corridor", "At dawn.", action=("doha",)))
    released.append(True)
    archive = amal.account.archive

    def on_record() -> bool:
        rows = [n for n in amal.notices if isinstance(n, InstructionsChanged)]
        shown = rows[-1].feed.by_ref.get(ref, ()) if rows else ()
        return any(archive.event(r.instruction.event_id) is not None for r in shown)

    await amal.wait_for(on_record, "the echo archived and on the board")

    boards = [
        n for n in amal.notices if isinstance(n, InstructionsChanged) and n.desk.space_id == space
    ]
    held = [len(n.feed.by_ref.get(ref, ())) for n in boards]
    first = next(i for i, count in enumerate(held) if count)
    assert held[first:] == [1] * (len(held) - first)  # never gone, never twice
    second = next(i for i, n in enumerate(boards) if "Open the corridor" in str(n.feed.rows))
    assert second > first  # the rebuild came while the echo was held
    (rebuilt,) = boards[second].feed.by_ref[ref]
    assert rebuilt.stage in AFTER_SENDING  # not "Waiting to send": the server has it
    (final,) = boards[-1].feed.by_ref[ref]
    assert final.stage in AFTER_SENDING and archive.event(final.instruction.event_id) is not None
