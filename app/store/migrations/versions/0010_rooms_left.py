"""The rooms this account is no member of any more.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28

Why: the archive knew which rooms we are in only from the member events a sync brought.
A room the sync screen takes out whole (a kick while the app was down, its leave
section something nio refuses) brought none: the leave arrived with the history fill
alone, which never touches current state, and no later sync brings a room we are no
member of, so the room looked joined after every restart. The sync answer still says we
left it (``SyncBatch.left``); that is kept here, with the batch, until a sync brings the
room joined again. An archive migrated here knows no room as left: those left before
stay as their member events say.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rooms_left",
        sa.Column("account", sa.String(255), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("account", "room_id", name="pk_rooms_left"),
    )


def downgrade() -> None:
    op.drop_table("rooms_left")
