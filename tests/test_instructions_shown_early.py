"""What a board shows of events shown ahead of their archive write: a genuine ack is never
called stray because the instruction it answers is not on the board yet.

The capital's own instruction reaches its board at the commit (its echo turns the outbox
row into it), so the delegate's "received" can be shown early in the same sync batch
ahead of it. The flaky run of tests/test_instructions.py caught the audit list calling
that ack "stray" in between; these pin it without a homeserver's timing.
"""

from __future__ import annotations

from app.core import roles
from app.core.instructions import (
    Doubt,
    Draft,
    Feed,
    Stage,
    ack_content,
    build_feed,
    instruction_content,
)
from app.core.records import RoomEvent
from app.services.instructions.early import ShownEarly

ROOMS = {"!geneva": "geneva"}
SPACES = {"!geneva": "!space"}
T0 = 1_800_000_000_000
CONTENT = instruction_content(Draft("Hold", "", action=("geneva",)), "r1")
ORDER = RoomEvent("$order", "!geneva", "@amal:x", roles.INSTRUCTION, T0, CONTENT)
RECEIVED = RoomEvent(
    "$received", "!geneva", "@omar:x", roles.ACK, T0 + 5, ack_content("$order", "received")
)


def _board(early: ShownEarly, archived: dict[str, RoomEvent]) -> Feed:
    return build_feed(early.with_archived("!space", archived).values(), ROOMS, T0 + 10)


def test_a_received_shown_before_our_instructions_echo_waits_for_the_record() -> None:
    early = ShownEarly()
    early.add(SPACES, [RECEIVED])
    assert _board(early, {}).suspects == ()  # no "stray" in the audit list meanwhile

    early.settle([ORDER, RECEIVED])  # the batch is archived with the echo
    board = _board(early, {"$order": ORDER, "$received": RECEIVED})
    assert board.suspects == () and board.rows[0].stage is Stage.RECEIVED


def test_a_received_of_an_instruction_on_the_board_is_shown_at_once() -> None:
    early = ShownEarly()
    early.add(SPACES, [RECEIVED])
    board = _board(early, {"$order": ORDER})
    assert board.suspects == () and board.rows[0].stage is Stage.RECEIVED


def test_an_ack_of_no_instruction_is_still_audited_as_stray_once_on_record() -> None:
    content = ack_content("$nothing", "done")
    stray = RoomEvent("$stray", "!geneva", "@omar:x", roles.ACK, T0 + 5, content)
    early = ShownEarly()
    early.add(SPACES, [stray])
    assert _board(early, {"$order": ORDER}).suspects == ()
    early.settle([stray])
    suspects = _board(early, {"$order": ORDER, "$stray": stray}).suspects
    assert [s.doubt for s in suspects] == [Doubt.STRAY]
