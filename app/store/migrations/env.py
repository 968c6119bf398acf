"""Alembic environment for the store's migrations.

``open_database`` runs migrations in code and hands its open connection over in
``config.attributes["connection"]``; the ``sqlalchemy.url`` branch exists so a developer
or a DBA can also drive these scripts with a hand-built Config (e.g. ``--sql`` output
for a PostgreSQL archive).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from app.store.schema import metadata
from app.store.search_sql import SEARCH_TABLES

config = context.config


def _not_search_index(name: str | None, _type: str, _parents: object) -> bool:
    """FTS5's virtual and shadow tables (migration 0003) are not in the metadata."""
    return name not in SEARCH_TABLES


def _run_on(connection: Connection) -> None:
    """Apply pending migrations inside the connection's transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_name=_not_search_index,
        render_as_batch=True,  # SQLite can only ALTER by rebuilding tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            _run_on(conn)
    finally:
        engine.dispose()


_run()
