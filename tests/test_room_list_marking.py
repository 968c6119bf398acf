"""A session's heading in the room list says what the list alone cannot: that it is an
exercise, or that its details are not decrypted yet (so neither exercise nor real as
far as this client knows). A real session's heading is its title alone. English and
Arabic; a Latin title stays whole inside the Arabic line, and the mark comes first (a
long title is elided, the mark must not be)."""

from __future__ import annotations

import pytest

from app.core.records import RoomSummary
from app.core.roles import RoomKind
from app.core.session import SessionInfo, SessionRoom
from app.ui.rooms.room_list_model import RoomListModel

MARKS = {
    "en": {"exercise": "EXERCISE", "pending": "⌛ DETAILS PENDING"},
    "ar": {"exercise": "تمرين", "pending": "⌛ التفاصيل قيد الانتظار"},
}


def _session(space: str, title: str, exercise: bool, known: bool) -> SessionInfo:
    ops = SessionRoom(RoomKind.OPERATIONS, f"!ops-{space[1:]}")
    return SessionInfo(
        space, title, "evacuation", "active", "UTC", "", exercise, (ops,), details_known=known
    )


@pytest.mark.parametrize(
    ("exercise", "known", "mark"),
    [(False, True, None), (True, True, "exercise"), (False, False, "pending")],
)
def test_a_session_heading_carries_its_marking(
    language: str,
    exercise: bool,
    known: bool,
    mark: str | None,
) -> None:
    model = RoomListModel()
    info = _session("!space:x", "Port Sable", exercise, known)
    ops = info.rooms[0].room_id
    model.set_rooms((RoomSummary("!space:x", "Session 4821", is_space=True), RoomSummary(ops, "x")))
    model.set_session(info)

    heading = model.data(model.index(model.row_of("!space:x")))
    if mark is None:
        assert heading == "Port Sable"
    else:
        assert heading == f"{MARKS[language][mark]} · \u2068Port Sable\u2069"
