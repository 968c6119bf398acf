"""A board built when events were shown is reused after their archive write only while
it still shows what a new build would: same events, same outbox, no deadline passed."""

from __future__ import annotations

from app.core import roles
from app.core.instructions import (
    ACK_WINDOW_MS,
    Desk,
    Draft,
    Stage,
    ack_content,
    build_feed,
    instruction_content,
)
from app.core.records import RoomEvent
from app.core.roles import Role
from app.services.instructions.built import BoardInputs, LastBuilt

ROOMS = {"!geneva": "geneva"}
T0 = 1_800_000_000_000
DESK = Desk("!space", "Corridor", True, "UTC", (), ROOMS, Role.OFFICIAL, "")


def _events(*extra: RoomEvent, deadline: int | None = None) -> dict[str, RoomEvent]:
    draft = Draft("Hold", "", "flash", action=("geneva",), deadline=deadline)
    first = RoomEvent(
        "$i", "!geneva", "@amal:x", roles.INSTRUCTION, T0, instruction_content(draft, "r1")
    )
    return {e.event_id: e for e in (first, *extra)}


def _built(events: dict[str, RoomEvent], at: int) -> tuple[LastBuilt, BoardInputs]:
    last, inputs = LastBuilt(), BoardInputs(DESK, events, ())
    last.record("!space", inputs, at, build_feed(events.values(), ROOMS, at))
    return last, inputs


def test_the_same_events_archived_reuse_the_board_shown() -> None:
    last, inputs = _built(_events(), T0 + 10)
    same = BoardInputs(DESK, dict(inputs.events), ())  # a new dict, equal events
    assert last.reusable("!space", same, T0 + 40) is not None


def test_a_new_ack_or_an_outbox_change_builds_again() -> None:
    last, _ = _built(_events(), T0 + 10)
    acked = RoomEvent("$a", "!geneva", "@omar:x", roles.ACK, T0 + 20, ack_content("$i", "received"))
    assert last.reusable("!space", BoardInputs(DESK, _events(acked), ()), T0 + 30) is None
    board = build_feed(_events(acked).values(), ROOMS, T0 + 30)
    assert board.rows[0].stage is Stage.RECEIVED  # what the new build shows
    assert last.reusable("!space", BoardInputs(DESK, _events(), ()), T0 + 30) is not None
    pending = ((board.rows[0].instruction, ""),)
    assert last.reusable("!space", BoardInputs(DESK, _events(), pending), T0 + 30) is None


def test_a_deadline_passed_during_the_write_shows_overdue() -> None:
    due = T0 + ACK_WINDOW_MS["flash"]
    last, inputs = _built(_events(), due - 5)
    assert not build_feed(inputs.events.values(), ROOMS, due - 5).rows[0].overdue
    assert last.reusable("!space", inputs, due - 1) is not None
    assert last.reusable("!space", inputs, due) is None  # overdue from this moment
    assert build_feed(inputs.events.values(), ROOMS, due).rows[0].overdue
    later, early = _built(_events(deadline=T0 + 50), T0 + 10)
    assert later.reusable("!space", early, T0 + 49) is not None
    assert later.reusable("!space", early, T0 + 50) is None
