"""What the window says of a room we are no member of any more, and of a message that
could not go there: in words, not as a pending message or a joined room."""

from __future__ import annotations

import pytest

from app.core.errors import NOT_A_MEMBER
from app.core.records import OutboxItem, OutboxState, RoomSummary
from app.ui.rooms.room_list_model import RoomListModel
from app.ui.timeline.rows import outbox_row
from tests.test_gui_problem_names import BIDI


def test_a_room_we_left_is_listed_saying_so(qapp) -> None:
    model = RoomListModel()
    left = RoomSummary("!logistics:ops.example", "Logistics", left=True)
    model.set_rooms((left, RoomSummary("!operations:ops.example", "Operations")))
    names = [str(model.index(row).data()).translate(BIDI) for row in range(model.rowCount())]
    assert sorted(names) == ["Logistics (no longer a member)", "Operations"]


BEFORE = "not sent: we are no longer a member of this room"  # an earlier build's rows


@pytest.mark.parametrize("error", [NOT_A_MEMBER, BEFORE])
def test_a_message_to_such_a_room_says_why_it_was_not_sent(qapp, error: str) -> None:
    body = {"msgtype": "m.text", "body": "Still there?"}
    item = OutboxItem(
        "oor1", "!logistics:ops.example", "m.room.message", body, OutboxState.FAILED,
        error=error,
    )  # fmt: skip
    row = outbox_row(item, "@bob:ops.example")
    assert row is not None and row.detail == "you are not a member of this room"
