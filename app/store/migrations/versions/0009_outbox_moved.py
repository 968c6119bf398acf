"""The outbox leaves the archive for a file of its own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28

Why: SQLite has one writer per file, and the archive's write of a sync batch holds the
file for milliseconds (a catch-up batch after a night away, far longer); a send's outbox
row waited for it, so an ack made while the archive was writing left late. The outbox is
now ``outbox.sqlite3`` beside the archive, under the same key (``app.store.outbox_file``).
Its rows were copied there before this migration runs (``app.store.at_rest`` moves them
first, and again after a crash between the two: the copy skips what it holds already).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outbox_room_id_seq", table_name="outbox")
    op.drop_index("ix_outbox_state_seq", table_name="outbox")
    op.drop_table("outbox")


def downgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
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
