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
from app.services.instructions.held import Held, board_events

ROOMS = {"!geneva": "geneva"}
SPACES = {"!geneva": "!space"}
T0 = 1_800_000_000_000
CONTENT = instruction_content(Draft("Hold", "", action=("geneva",)), "r1")
ORDER = RoomEvent("$order", "!geneva", "@amal:x", roles.INSTRUCTION, T0, CONTENT)
RECEIVED = RoomEvent(
    "$received", "!geneva", "@omar:x", roles.ACK, T0 + 5, ack_content("$order", "received")
)


def _board(early: Held, archived: dict[str, RoomEvent]) -> Feed:
    return build_feed(board_events("!space", archived, Held(), early).values(), ROOMS, T0 + 10)


def test_a_received_shown_before_our_instructions_echo_waits_for_the_record() -> None:
    early = Held()
    early.add_feed(SPACES, [RECEIVED])
    assert _board(early, {}).suspects == ()  # no "stray" in the audit list meanwhile

    early.release({"$order", "$received"})  # the batch is archived with the echo
    board = _board(early, {"$order": ORDER, "$received": RECEIVED})
    assert board.suspects == () and board.rows[0].stage is Stage.RECEIVED


def test_a_received_of_an_instruction_on_the_board_is_shown_at_once() -> None:
    early = Held()
    early.add_feed(SPACES, [RECEIVED])
    board = _board(early, {"$order": ORDER})
    assert board.suspects == () and board.rows[0].stage is Stage.RECEIVED


def test_an_ack_of_no_instruction_is_still_audited_as_stray_once_on_record() -> None:
    content = ack_content("$nothing", "done")
    stray = RoomEvent("$stray", "!geneva", "@omar:x", roles.ACK, T0 + 5, content)
    early = Held()
    early.add_feed(SPACES, [stray])
    assert _board(early, {"$order": ORDER}).suspects == ()
    early.release({"$stray"})
    suspects = _board(early, {"$order": ORDER, "$stray": stray}).suspects
    assert [s.doubt for s in suspects] == [Doubt.STRAY]


def test_a_received_of_our_sent_instruction_shows_before_its_echo_is_archived() -> None:
    """Our instruction the server accepted is on the board ahead of its echo, so the
    delegate's "received" shown early answers it at once; the echo, once archived,
    replaces the held copy."""
    sent, early = Held(), Held()
    sent.add("!space", [ORDER])
    early.add_feed(SPACES, [RECEIVED])
    events = board_events("!space", {}, sent, early)
    board = build_feed(events.values(), ROOMS, T0 + 10)
    assert board.suspects == () and board.rows[0].stage is Stage.RECEIVED

    archived_order = RoomEvent("$order", "!geneva", "@amal:x", roles.INSTRUCTION, T0, CONTENT)
    assert board_events("!space", {"$order": archived_order}, sent, early)["$order"] is (
        archived_order
    )
    assert sent.of("!space") == {}  # released: not held past its echo
