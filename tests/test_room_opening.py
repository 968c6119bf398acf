"""A room opened while the window is stalled does not hold the store thread.

The store thread waits, up to a grace, for the window to paint a room it was handed (or
arriving events), so the start's next read comes after the room is on screen. A window
that has not answered an earlier wait (stalled, closing) is not waited for again until it
answers: else each room opened, each batch arriving, would hold every store call (sends,
searches, the start's reads) back for the whole grace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.records import RoomSummary
from app.services.arrival import SCREEN_GRACE_SECONDS, PaintWaits
from app.services.notices import EventsArrived, RoomLoaded
from app.services.room_opening import OPEN_GRACE_SECONDS, open_on_screen
from app.store import Archive, Outbox, open_database, sqlite_url
from app.store.database import open_outbox_database

ROOMS = ["!ops:ops.example", "!logistics:ops.example"]


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Archive, Outbox]]:
    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    outbox = open_outbox_database(sqlite_url(tmp_path / "outbox.sqlite3"))
    archive = Archive(engine, "@fac:ops.example")
    archive.save_sync_batch([], [RoomSummary(room_id, room_id) for room_id in ROOMS], "t1")
    yield archive, Outbox(outbox)
    engine.dispose()
    outbox.dispose()


class StalledWindow:
    """Takes what it is handed, and never says it painted; notes each wait's grace."""

    def __init__(self) -> None:
        self.handed: list[EventsArrived | RoomLoaded] = []
        self.waits: list[float] = []

    def __call__(self, notice: EventsArrived | RoomLoaded) -> Callable[[float], bool]:
        self.handed.append(notice)
        return self._wait

    def _wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        return False  # the grace is up, unpainted


def test_rooms_opened_in_a_stalled_window_wait_for_it_once(
    stores: tuple[Archive, Outbox],
) -> None:
    window, paints = StalledWindow(), PaintWaits()
    for room_id in ROOMS * 2:
        loaded, handed = open_on_screen(*stores, room_id, window, paints)
        assert handed and loaded.room_id == room_id
    assert [loaded.room_id for loaded in window.handed] == ROOMS * 2  # each one handed
    assert [seconds for seconds in window.waits if seconds] == [OPEN_GRACE_SECONDS]


def test_a_room_opened_after_an_unanswered_arrival_is_not_waited_for(
    stores: tuple[Archive, Outbox],
) -> None:
    window, paints = StalledWindow(), PaintWaits()
    paints.wait(window(EventsArrived(())), SCREEN_GRACE_SECONDS)  # arriving events, unpainted
    open_on_screen(*stores, ROOMS[0], window, paints)
    assert [seconds for seconds in window.waits if seconds] == [SCREEN_GRACE_SECONDS]
