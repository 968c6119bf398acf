"""The archive's reads that run at every start and room opening seek, they do not scan.

Why: a ministry's account holds hundreds of rooms and a million events; a read that
tests every event of a room costs seconds there (``bench/scale_rooms.py``), though it is
instant in a small test archive. So the plans SQLite chooses for the statements the
archive really sends are checked here, not their speed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import event, text

from app.core.records import RoomEvent
from app.store import Archive, folded, open_database, sqlite_url
from app.store.carrying import BY_ROOM_AND_TYPE, INDEX, INDEX_COLUMNS, INDEX_WHERE
from app.store.peek import ArchivePeek
from tests.test_store import make_event
from tests.test_store_schema import first_release_archive

ME = "@facilitator:ops.example"
ROOMS = ["!operations:ops.example", "!delegation:ops.example"]


def plans_of(path: Path, read: Callable[[Archive], Any]) -> list[str]:
    """SQLite's plan for each statement ``read`` sends, with the parameters it sent."""
    engine = open_database(sqlite_url(path))
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    read(Archive(engine, ME))
    event.remove(engine, "before_cursor_execute", keep)
    plans = []
    with engine.connect() as conn:
        for statement, params in sent:
            if statement.lstrip().upper().startswith("SELECT"):
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                plans.append(" / ".join(row[-1] for row in rows))
    engine.dispose()
    return plans


def test_projections_find_their_event_types_by_index(tmp_path: Path) -> None:
    types = ["org.openopsroom.instruction", "org.openopsroom.ack"]
    plans = plans_of(tmp_path / "a.sqlite3", lambda a: a.events_of_types(ROOMS, types))
    assert plans and all("ix_events_room_id_type (room_id=? AND type=?)" in p for p in plans)


def test_one_event_type_of_a_room_is_a_seek_not_a_walk_of_its_timeline(tmp_path: Path) -> None:
    """A room's verifications, read when it opens: with one type and one room SQLite would
    walk the room's whole timeline in order (50-500 ms at 3,000 messages, none of them
    verifications), not seek them by (room, type) and sort the few it finds."""
    verifications = ["org.openopsroom.verification"]
    plans = plans_of(tmp_path / "v.sqlite3", lambda a: a.events_of_types(ROOMS[:1], verifications))
    assert plans and all("ix_events_room_id_type (room_id=? AND type=?)" in p for p in plans)


def test_the_migrated_archive_has_the_index_the_schema_declares(tmp_path: Path) -> None:
    engine = open_database(sqlite_url(tmp_path / "b.sqlite3"))
    with engine.connect() as conn:
        columns = conn.execute(text("PRAGMA index_info('ix_events_room_id_type')")).all()
    engine.dispose()
    assert [c[2] for c in columns] == ["room_id", "type"]


def peek_plans(path: Path, read: Callable[[ArchivePeek], Any]) -> list[str]:
    """SQLite's plan for each statement the start-up's plain look sends, as it sent it."""
    open_database(sqlite_url(path)).dispose()
    sent: list[str] = []
    conn = sqlcipher3.connect(str(path))
    conn.set_trace_callback(sent.append)  # each statement with its parameters filled in
    read(ArchivePeek(conn, None, ME))  # the archive's statements (the outbox has its own file)
    conn.set_trace_callback(None)
    plans = []
    for statement in sent:
        if statement.lstrip().upper().startswith("SELECT"):
            rows = conn.execute(f"EXPLAIN QUERY PLAN {statement}")
            plans.append(" / ".join(row[-1] for row in rows))
    conn.close()
    return plans


def test_an_archive_migrated_from_the_first_release_has_the_details_index_the_reads_name(
    tmp_path: Path,
) -> None:
    """Migration 0006 spells its index out (frozen); the reads carry ``carrying``'s term,
    which SQLite must find word for word in the index to use it."""
    engine = open_database(sqlite_url(first_release_archive(tmp_path / "old.sqlite3")))
    with engine.connect() as conn:
        sql = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"),
            {"n": INDEX},
        ).scalar_one()
        columns = conn.execute(text(f"PRAGMA index_info('{INDEX}')")).all()
    engine.dispose()
    assert sql.endswith(f" WHERE {INDEX_WHERE}")
    assert tuple(c[2] for c in columns) == INDEX_COLUMNS


def test_a_sessions_details_are_a_seek_per_room_in_their_own_index(tmp_path: Path) -> None:
    """Each roster at start reads its own rooms' details, not every session's."""
    seek = f"SEARCH events USING INDEX {INDEX} (room_id=?)"
    store = plans_of(tmp_path / "c.sqlite3", lambda a: a.details_messages(ROOMS))
    peek = peek_plans(tmp_path / "d.sqlite3", lambda p: p.details_messages(ROOMS))
    assert store and all(seek in p for p in store)
    assert peek and all(seek in p for p in peek)


def test_the_state_before_an_event_is_read_by_room_and_type(tmp_path: Path) -> None:
    """Who could send a session's details then: a few state types, not the room's whole
    timeline walked backwards."""
    types = ("m.room.create", "m.room.power_levels")
    by_type = f"SEARCH events USING INDEX {BY_ROOM_AND_TYPE} (room_id=? AND type=?)"
    path = tmp_path / "e.sqlite3"
    store = plans_of(path, lambda a: state_before_event(a, types))
    peek = peek_plans(path, lambda p: p.state_before("$e", types))
    for name, plans in (("store", store), ("peek", peek)):
        assert any(by_type in p for p in plans), (name, plans)
        assert not any("room_seq<?" in p for p in plans), (name, plans)


def state_before_event(archive: Archive, types: Sequence[str]) -> list[RoomEvent]:
    """``state_before`` of an archived event (saved first: it looks the event up)."""
    archive.save_sync_batch([make_event("$e", ROOMS[0])], [], "t1")
    return archive.state_before("$e", types)


def test_an_archive_migrated_from_the_first_release_has_the_folded_index_the_reads_name(
    tmp_path: Path,
) -> None:
    """Migration 0007 spells its index out (frozen); the reads carry ``folded``'s term."""
    engine = open_database(sqlite_url(first_release_archive(tmp_path / "old.sqlite3")))
    with engine.connect() as conn:
        sql = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"),
            {"n": folded.INDEX},
        ).scalar_one()
        columns = conn.execute(text(f"PRAGMA index_info('{folded.INDEX}')")).all()
    engine.dispose()
    assert sql.endswith(f" WHERE {folded.INDEX_WHERE}")
    assert tuple(c[2] for c in columns) == folded.INDEX_COLUMNS


def test_features_find_the_messages_they_fold_by_a_seek_per_room(tmp_path: Path) -> None:
    """The open round and instruction feeds at start: their own types by (room, type),
    the few messages they fold from the chat by their own index, not all the chat."""
    types = ["org.openopsroom.instruction", "m.room.encrypted"]
    plans = plans_of(tmp_path / "f.sqlite3", lambda a: a.folded_events(ROOMS, types))
    assert len(plans) == 2
    assert f"{BY_ROOM_AND_TYPE} (room_id=? AND type=?)" in plans[0]
    assert f"SEARCH events USING INDEX {folded.INDEX} (room_id=?)" in plans[1]
