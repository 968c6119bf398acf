"""The outbox's own file beside the archive, and the move of an older release's rows.

Why a file of its own: SQLite lets one connection write a file at a time, and the
archive's write of a sync batch holds its file for milliseconds (a catch-up batch after
a night away, far longer). A send's row (the ack the capital is waiting for) waited for
that write to end. In ``outbox.sqlite3``, under the archive's key and written on the
event loop (``AccountService.in_outbox``), a send waits only for its own small commit.
Nothing ever wrote the outbox and the archive in one transaction, so nothing is lost by
the split: an echo is archived, then its row marked sent, as before.

An older release kept the outbox in the archive. Migration 0009 hands its rows here
(``ArchiveOutbox.take``) before it drops the table, in the migration's transaction:
copied first (and flushed to disk), so a crash in between leaves them in both, and the
next opening's copy skips those it holds already (by transaction id), unless the
archive's is newer: an older release run in between sent it. Nothing is lost and
nothing is sent twice. An archive at head is read once, by its own opening: the move costs a start
nothing once it is done.

An outbox the archive's key does not open is not this archive's (the archive was moved
aside, as a lost key's sentence advises, or converted from an older release under a new
key): it is set aside, kept under another name, the person is told, and the archive
opens with a new one. The outbox is opened only after the archive's own key check, so a
mistyped passphrase never sets it aside, nor makes an outbox file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from app.store.errors import StoreError, WrongKey

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

OUTBOX_FILE = "outbox.sqlite3"
# What a send changes in an outbox row: a newer copy of the row brings these.
_SETTLED = ("state", "updated_at", "event_id", "error")
log = logging.getLogger(__name__)


def outbox_path(archive: Path) -> Path:
    """Where the outbox of the archive at ``archive`` is kept: beside it."""
    return archive.with_name(OUTBOX_FILE)


class ArchiveOutbox:
    """The outbox of the (encrypted) archive at ``archive``, opened with the archive's
    key once it is first needed: by migration 0009 to take an older release's rows, else
    once the archive has opened. ``set_aside`` hears where a foreign outbox was kept.
    Its failures are StoreErrors (wrong key, full disk, damaged file), worded as for
    the archive."""

    def __init__(self, archive: Path, key: bytes, set_aside: Callable[[Path], None]) -> None:
        self._path = outbox_path(archive)
        self._key = key
        self._set_aside = set_aside
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        """The outbox, open (and made, if there was none)."""
        if self._engine is None:
            self._engine = self._open()
        return self._engine

    def take(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """An older release's rows, in their order and numbered anew: a row queued here
        since keeps its place, and one taken before a crash is not taken twice.

        A row taken before a crash may since have been sent by the older release, run
        again in between: the archive's row, newer, then replaces the copy here (its
        state, event id and error), or it would be sent a second time. The copy is on
        disk before this returns: the migration's commit, which follows, drops the
        archive's table, and WAL with synchronous=NORMAL does not flush a commit."""
        from sqlalchemy.dialects.sqlite import insert
        from sqlalchemy.exc import SQLAlchemyError

        from app.store.database import opening_failed, sqlite_url
        from app.store.schema import outbox

        copy = insert(outbox)
        newer = {name: copy.excluded[name] for name in _SETTLED}
        copy = copy.on_conflict_do_update(
            index_elements=["txn_id"],
            set_=newer,
            where=copy.excluded.updated_at > outbox.c.updated_at,
        )
        try:
            with self.engine().begin() as conn:
                conn.execute(copy, list(rows))
            _flushed(self.engine(), self._path)
        except (SQLAlchemyError, sqlcipher3.Error) as exc:
            raise opening_failed(sqlite_url(self._path), exc, keyed=True) from exc

    def dispose(self) -> None:
        """The file closed, if it was opened (the archive's opening failed after it)."""
        if self._engine is not None:
            self._engine.dispose()

    def _open(self) -> Engine:
        # Here, not at the top: the start-up's look (``app.store.peek``) finds the file
        # through this module before SQLAlchemy is loaded.
        from app.store.database import open_outbox_database, sqlite_url

        url = sqlite_url(self._path)
        try:
            return open_outbox_database(url, self._key)
        except WrongKey:  # the key opened the archive: an outbox it does not open is another's
            try:
                aside = _set_aside(self._path)
            except OSError as exc:  # worded for this file: the archive is not at fault
                raise StoreError(_not_set_aside(self._path, exc)) from exc
            self._set_aside(aside)
            return open_outbox_database(url, self._key)


def _flushed(engine: Engine, path: Path) -> None:
    """The outbox's WAL folded into its file and synced (a checkpoint syncs both, even
    under synchronous=NORMAL): a power cut can no longer take back what it holds.

    A checkpoint cut short by another program reading the file leaves the copy unsynced:
    refused, so migration 0009 rolls back and the archive offers the rows again."""
    raw = engine.raw_connection()
    try:
        busy, _frames, _moved = raw.cursor().execute("PRAGMA wal_checkpoint(FULL)").fetchone()
    finally:
        raw.close()
    if busy:
        raise StoreError(
            f"The outbox {path} is open in another program, so the messages waiting in "
            "the archive could not be moved into it safely; they stay in the archive. "
            "Close that program and start again."
        )


def _not_set_aside(path: Path, exc: OSError) -> str:
    """Why an outbox under another key could not be kept aside, and what to do."""
    return (
        f"The outbox {path} was made under another key than its archive's and could not "
        f"be renamed to keep it aside ({exc}). Nothing was changed. Let the app write in "
        f"{path.parent}, or move {path.name} elsewhere yourself: a new outbox is then made."
    )


def _set_aside(path: Path) -> Path:
    """An outbox another key made is renamed (with its journal files), never deleted:
    what it holds stays for whoever has its key. Where it is kept is returned."""
    # Named after the file itself, not the clock: a set-aside cut short by a crash is
    # finished under the same name, and two are never confused. The journal files go
    # first: a main file alone beside a journal is recovered by it, a journal left
    # alone beside a new, empty file would be deleted by SQLite.
    aside = path.with_name(f"{path.name}.set-aside-{path.stat().st_mtime_ns}")
    for suffix in ("-wal", "-shm", ""):
        if (journal := path.with_name(path.name + suffix)).exists():
            journal.rename(aside.with_name(aside.name + suffix))
    log.warning("an outbox under another key than its archive's was set aside as %s", aside)
    return aside
