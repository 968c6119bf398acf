"""One room open in a bare workspace (no backend): how the timeline tests start."""

from __future__ import annotations

from collections.abc import Iterable

from app.core.records import RoomEvent, RoomSummary
from app.services.notices import RoomLoaded, RoomsChanged
from app.ui.shell.workspace_view import WorkspaceView

ROOM, ME = "!ops:ops.example", "@me:ops.example"


def open_room(
    qtbot, history: Iterable[RoomEvent], size: tuple[int, int] = (900, 600)
) -> WorkspaceView:
    """A workspace of ``size`` on screen, ``ME``'s, with ``ROOM`` ("Operations") listed and
    loaded with ``history``; the caller disposes of it (``tests.conftest.dispose_widget``)."""
    view = WorkspaceView()
    view.resize(*size)
    with qtbot.waitExposed(view):
        view.show()
    view.set_user(ME)
    view.apply_rooms(RoomsChanged((RoomSummary(ROOM, "Operations"),)))
    view.apply_room_loaded(RoomLoaded(ROOM, tuple(history), ()))
    return view
