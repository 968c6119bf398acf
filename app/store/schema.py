"""Table definitions the store's queries are written against.

The migrations in ``migrations/versions`` create exactly these tables; a test compares
the two so they cannot drift apart. JSON is stored as canonical text (not a JSON column
type) because the archive's hash chain is computed over those exact characters.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from app.store import carrying, folded

# Named constraints, so later migrations (and SQLite batch rebuilds) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Matrix identifiers are at most 255 bytes; a bounded type keeps them indexable everywhere.
MATRIX_ID = String(255)
# Auto-increment key: SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL needs 64 bits.
ROW_SEQ = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    # Global insertion order: the tie-break for events with the same origin_ts.
    Column("seq", ROW_SEQ, primary_key=True, autoincrement=True),
    Column("event_id", MATRIX_ID, nullable=False),
    Column("room_id", MATRIX_ID, nullable=False),
    # Position (1, 2, ...) in the room's hash chain; the chain is verified in this order.
    Column("room_seq", BigInteger, nullable=False),
    Column("sender", MATRIX_ID, nullable=False),
    Column("type", MATRIX_ID, nullable=False),
    Column("state_key", Text, nullable=True),
    Column("origin_ts", BigInteger, nullable=False),
    Column("txn_id", String(255), nullable=True),
    Column("status", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("content", Text, nullable=False),  # canonical JSON, decrypted where possible
    Column("source", Text, nullable=False),  # canonical JSON of the event as the server sent it
    Column("chain_hash", String(64), nullable=False),  # sha256 hex over prev hash + source
    Column("archived_at", Double, nullable=False),  # local clock, seconds since the epoch
    # In migration 0001's order: SQLite numbers their automatic indexes by it.
    UniqueConstraint("event_id"),
    UniqueConstraint("room_id", "room_seq"),
    Index("ix_events_room_id_origin_ts_seq", "room_id", "origin_ts", "seq"),
    Index("ix_events_room_id_type", "room_id", "type"),  # projections read a few types
    Index("ix_events_status", "status"),
    # Partial indexes, their WHERE given for SQLite only: on PostgreSQL (the keeper) the
    # migrations alone create them, and naming `postgresql_where` here loaded SQLAlchemy's
    # PostgreSQL dialect into every client (~2.3 MB held for nothing).
    Index(  # a session's details among all messages (``app.store.carrying``)
        carrying.INDEX,
        *carrying.INDEX_COLUMNS,
        sqlite_where=text(carrying.INDEX_WHERE),
    ),
    Index(  # the few messages features fold, among all the chat (``app.store.folded``)
        folded.INDEX,
        *folded.INDEX_COLUMNS,
        sqlite_where=text(folded.INDEX_WHERE),
    ),
)

rooms = Table(
    "rooms",
    metadata,
    Column("room_id", MATRIX_ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("encrypted", Boolean, nullable=False),
    Column("is_space", Boolean, nullable=False),
    Column("last_ts", BigInteger, nullable=False),
)

# The newest state event per (room, type, state key), as sync delivered it in order.
room_state = Table(
    "room_state",
    metadata,
    Column("room_id", MATRIX_ID, primary_key=True),
    Column("type", MATRIX_ID, primary_key=True),
    Column("state_key", MATRIX_ID, primary_key=True),
    Column("event_id", MATRIX_ID, nullable=False),
    Column("sender", MATRIX_ID, nullable=False),
    Column("origin_ts", BigInteger, nullable=False),
    Column("content", Text, nullable=False),  # canonical JSON
)

sync_tokens = Table(
    "sync_tokens",
    metadata,
    Column("account", MATRIX_ID, primary_key=True),
    Column("next_batch", Text, nullable=False),
    Column("updated_at", Double, nullable=False),
)

# Holes in a room's history this account could not fetch yet: the pagination token the
# missing events lie behind, until they are archived (``app.store.archive.gaps``). Two
# kinds of token, by account: a client's is where its fill pages *back* from (the events
# lie before it); the records keeper's is a *forward* cursor, the events lie after it
# ("" for the room's start), as its back-fill pages forward (``app.store.keeper``). Keyed
# by the token's SHA-256: a token is the server's opaque text of any length, and a long
# one in a PostgreSQL btree key fails the insert ("index row size exceeds").
history_gaps = Table(
    "history_gaps",
    metadata,
    Column("account", MATRIX_ID, primary_key=True),
    Column("room_id", MATRIX_ID, primary_key=True),
    Column("token_sha256", String(64), primary_key=True),  # hex digest of ``token``
    Column("token", Text, nullable=False),
    Column("tries", Integer, nullable=False),  # fills that failed or stopped short
    Column("noted_at", Double, nullable=False),  # local clock, seconds since the epoch
)

# Rooms this account is no member of any more (left, removed, an invitation gone), as its
# syncs said (``SyncBatch.left``), until a sync brings the room joined again
# (``app.store.archive.left``): the room's state cannot always say so.
rooms_left = Table(
    "rooms_left",
    metadata,
    Column("account", MATRIX_ID, primary_key=True),
    Column("room_id", MATRIX_ID, primary_key=True),
)

# To-device messages the device could not use (app.core.to_device): skipped, not lost
# without trace. One row per distinct message (``source_hash``); a replay is not a new row.
to_device_problems = Table(
    "to_device_problems",
    metadata,
    Column("seq", ROW_SEQ, primary_key=True, autoincrement=True),
    Column("source_hash", String(64), nullable=False, unique=True),  # sha256 hex of source
    Column("sender", MATRIX_ID, nullable=False),
    Column("sender_device", MATRIX_ID, nullable=False),
    Column("sender_key", MATRIX_ID, nullable=False),
    Column("event_type", MATRIX_ID, nullable=False),
    Column("fault", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("source", Text, nullable=False),  # the event as received, cut to a bounded length
    Column("received_at", Double, nullable=False),  # local clock, seconds since the epoch
    Index("ix_to_device_problems_sender_sender_device", "sender", "sender_device"),
)

# The outbox lives in a file of its own beside the archive (``app.store.outbox_file``):
# a send then never waits for the archive's write of a sync batch, SQLite having one
# writer per file. Its own metadata, so the archive's schema (and migrations) leave it out.
outbox_metadata = MetaData(naming_convention=NAMING_CONVENTION)

outbox = Table(
    "outbox",
    outbox_metadata,
    Column("seq", ROW_SEQ, primary_key=True, autoincrement=True),
    Column("txn_id", String(255), nullable=False, unique=True),
    Column("room_id", MATRIX_ID, nullable=False),
    Column("event_type", MATRIX_ID, nullable=False),
    Column("content", Text, nullable=False),  # canonical JSON
    Column("state", String(16), nullable=False),
    Column("created_at", Double, nullable=False),
    Column("updated_at", Double, nullable=False),
    Column("event_id", MATRIX_ID, nullable=True),
    Column("error", Text, nullable=False),
    Index("ix_outbox_state_seq", "state", "seq"),
    Index("ix_outbox_room_id_seq", "room_id", "seq"),
)
