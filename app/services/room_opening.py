"""A room opened by the user: read from the archive, and painted before the store thread
takes its next call.

Why: at a ministry's scale the start reads every session's state for seconds (rosters,
instruction feeds, sitreps, rounds: ~250 store calls at 50 sessions), and the first
sync and trust review follow. A room clicked meanwhile waited little for the store
thread (a call or two of a few ms), but once read, its notice was applied and its
timeline laid out and painted on the UI thread while the store thread went on reading
in Python: the two shared the GIL, and the room reached the screen 100-300 ms after a
room opened with the app at rest (docs/performance.md, session 10). So, as arriving
messages are shown (``app.services.arrival``), the window is handed the room from the
store thread, and the store thread waits until the window has applied it and painted
what that asked for, at most ``OPEN_GRACE_SECONDS``: the start's next read comes after
the room is on screen (unless the window has not answered an earlier wait:
``PaintWaits``).

What is read is the same; what changes is the order the window hears things in. The
room now comes from the store thread (``Bridge._early``), and may reach the window
before notices the loop sends about earlier store calls (events archived, an outbox
row's state). Harmless: the timeline replaces a row it already shows, found by event id
or by the send's txn id, instead of adding it twice, and never turns a row that shows
the server's echo back into "sending" or "failed" (a send that timed out although the
server accepted it, whose outbox notice comes after the room: ``TimelineModel``). Events
shown early as they arrive (``app.services.arrival``) reach the window in the same
order already.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.services.arrival import PaintWaits, Screen
from app.services.notices import RoomLoaded
from app.services.preview import load_room

if TYPE_CHECKING:
    from app.store import Archive, Outbox

log = logging.getLogger(__name__)

OPEN_GRACE_SECONDS = 0.25  # a window slower than this to paint a room is not waited for


def open_on_screen(
    archive: Archive, outbox: Outbox, room_id: str, screen: Screen | None, paints: PaintWaits
) -> tuple[RoomLoaded, bool]:
    """The room as it opens, and whether the window has been handed it (store thread).

    Without a window, or one that cannot take it (its bridge deleted at close), the
    caller announces it as any other notice. A window that has not answered an earlier
    wait (``paints``, shared with arriving events) is handed the room, not waited for."""
    loaded = load_room(archive, outbox, room_id)
    if screen is None:
        return loaded, False
    try:
        painted = screen(loaded)
    except Exception:
        log.exception("the window could not take the opened room; the loop announces it")
        return loaded, False
    paints.wait(painted, OPEN_GRACE_SECONDS)
    return loaded, True
