"""The reads a session's roster is folded from give the same answers on SQLite (a
device's archive, where they name their indexes) and PostgreSQL (the records keeper's,
where they do not): a session's details messages of just the rooms asked, in timeline
order, and the power levels in force when one was sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core import roles
from app.core.records import RoomEvent, RoomSummary
from app.store import Archive, open_database, sqlite_url
from app.store.keeper import with_driver

ME = "@facilitator:ops.example"
OPS, OTHER = "!operations:ops.example", "!other:ops.example"


def event(
    event_id: str,
    room_id: str,
    ts: int,
    kind: str,
    content: dict[str, Any],
    *,
    state_key: str | None = None,
) -> RoomEvent:
    source = {"event_id": event_id, "type": kind, "origin_server_ts": ts}
    return RoomEvent(event_id, room_id, ME, kind, ts, content, state_key, source=source)


def details(event_id: str, room_id: str, ts: int, title: str) -> RoomEvent:
    content = {"msgtype": "m.text", "body": title, roles.SESSION_INFO: {"title": title}}
    return event(event_id, room_id, ts, "m.room.message", content)


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "a.sqlite3")
    return with_driver(str(request.getfixturevalue("records_db")))  # the keeper's driver


def test_a_sessions_details_and_the_levels_they_were_sent_under(archive_url: str) -> None:
    engine = open_database(archive_url)
    try:
        archive = Archive(engine, ME)
        levels = {"users": {ME: 100}}
        archive.save_sync_batch(
            [
                event("$pl1", OPS, 1_000, "m.room.power_levels", levels, state_key=""),
                details("$d2", OPS, 3_000, "Port Sable"),
                event("$chat", OPS, 3_500, "m.room.message", {"msgtype": "m.text", "body": "x"}),
                details("$d1", OPS, 2_000, "Draft"),
                details("$elsewhere", OTHER, 2_500, "Not asked"),
                event("$pl2", OPS, 4_000, "m.room.power_levels", {"users": {}}, state_key=""),
            ],
            [RoomSummary(OPS, "Operations"), RoomSummary(OTHER, "Other")],
            "t1",
        )
        found = [e.event_id for e in archive.details_messages([OPS])]
        before = archive.state_before("$d2", ("m.room.create", "m.room.power_levels"))
    finally:
        engine.dispose()
    assert found == ["$d1", "$d2"]
    assert [(e.event_id, e.content) for e in before] == [("$pl1", levels)]
