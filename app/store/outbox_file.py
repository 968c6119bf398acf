"""The outbox's own file beside the archive, and the move of an older release's rows.

Why a file of its own: SQLite lets one connection write a file at a time, and the
archive's write of a sync batch holds its file for milliseconds (a catch-up batch after
a night away, far longer). A send's row (the ack the capital is waiting for) waited for
that write to end. In ``outbox.sqlite3``, under the archive's key and written on the
event loop (``AccountService.in_outbox``), a send waits only for its own small commit.
Nothing ever wrote the outbox and the archive in one transaction, so nothing is lost by
the split: an echo is archived, then its row marked sent, as before.

An older release kept the outbox in the archive. Its rows are copied here before the
archive is migrated (migration 0009 then drops the table): copied first, so a crash in
between leaves them in both, and the next opening's copy skips those it holds already
(by transaction id). Nothing is lost and nothing is sent twice.

An outbox the archive's key does not open is not this archive's (the archive was moved
aside, as a lost key's sentence advises, or converted from an older release under a new
key): it is set aside, kept under another name, and the archive opens with a new one.
The archive's own key check comes first, so a mistyped passphrase never sets it aside.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from app.store.errors import WrongKey
from app.store.sqlcipher import connect_encrypted

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

OUTBOX_FILE = "outbox.sqlite3"
log = logging.getLogger(__name__)


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
    from sqlalchemy.dialects.sqlite import insert
    from sqlalchemy.exc import SQLAlchemyError

    from app.store.database import open_outbox_database, opening_failed, sqlite_url
    from app.store.schema import outbox

    path = outbox_path(archive)
    columns = tuple(c.name for c in outbox.columns if c.name != "seq")
    older = _older_rows(archive, key, columns) if archive.exists() else []
    try:
        engine = open_outbox_database(sqlite_url(path), key)
    except WrongKey:  # the key opened the archive: an outbox it does not open is another's
        _set_aside(path)
        engine = open_outbox_database(sqlite_url(path), key)
    if older:  # in their order, numbered anew: a row already here keeps its place
        copy = insert(outbox).on_conflict_do_nothing(index_elements=["txn_id"])
        try:
            with engine.begin() as conn:
                conn.execute(copy, older)
        except (SQLAlchemyError, sqlcipher3.Error) as exc:
            engine.dispose()
            raise opening_failed(sqlite_url(path), exc, keyed=True) from exc
    return engine


def _older_rows(archive: Path, key: bytes, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The outbox rows still in the archive, oldest first (none once migrated)."""
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


def _set_aside(path: Path) -> None:
    """An outbox another key made is renamed (with its journal files), never deleted:
    what it holds stays for whoever has its key."""
    # Named after the file itself, not the clock: a set-aside cut short by a crash is
    # finished under the same name, and two are never confused. The journal files go
    # first: a main file alone beside a journal is recovered by it, a journal left
    # alone beside a new, empty file would be deleted by SQLite.
    aside = path.with_name(f"{path.name}.set-aside-{path.stat().st_mtime_ns}")
    for suffix in ("-wal", "-shm", ""):
        if (journal := path.with_name(path.name + suffix)).exists():
            journal.rename(aside.with_name(aside.name + suffix))
    log.warning("an outbox under another key than its archive's was set aside as %s", aside)
