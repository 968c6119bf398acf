"""The outbox's own file beside the archive, and the move of an older release's rows.

Why a file of its own: SQLite lets one connection write a file at a time, and the
archive's write of a sync batch holds its file for milliseconds (a catch-up batch after
a night away, far longer). A send's row (the ack the capital is waiting for) waited for
that write to end. In ``outbox.sqlite3``, under the archive's key and written from a
thread of its own (``app.services.account``), a send waits only for its own small commit.
Nothing ever wrote the outbox and the archive in one transaction, so nothing is lost by
the split: an echo is archived, then its row marked sent, as before.

An older release kept the outbox in the archive. Its rows are copied here before the
archive is migrated (migration 0009 then drops the table): copied first, so a crash in
between leaves them in both, and the next opening's copy skips those it holds already
(by transaction id). Nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from app.store.sqlcipher import connect_encrypted

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

OUTBOX_FILE = "outbox.sqlite3"


def outbox_path(archive: Path) -> Path:
    """Where the outbox of the archive at ``archive`` is kept: beside it."""
    return archive.with_name(OUTBOX_FILE)


def open_outbox(archive: Path, key: bytes) -> Engine:
    """The outbox of the (encrypted) archive at ``archive``, opened with the archive's key
    and holding the rows an older release left in the archive. The archive is read
    first: a key that does not open it is refused before any outbox file is made with it.
    Raises StoreError (wrong key, full disk, damaged file), worded as for the archive."""
    # Here, not at the top: the start-up's look (``app.store.peek``) finds the file
    # through this module before SQLAlchemy is loaded.
    from app.store.database import open_outbox_database, sqlite_url
    from app.store.schema import outbox

    older = _older_rows(archive, key, tuple(column.name for column in outbox.columns))
    engine = open_outbox_database(sqlite_url(outbox_path(archive)), key)
    if older:
        try:
            with engine.begin() as conn:
                conn.execute(outbox.insert().prefix_with("OR IGNORE"), older)
        except Exception:
            engine.dispose()
            raise
    return engine


def _older_rows(archive: Path, key: bytes, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The outbox rows still in the archive, oldest first (none once migrated)."""
    if not archive.exists():
        return []
    try:
        conn = connect_encrypted(archive, key)
        try:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
            ).fetchone()
            if found is None:
                return []
            query = f"SELECT {', '.join(columns)} FROM outbox ORDER BY seq"
            return [dict(zip(columns, row, strict=True)) for row in conn.execute(query)]
        finally:
            conn.close()
    except sqlcipher3.Error as exc:  # worded as the archive's own opening words it
        from app.store.database import opening_failed, sqlite_url

        raise opening_failed(sqlite_url(archive), exc, keyed=True) from exc
