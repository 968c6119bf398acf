"""A read-only look into an account's archive at start-up, without SQLAlchemy.

Why: on a restart the room list and the newest room are all the person waits for, and
reading them takes milliseconds; loading SQLAlchemy to do it took a quarter of a second
of CPU before anything was shown. This reads the same rows through the DB-API driver
(SQLCipher) with the key ``ArchiveKeys`` finds, and maps them with the store's own
mappings (``app.store.rows``), so what is shown is what the archive reads back later.

It only looks when that is safe and plain: an encrypted archive at this release's schema
whose key is at hand. Anything else (an older release's plaintext file to convert, a
passphrase to ask for, a schema to migrate) is left to ``app.store.at_rest.open_archive``,
which the start-up runs next in every case.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import sqlcipher3

from app.core.records import OutboxItem, OutboxState, RoomEvent, RoomSummary
from app.store.archive_keys import ArchiveKeys
from app.store.errors import StoreError
from app.store.revision import head_revision
from app.store.rows import (
    EVENT_COLUMNS,
    OUTBOX_COLUMNS,
    SUMMARY_COLUMNS,
    to_event,
    to_outbox_item,
    to_summary,
)
from app.store.sqlcipher import FileState, connect_encrypted, file_state

# What a room's timeline shows of its outbox (``Outbox.items``' default).
_SHOWN_OUTBOX = (OutboxState.PENDING.value, OutboxState.FAILED.value)


@cache
def _row_type(columns: tuple[str, ...]) -> Any:
    """Rows with the columns as attributes, as ``app.store.rows`` reads them."""
    return namedtuple("Row", columns)


class ArchivePeek:
    """An open, read-only connection to an encrypted archive at head. Used from one
    thread at a time (the backend loop's worker threads); ``close`` when done."""

    def __init__(self, connection: sqlcipher3.Connection) -> None:
        self._conn = connection

    def rooms(self) -> list[RoomSummary]:
        """All known rooms, most recently active first (as ``Archive.rooms``)."""
        rows = self._select(SUMMARY_COLUMNS, "rooms ORDER BY last_ts DESC, room_id", ())
        return [to_summary(row) for row in rows]

    def recent_events(self, room_id: str, limit: int) -> list[RoomEvent]:
        """A room's newest ``limit`` events, oldest first (as ``Archive.recent_events``)."""
        rows = self._select(
            EVENT_COLUMNS,
            "events WHERE room_id = ? ORDER BY origin_ts DESC, seq DESC LIMIT ?",
            (room_id, limit),
        )
        return [to_event(row) for row in reversed(rows)]

    def outbox_items(self, room_id: str) -> list[OutboxItem]:
        """A room's unsent and refused messages, oldest first (as ``Outbox.items``)."""
        rows = self._select(
            OUTBOX_COLUMNS,
            "outbox WHERE room_id = ? AND state IN (?, ?) ORDER BY seq",
            (room_id, *_SHOWN_OUTBOX),
        )
        return [to_outbox_item(row) for row in rows]

    def close(self) -> None:
        self._conn.close()

    def _select(self, columns: tuple[str, ...], rest: str, args: Sequence[object]) -> list[Any]:
        row = _row_type(columns)
        query = f"SELECT {', '.join(columns)} FROM {rest}"
        try:
            return [row(*values) for values in self._conn.execute(query, args)]
        except sqlcipher3.Error as exc:
            raise StoreError(f"Could not read the archive: {exc}") from exc


def peek_archive(path: Path, keys: ArchiveKeys) -> ArchivePeek | None:
    """The archive at ``path`` open for reading, or None when it is not simply readable
    now: absent or plaintext, its key a passphrase nobody gave yet, at an older schema.

    Raises StoreError when the key is missing or does not open the file (the full
    opening then meets the same and words it)."""
    if file_state(path) is not FileState.ENCRYPTED or keys.needs_passphrase():
        return None
    key = keys.existing()
    try:
        conn = connect_encrypted(path, key)
    except sqlcipher3.Error as exc:
        raise StoreError(f"Could not open the archive {path}: {exc}") from exc
    try:
        revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlcipher3.Error as exc:  # a wrong key shows here, at the first read
        conn.close()
        raise StoreError(f"Could not read the archive {path}: {exc}") from exc
    if revisions != [head_revision()]:
        conn.close()
        return None
    return ArchivePeek(conn)
