"""The archive's reads that run at every start and room opening seek, they do not scan.

Why: a ministry's account holds hundreds of rooms and a million events; a read that
tests every event of a room costs seconds there (``bench/scale_rooms.py``), though it is
instant in a small test archive. So the plans SQLite chooses for the statements the
archive really sends are checked here, not their speed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from app.store import Archive, folded, open_database, sqlite_url

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


def test_the_migrated_archive_has_the_index_the_schema_declares(tmp_path: Path) -> None:
    engine = open_database(sqlite_url(tmp_path / "b.sqlite3"))
    with engine.connect() as conn:
        columns = conn.execute(text("PRAGMA index_info('ix_events_room_id_type')")).all()
    engine.dispose()
    assert [c[2] for c in columns] == ["room_id", "type"]


def test_features_find_the_messages_they_fold_by_their_own_index(tmp_path: Path) -> None:
    types = ["org.openopsroom.instruction", "m.room.encrypted"]
    plans = plans_of(tmp_path / "c.sqlite3", lambda a: a.folded_events(ROOMS, types))
    assert len(plans) == 2
    assert "ix_events_room_id_type (room_id=? AND type=?)" in plans[0]
    assert f"{folded.INDEX} (room_id=?)" in plans[1]


def test_the_folded_messages_index_is_the_one_migration_0007_created() -> None:
    """The migration spells its condition out (frozen); the queries carry the app's."""
    path = Path(folded.__file__).parent / "migrations" / "versions" / "0007_folded_messages.py"
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.INDEX == folded.INDEX
    assert migration.INDEX_COLUMNS == folded.INDEX_COLUMNS
    assert migration.INDEX_WHERE == folded.INDEX_WHERE
