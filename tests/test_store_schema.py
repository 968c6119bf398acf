"""A new archive is created from the current schema; an old one is migrated to it. Both
must end the same, down to the text of every table, index, trigger and search index.

Why: a new device's first start creates its archive straight from ``app.store.schema``
(no Alembic, no migration replay), while an archive from an earlier release is migrated
step by step. If the two drifted, a user's archive would behave differently depending on
when the device was first signed in.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from app.core.timeline import TimelineQuery
from app.store import Archive, open_database, sqlite_url
from app.store.database import alembic_config, head_revision
from app.store.schema import metadata
from app.store.search_sql import SEARCH_TABLES
from tests.test_store import make_event

ME = "@facilitator:ops.example"
REPO = Path(__file__).resolve().parent.parent


def first_release_archive(path: Path) -> Path:
    """An archive as the first release left it: migration 0001 only."""
    engine = create_engine(sqlite_url(path))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    engine.dispose()
    return path


def schema_of(engine: Engine) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Every object SQLite records, FTS5's shadow tables and automatic indexes included."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master")).all()
    return {(kind, name): (table, sql) for kind, name, table, sql in rows}


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_a_new_archive_has_the_schema_of_one_migrated_from_the_first_release(
    tmp_path: Path,
) -> None:
    migrated = open_database(sqlite_url(first_release_archive(tmp_path / "old.sqlite3")))
    new = open_database(sqlite_url(tmp_path / "new.sqlite3"))
    try:
        new_schema, migrated_schema = schema_of(new), schema_of(migrated)
        assert new_schema == migrated_schema
        kinds = {kind for kind, _name in new_schema}
        assert kinds == {"table", "index", "view", "trigger"}
        assert ("table", "events_fts") in new_schema  # the search index, not only tables
        assert revision_of(new) == revision_of(migrated) == head_revision()
    finally:
        migrated.dispose()
        new.dispose()


@pytest.mark.parametrize("start", ["new", "first release"])
def test_either_way_the_archive_has_exactly_the_tables_the_queries_use(
    tmp_path: Path, start: str
) -> None:
    path = tmp_path / "archive.sqlite3"
    if start == "first release":
        first_release_archive(path)
    engine = open_database(sqlite_url(path))

    def not_search_index(name: str | None, _type: str, _parents: object) -> bool:
        return name not in SEARCH_TABLES

    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": not_search_index})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_a_new_encrypted_archive_is_created_at_head_and_searchable(tmp_path: Path) -> None:
    path = tmp_path / "sealed.sqlite3"
    engine = open_database(sqlite_url(path), key=os.urandom(32))
    try:
        assert revision_of(engine) == head_revision()
        archive = Archive(engine, ME)
        event = make_event("$report", content={"body": "وصل الوفد إلى المطار"})
        archive.save_sync_batch([event], [], "t1")
        assert [e.event_id for e in archive.search(TimelineQuery(text="وفد"))] == ["$report"]
    finally:
        engine.dispose()
    with pytest.raises(sqlite3.DatabaseError):  # sealed: plain SQLite cannot read it
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_a_new_archive_opens_without_loading_alembic(tmp_path: Path) -> None:
    """Alembic is only for archives an earlier release wrote: a new device's first start
    does not pay for importing it."""
    path = tmp_path / "archive.sqlite3"
    script = (
        "import sys; from app.store import open_database, sqlite_url; "
        f"open_database(sqlite_url({str(path)!r})).dispose(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
    assert path.is_file()
