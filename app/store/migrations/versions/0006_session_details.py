"""A session's details messages found without reading every message of its rooms.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

Why: a roster is folded from the few messages carrying the session's encrypted details;
finding them by their text read every message of the session's rooms, at every start
and whenever details changed (seconds for fifty sessions). A partial index holds only
those messages; creating it reads the events once, at this upgrade. The condition is
``app.store.carrying``'s: the queries must carry the very same term.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store.carrying import INDEX, INDEX_COLUMNS, INDEX_WHERE

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        INDEX,
        "events",
        list(INDEX_COLUMNS),
        sqlite_where=sa.text(INDEX_WHERE),
        postgresql_where=sa.text(INDEX_WHERE),
    )


def downgrade() -> None:
    op.drop_index(INDEX, "events")
