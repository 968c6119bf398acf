"""A read-only look into an account's archive at start-up, without SQLAlchemy.

Why: on a restart the room list (grouped by its sessions' rosters, read from the rooms'
state and decrypted details) and the newest room are all the person waits for, and
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

import json
from collections import namedtuple
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import sqlcipher3

from app.core.records import EventStatus, OutboxItem, OutboxState, RoomEvent, RoomSummary
from app.store.archive_keys import ArchiveKeys
from app.store.carrying import BY_ROOM_AND_TYPE, INDEX, INDEX_WHERE, KEY
from app.store.errors import StoreError
from app.store.outbox_file import outbox_path
from app.store.revision import head_revision
from app.store.rows import (
    EVENT_COLUMNS,
    OUTBOX_COLUMNS,
    STATE_COLUMNS,
    SUMMARY_COLUMNS,
    to_event,
    to_outbox_item,
    to_state_event,
    to_summary,
)
from app.store.sqlcipher import FileState, connect_encrypted, file_state

# What a room's timeline shows of its outbox (``Outbox.items``' default).
_SHOWN_OUTBOX = (OutboxState.PENDING.value, OutboxState.FAILED.value)
# A list of ids or types bound as one JSON parameter: no bound-parameter limit to chunk for.
_ONE_OF = "IN (SELECT value FROM json_each(?))"


@cache
def _row_type(columns: tuple[str, ...]) -> Any:
    """Rows with the columns as attributes, as ``app.store.rows`` reads them."""
    return namedtuple("Row", columns)


class ArchivePeek:
    """An open, read-only connection to an encrypted archive at head, and to its outbox
    (a file of its own, absent until the first send). Used from one thread at a time
    (the backend loop's worker threads); ``close`` when done."""

    def __init__(
        self, connection: sqlcipher3.Connection, outbox: sqlcipher3.Connection | None, account: str
    ) -> None:
        self._conn = connection
        self._outbox = outbox
        self._account = account  # whose rooms are left (``app.store.archive.left``)

    def rooms(self) -> list[RoomSummary]:
        """All known rooms, most recently active first, those we left marked (as
        ``Archive.rooms``)."""
        rows = self._select(SUMMARY_COLUMNS, "rooms ORDER BY last_ts DESC, room_id", ())
        left_rows = self._select(("room_id",), "rooms_left WHERE account = ?", (self._account,))
        left = {row.room_id for row in left_rows}
        return [to_summary(row, row.room_id in left) for row in rows]

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
        if self._outbox is None:
            return []
        rows = self._select(
            OUTBOX_COLUMNS,
            "outbox WHERE room_id = ? AND state IN (?, ?) ORDER BY seq",
            (room_id, *_SHOWN_OUTBOX),
            self._outbox,
        )
        return [to_outbox_item(row) for row in rows]

    def state(self, room_ids: Sequence[str], types: Sequence[str] = ()) -> list[RoomEvent]:
        """Current state events of these rooms, only ``types`` when given (as
        ``Archive.state``): what a session's roster is read from."""
        where, args = f"room_id {_ONE_OF}", [_json_list(room_ids)]
        if types:
            where, args = f"{where} AND type {_ONE_OF}", [*args, _json_list(types)]
        rows = self._select(
            STATE_COLUMNS, f"room_state WHERE {where} ORDER BY room_id, type, state_key", args
        )
        return [to_state_event(row) for row in rows]

    def details_messages(self, room_ids: Sequence[str]) -> list[RoomEvent]:
        """Messages of these rooms that carry a session's decrypted details, in timeline
        order (as ``Archive.details_messages``, through the same index)."""
        rows = self._select(
            EVENT_COLUMNS,
            f"events INDEXED BY {INDEX} WHERE room_id {_ONE_OF} AND {INDEX_WHERE}"
            " ORDER BY origin_ts, seq",
            (_json_list(room_ids),),
        )
        return [e for row in rows if KEY in (e := to_event(row)).content]

    def state_before(self, event_id: str, types: Sequence[str]) -> list[RoomEvent]:
        """The state of these types in force when an event arrived in its room (as
        ``Archive.state_before``): who could send a session's details then."""
        try:
            at = self._conn.execute(
                "SELECT room_id, room_seq FROM events WHERE event_id = ?", (event_id,)
            ).fetchone()
        except sqlcipher3.Error as exc:
            raise StoreError(f"Could not read the archive: {exc}") from exc
        if at is None:
            return []
        rows = self._select(
            EVENT_COLUMNS,
            # by (room, type): the planner would walk the room's whole timeline backwards
            f"events INDEXED BY {BY_ROOM_AND_TYPE} WHERE room_id = ? AND type {_ONE_OF}"
            " AND state_key IS NOT NULL AND status = ? AND room_seq < ? ORDER BY room_seq DESC",
            (at[0], _json_list(types), EventStatus.OK.value, at[1]),
        )
        found: dict[tuple[str, str | None], RoomEvent] = {}
        for row in rows:  # newest first: the first of each (type, key) is in force
            found.setdefault((row.type, row.state_key), to_event(row))
        return list(found.values())

    def close(self) -> None:
        self._conn.close()
        if self._outbox is not None:
            self._outbox.close()

    def _select(
        self,
        columns: tuple[str, ...],
        rest: str,
        args: Sequence[object],
        conn: sqlcipher3.Connection | None = None,
    ) -> list[Any]:
        row = _row_type(columns)
        query = f"SELECT {', '.join(columns)} FROM {rest}"
        try:
            return [row(*values) for values in (conn or self._conn).execute(query, args)]
        except sqlcipher3.Error as exc:
            raise StoreError(f"Could not read the archive: {exc}") from exc


def _json_list(items: Sequence[str]) -> str:
    return json.dumps(list(dict.fromkeys(items)))


def peek_archive(path: Path, keys: ArchiveKeys, account: str) -> ArchivePeek | None:
    """``account``'s archive at ``path`` open for reading, or None when it is not simply
    readable now: absent or plaintext, its key a passphrase nobody gave yet, at an older schema.

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
    outbox = outbox_path(path)
    try:  # at head, the outbox has left the archive: its rows are in their own file
        outbox_conn = connect_encrypted(outbox, key) if outbox.exists() else None
        return ArchivePeek(conn, outbox_conn, account)
    except sqlcipher3.Error as exc:
        conn.close()
        raise StoreError(f"Could not open the outbox {outbox}: {exc}") from exc
