"""To-device messages the device could not use, with the reason (the record of them).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Not archive rows: to-device messages belong to no room, so they have no place in a
room's hash chain, and what is kept of them is a diagnosis (who, which device, why),
not a message the record must prove.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    row_seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "to_device_problems",
        sa.Column("seq", row_seq, autoincrement=True, nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("sender_device", sa.String(255), nullable=False),
        sa.Column("sender_key", sa.String(255), nullable=False),
        sa.Column("event_type", sa.String(255), nullable=False),
        sa.Column("fault", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_to_device_problems"),
        sa.UniqueConstraint("source_hash", name="uq_to_device_problems_source_hash"),
    )
    op.create_index(
        "ix_to_device_problems_sender_sender_device",
        "to_device_problems",
        ["sender", "sender_device"],
    )


def downgrade() -> None:
    op.drop_index("ix_to_device_problems_sender_sender_device", "to_device_problems")
    op.drop_table("to_device_problems")
