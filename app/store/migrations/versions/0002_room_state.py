"""Current room state (power levels, roles, session metadata) for the client's role check.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Starts empty: the first sync of every run asks for full state, which fills it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_state",
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("state_key", sa.String(255), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("origin_ts", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("room_id", "type", "state_key", name="pk_room_state"),
    )


def downgrade() -> None:
    op.drop_table("room_state")
