"""Holes in a room's history that a sync's gap fill could not fetch yet.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28

Why: a sync cut short leaves a hole between what it brought and what the archive held;
when the server spoiled or refused the pages of that hole, the hole was only in memory,
and scrolling back (which starts before the archive's oldest event, older than the
hole) never asked for it again: messages missing from the record, silently. Kept here,
a hole survives a restart and is fetched again until its events are archived. The key
holds the token's SHA-256, not the token: the server's token may be of any length, and
PostgreSQL refuses a btree key row over about 2.7 KB.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history_gaps",
        sa.Column("account", sa.String(255), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("noted_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("account", "room_id", "token_sha256", name="pk_history_gaps"),
    )


def downgrade() -> None:
    op.drop_table("history_gaps")
