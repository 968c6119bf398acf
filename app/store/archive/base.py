"""What every part of the archive shares: the engine, the account, and row helpers.

The archive is one class (``app.store.archive.Archive``) assembled from parts by job:
ingest (writing synced, paged-in and late-decrypted events), reads, search and the
hash chain. Each part is a mixin over this base, so one object still serves them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from app.core.records import EventStatus, RoomEvent
from app.store import schema
from app.store.commits import commits_of
from app.store.rows import to_event

EVENTS = schema.events
_T = EVENTS  # the short name the queries below use
_LOOKUP_CHUNK = 500  # stays below SQLite's bound-parameter limit


@dataclass(frozen=True, slots=True)
class Stored:
    """What the batch logic needs to know about an event already archived."""

    status: EventStatus
    txn_id: str | None


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _LOOKUP_CHUNK):
        yield items[start : start + _LOOKUP_CHUNK]


class ArchiveBase:
    """The engine and our account (which scopes the sync token, the history holes and
    the rooms left; the events and rooms are the archive's, whoever synced them)."""

    def __init__(self, engine: Engine, account: str) -> None:
        """``account`` is our Matrix user id; it scopes what is ours (see the class)."""
        self._engine = engine
        self._account = account
        self._commits = commits_of(engine)

    @property
    def generation(self) -> int:
        """Changes once any write through this engine, in this process, has committed
        (``app.store.commits``): what was read at one generation is still what the archive
        holds while it lasts. Another process writing the same database (the records
        keeper's commands on its PostgreSQL) is not counted: nothing there memoizes."""
        return self._commits.count

    @staticmethod
    def _lookup(conn: Connection, event_ids: Sequence[str]) -> dict[str, Stored]:
        found: dict[str, Stored] = {}
        unique = list(dict.fromkeys(event_ids))
        for chunk in chunks(unique):
            query = select(_T.c.event_id, _T.c.status, _T.c.txn_id).where(_T.c.event_id.in_(chunk))
            for row in conn.execute(query):
                found[row.event_id] = Stored(EventStatus(row.status), row.txn_id)
        return found

    @staticmethod
    def _rows_by_id(conn: Connection, event_ids: Sequence[str]) -> dict[str, RoomEvent]:
        found: dict[str, RoomEvent] = {}
        for chunk in chunks(event_ids):
            for row in conn.execute(select(_T).where(_T.c.event_id.in_(chunk))):
                found[row.event_id] = to_event(row)
        return found

    @staticmethod
    def _chain_head(conn: Connection, room_id: str) -> tuple[int, str]:
        row = conn.execute(
            select(_T.c.room_seq, _T.c.chain_hash)
            .where(_T.c.room_id == room_id)
            .order_by(_T.c.room_seq.desc())
            .limit(1)
        ).first()
        return (0, "") if row is None else (row.room_seq, row.chain_hash)
