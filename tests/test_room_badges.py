"""An unread badge counts messages, not announcements: a message the app tells the room
list about twice (shown while still locked, told again once its key came or a note was
added to it) is one unread message."""

from __future__ import annotations

from app.core.records import EventStatus, RoomEvent, RoomSummary
from app.ui.rooms.room_list_model import RoomListModel, UnreadRole

ME, OPS, OUTREACH = "@me:x", "!ops:x", "!out:x"


def _badge(model: RoomListModel, room_id: str) -> int:
    return model.data(model.index(model.row_of(room_id)), UnreadRole)


def test_a_message_told_twice_counts_once(qapp) -> None:
    model = RoomListModel()
    model.set_rooms((RoomSummary(OPS, "Operations"), RoomSummary(OUTREACH, "Outreach")))
    locked = RoomEvent(
        "$a", OPS, "@bob:x", "m.room.encrypted", 1, {}, status=EventStatus.UNDECRYPTED
    )
    model.note_events((locked,), OUTREACH, ME)
    assert _badge(model, OPS) == 1
    opened = RoomEvent("$a", OPS, "@bob:x", "m.room.message", 1, {"body": "Convoy left"})
    model.note_events((opened,), OUTREACH, ME)  # its key came: the same message
    assert _badge(model, OPS) == 1
    later = RoomEvent("$b", OPS, "@bob:x", "m.room.message", 2, {"body": "Convoy at border"})
    model.note_events((later,), OUTREACH, ME)
    assert _badge(model, OPS) == 2
    model.mark_read(OPS)
    assert _badge(model, OPS) == 0
