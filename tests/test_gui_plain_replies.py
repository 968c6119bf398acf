"""The capital's board says when a delegation answered from another Matrix client (a
plain reply such as "تم التنفيذ"), and its audit names a forged plain reply."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core import roles
from app.core.instructions import Desk, Draft, build_feed, instruction_content
from app.core.records import EventStatus, RoomEvent
from app.core.roles import Role
from app.core.session import Delegation
from app.services.notices import InstructionsChanged
from app.ui.instructions.model import STATE
from app.ui.instructions.view import InstructionsPage

ROOM, AMAL, OMAR = "!geneva:x", "@amal:x", "@omar:x"


def _reply(event_id: str, sender: str, body: str, status: EventStatus) -> RoomEvent:
    relation = {"m.in_reply_to": {"event_id": "$order"}}
    content = {"msgtype": "m.text", "body": body, "m.relates_to": relation}
    return RoomEvent(event_id, ROOM, sender, "m.room.message", 3, content, status=status)


def test_the_board_marks_a_stage_reached_from_another_client(disposed) -> None:
    page = disposed(InstructionsPage())
    order = RoomEvent(
        "$order", ROOM, AMAL, roles.INSTRUCTION, 1, instruction_content(Draft("Hold", ""), "r")
    )
    forged = _reply("$f", AMAL, "done", EventStatus.FORGED)
    done = _reply("$d", OMAR, "تم التنفيذ", EventStatus.OK)
    feed = build_feed([order, forged, done], {ROOM: "geneva"}, 10)
    geneva = Delegation("geneva", "Geneva talks", "Europe/Zurich")
    desk = Desk("!space:x", "Corridor", True, "Africa/Cairo", (geneva,), {ROOM: "geneva"},
                Role.OFFICIAL, "", details_known=True)  # fmt: skip
    page.apply(InstructionsChanged(desk, feed))
    page.show_space(desk.space_id)

    state = page.model.index(0, STATE).data(Qt.ItemDataRole.DisplayRole)
    assert "via another client" in state
    page.select(0)
    assert "via another client" in page.detail.toPlainText()
    assert page.audit.count() == 1
    assert "A reply from another client" in page.audit.item(0).text()
