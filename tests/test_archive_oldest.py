"""Where scrolling back starts: the archive's oldest message the server can find, not
a malformed row dated before it, and a room's state only when it holds nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.records import EventStatus, RoomEvent
from app.store import Archive, open_database, sqlite_url

ROOM = "!ops:ops.example"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    engine = open_database(sqlite_url(tmp_path / "archive.db"))
    yield Archive(engine, "@amal:ops.example")
    engine.dispose()


def _row(
    event_id: str, ts: int, status: EventStatus = EventStatus.OK, state: bool = False
) -> RoomEvent:
    kind = "m.room.name" if state else "m.room.message"
    source = {"event_id": event_id, "type": kind, "origin_server_ts": ts}
    return RoomEvent(
        event_id,
        ROOM,
        "@lina:ops.example",
        kind,
        ts,
        {"body": event_id},
        state_key="" if state else None,
        status=status,
        source=source,
    )


def test_scrolling_back_starts_at_the_oldest_message_the_server_can_find(archive: Archive) -> None:
    assert archive.oldest_event_id(ROOM) is None
    archive.save_history([_row("$name", 5, state=True)])
    assert archive.oldest_event_id(ROOM) == "$name"  # nothing else: the state it is
    archive.save_history([_row("$said", 20), _row("$said-later", 30)])
    assert archive.oldest_event_id(ROOM) == "$said"
    junk = [
        _row("$never-given", 1, EventStatus.MALFORMED),
        _row("local:ab12", 2, EventStatus.MALFORMED),
    ]
    archive.save_history(junk)
    assert archive.oldest_event_id(ROOM) == "$said"  # junk dated first is not a start
    archive.save_history([_row("$locked", 10, EventStatus.UNDECRYPTED)])
    assert archive.oldest_event_id(ROOM) == "$locked"  # the server knows it, key or not


def test_a_room_whose_every_message_is_malformed_still_scrolls_back_past_them(
    archive: Archive,
) -> None:
    """A member sending only invalid custom content must not make the room's creation
    the start: the server has nothing before it, and earlier history would be lost."""
    archive.save_history([_row("$create", 1, state=True)])
    archive.save_history([_row("$bad-1", 20, EventStatus.MALFORMED)])
    archive.save_history([_row("$bad-2", 30, EventStatus.MALFORMED)])
    archive.save_history([_row("local:cd34", 10, EventStatus.MALFORMED)])
    assert archive.oldest_event_id(ROOM) == "$bad-1"
