"""Initial schema: archive (events, rooms, sync tokens) and outbox.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written out by hand rather than built from ``app.store.schema`` so that this step keeps
creating the same tables after the schema module has moved on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ROW_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the four tables of the first release."""
    op.create_table(
        "events",
        sa.Column("seq", _ROW_SEQ, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("room_seq", sa.BigInteger(), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("state_key", sa.Text(), nullable=True),
        sa.Column("origin_ts", sa.BigInteger(), nullable=False),
        sa.Column("txn_id", sa.String(255), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("chain_hash", sa.String(64), nullable=False),
        sa.Column("archived_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_events"),
        sa.UniqueConstraint("event_id", name="uq_events_event_id"),
        sa.UniqueConstraint("room_id", "room_seq", name="uq_events_room_id_room_seq"),
    )
    op.create_index("ix_events_room_id_origin_ts_seq", "events", ["room_id", "origin_ts", "seq"])
    op.create_index("ix_events_status", "events", ["status"])

    op.create_table(
        "rooms",
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("is_space", sa.Boolean(), nullable=False),
        sa.Column("last_ts", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("room_id", name="pk_rooms"),
    )

    op.create_table(
        "sync_tokens",
        sa.Column("account", sa.String(255), nullable=False),
        sa.Column("next_batch", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("account", name="pk_sync_tokens"),
    )

    op.create_table(
        "outbox",
        sa.Column("seq", _ROW_SEQ, primary_key=True, autoincrement=True),
        sa.Column("txn_id", sa.String(255), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("event_type", sa.String(255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("txn_id", name="uq_outbox_txn_id"),
    )
    op.create_index("ix_outbox_state_seq", "outbox", ["state", "seq"])
    op.create_index("ix_outbox_room_id_seq", "outbox", ["room_id", "seq"])


def downgrade() -> None:
    """Drop everything the upgrade created (loses the archive: only for development)."""
    op.drop_table("outbox")
    op.drop_table("sync_tokens")
    op.drop_table("rooms")
    op.drop_index("ix_events_status", table_name="events")
    op.drop_index("ix_events_room_id_origin_ts_seq", table_name="events")
    op.drop_table("events")
