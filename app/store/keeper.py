"""The records keeper's archive: the client archive's tables on the ministry's database
(PostgreSQL), plus where each room's back-fill continues and each session's retention.

The keeper's own tables live in their own metadata, created when the keeper opens its
database, not in the migrations every client runs: no workstation archive needs them.
Nothing here deletes a row. Retention only *marks* a prefix of a room's chain as
destroyable (a prefix, so what remains still verifies from the mark's hash onwards), and
a legal hold refuses even that.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from app.core.records import RoomEvent, RoomSummary
from app.store import schema
from app.store.archive import Archive
from app.store.archive.base import EVENTS as _T
from app.store.archive.gaps import HistoryGap, close_hole
from app.store.database import open_database
from app.store.errors import StoreError, translate_errors
from app.store.rows import to_event

DAY_MS = 86_400_000
metadata = MetaData(naming_convention=schema.NAMING_CONVENTION)

# Where the forward back-fill of each room continues: the server's pagination token
# after the last archived event, saved in the same transaction as that event.
cursors = Table(
    "keeper_cursors",
    metadata,
    Column("room_id", schema.MATRIX_ID, primary_key=True),
    Column("token", Text, nullable=False),
    Column("updated_at", Double, nullable=False),
)
# Retention and legal hold, per session (its space id).
policies = Table(
    "keeper_policies",
    metadata,
    Column("space_id", schema.MATRIX_ID, primary_key=True),
    Column("retention_days", Integer, nullable=True),  # None: kept for ever
    Column("legal_hold", Boolean, nullable=False),
    Column("hold_reason", Text, nullable=False),
    Column("updated_at", Double, nullable=False),
)
# Per room: events with room_seq <= up_to_seq may be destroyed (by a person, not by us).
marks = Table(
    "keeper_marks",
    metadata,
    Column("room_id", schema.MATRIX_ID, primary_key=True),
    Column("space_id", schema.MATRIX_ID, nullable=False),
    Column("up_to_seq", BigInteger, nullable=False),
    Column("marked_at", Double, nullable=False),
)


@dataclass(frozen=True, slots=True)
class Policy:
    """A session's retention period and legal hold."""

    space_id: str
    retention_days: int | None = None
    legal_hold: bool = False
    hold_reason: str = ""


@dataclass(frozen=True, slots=True)
class Marking:
    """What one retention pass did to a session: ``held`` when a legal hold stopped it."""

    space_id: str
    held: bool
    marked: int  # events of the session now marked destroyable (all passes together)


def with_driver(url: str) -> str:
    """``postgresql://…`` with the driver the `keeper` extra installs (psycopg2): newer
    SQLAlchemy releases would otherwise look for psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # open_database says what is wrong with it
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed.render_as_string(hide_password=False)


def _reachable(url: str) -> None:
    """Say "cannot be reached" for a server that is down, before opening it would call
    the refusal a damaged database."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return
        probe = create_engine(parsed)
    except (ArgumentError, ImportError):
        return  # open_database names what is wrong
    try:
        with probe.connect():
            pass
    except OperationalError as exc:
        where = parsed.render_as_string(hide_password=True)
        raise StoreError(f"the records database {where} cannot be reached: {exc.orig}") from exc
    except SQLAlchemyError:
        return  # open_database names what is wrong
    finally:
        probe.dispose()


def open_keeper_archive(url: str, account: str) -> KeeperArchive:
    """The keeper's archive at ``url``, schema at head and the keeper's tables made."""
    url = with_driver(url)
    _reachable(url)
    engine = open_database(url)
    try:
        with translate_errors("create the keeper's tables"):
            metadata.create_all(engine)
    except StoreError:
        engine.dispose()
        raise
    return KeeperArchive(engine, account)


class KeeperArchive(Archive):
    """The client archive plus back-fill cursors, retention and legal hold."""

    holes_follow_the_chain = True  # noted at the cursor, after the last archived event

    def close(self) -> None:
        """Let go of the database connections."""
        self._engine.dispose()

    def cursor(self, room_id: str) -> str | None:
        """The token the room's back-fill continues from (None: from the room's start)."""
        query = select(cursors.c.token).where(cursors.c.room_id == room_id)
        with translate_errors("read the back-fill position"), self._engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def last_member_event(self, room_id: str, user_id: str) -> RoomEvent | None:
        """The last member event of ``user_id`` in the room's record (None: none there):
        where its back-fill resumes, the keeper is in the room or out of it."""
        query = (
            select(_T)
            .where(_T.c.room_id == room_id, _T.c.type == "m.room.member")
            .where(_T.c.state_key == user_id)
            .order_by(_T.c.room_seq.desc())
            .limit(1)
        )
        with translate_errors("read the keeper's membership"), self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else to_event(row)

    def save_page(
        self, room_id: str, events: Sequence[RoomEvent], token: str | None
    ) -> list[RoomEvent]:
        """Archive one page of a room's history, in server order, and where the next page
        starts, in one transaction: after a crash or a lost database either both are kept
        or neither, so the page is fetched again and nothing is skipped or doubled.

        A hole noted where this page starts (the server refused the room there, and now
        serves it again: unbanned and rejoined) is closed with it: the page is past it.
        Whichever keeper login noted it: the cursors are the record's, not a login's, so
        a new login reads on from the same place, and a hole left open behind its pages
        would be placed after them (``open_holes``)."""
        with translate_errors("archive a page of the room"), self._engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Safe to leave unflushed: a commit PostgreSQL loses in a crash takes its
                # cursor with it, and the keeper fetches the page again from the server.
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            start = conn.execute(select(cursors.c.token).where(cursors.c.room_id == room_id))
            close_hole(conn, None, room_id, start.scalar_one_or_none() or "")
            changed = self._write_events(conn, events)
            self._track_state(conn, events)
            latest = max((ev.origin_ts for ev in changed.values()), default=0)
            self._upsert_rooms(conn, [], {room_id: latest} if changed else {})
            if token is not None:
                _upsert(conn, cursors, cursors.c.room_id == room_id, room_id=room_id, token=token)
        return list(changed.values())

    def open_holes(self, room_ids: Sequence[str] | None = None) -> list[HistoryGap]:
        """The record's open holes in these rooms (None: in all), whichever keeper login
        noted them: the database is one record, its commands open it without a login
        (account ""), and a hole noted under an earlier keeper account is one still."""
        gaps = schema.history_gaps.c
        return self._holes(true() if room_ids is None else gaps.room_id.in_(list(room_ids)))

    def save_rooms(self, rooms: Sequence[RoomSummary], next_batch: str | None) -> None:
        """Room names and the sync position, once every room's pages are archived (the
        position stays where it was when ``next_batch`` is None)."""
        self.save_sync_batch([], rooms, next_batch)

    def policy(self, space_id: str) -> Policy:
        with translate_errors("read the retention policy"), self._engine.connect() as conn:
            row = conn.execute(select(policies).where(policies.c.space_id == space_id)).first()
        if row is None:
            return Policy(space_id)
        return Policy(space_id, row.retention_days, bool(row.legal_hold), row.hold_reason)

    def set_policy(self, policy: Policy) -> None:
        with translate_errors("save the retention policy"), self._engine.begin() as conn:
            _upsert(
                conn,
                policies,
                policies.c.space_id == policy.space_id,
                space_id=policy.space_id,
                retention_days=policy.retention_days,
                legal_hold=policy.legal_hold,
                hold_reason=policy.hold_reason,
            )

    def mark_expired(self, space_id: str, room_ids: Sequence[str], now_ms: int) -> Marking:
        """Mark what the session's retention period lets be destroyed; nothing under a
        legal hold, nothing without a period, and never a row deleted.

        Per room the mark covers the longest prefix of the chain older than the period,
        and only ever grows."""
        with translate_errors("mark expired events"), self._engine.begin() as conn:
            row = conn.execute(select(policies).where(policies.c.space_id == space_id)).first()
            held = row is not None and bool(row.legal_hold)
            if row is not None and not held and row.retention_days is not None:
                cutoff = now_ms - row.retention_days * DAY_MS
                for room_id in room_ids:
                    self._mark_room(conn, space_id, room_id, cutoff)
            return Marking(space_id, held, _marked(conn, room_ids))

    def marked(self, room_ids: Sequence[str]) -> int:
        """How many events of these rooms are marked destroyable."""
        with translate_errors("count marked events"), self._engine.connect() as conn:
            return _marked(conn, room_ids)

    @staticmethod
    def _mark_room(conn: Connection, space_id: str, room_id: str, cutoff: int) -> None:
        young = conn.execute(
            select(func.min(_T.c.room_seq)).where(_T.c.room_id == room_id, _T.c.origin_ts >= cutoff)
        ).scalar_one_or_none()
        if young is None:
            young = 1 + (
                conn.execute(
                    select(func.max(_T.c.room_seq)).where(_T.c.room_id == room_id)
                ).scalar_one_or_none()
                or 0
            )
        up_to = young - 1
        known = conn.execute(
            select(marks.c.up_to_seq).where(marks.c.room_id == room_id)
        ).scalar_one_or_none()
        if up_to > (known or 0):
            _upsert(
                conn, marks, marks.c.room_id == room_id,
                room_id=room_id, space_id=space_id, up_to_seq=up_to, marked_at=time.time(),
            )  # fmt: skip


def _marked(conn: Connection, room_ids: Sequence[str]) -> int:
    if not room_ids:
        return 0
    query = select(func.coalesce(func.sum(marks.c.up_to_seq), 0)).where(
        marks.c.room_id.in_(list(room_ids))
    )
    return int(conn.execute(query).scalar_one())


def _upsert(conn: Connection, table: Table, key: object, **values: object) -> None:
    """Update the row ``key`` selects, or insert it (portable across SQLite and PostgreSQL)."""
    stamped = {"updated_at": time.time(), **values} if "updated_at" in table.c else values
    if conn.execute(update(table).where(key).values(**stamped)).rowcount == 0:
        conn.execute(insert(table).values(**stamped))
