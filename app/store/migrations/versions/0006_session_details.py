"""A session's details messages found without reading every message of its rooms.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

Why: a roster is folded from the few messages carrying the session's encrypted details;
finding them by their text read every message of the session's rooms, at every start
and whenever details changed (seconds for fifty sessions). A partial index holds only
those messages, by room and timeline order; creating it reads the events once, at this
upgrade.

The index is spelled out here, frozen as this revision created it: the queries carry the
same term from ``app.store.carrying``, and ``tests/test_store_plans.py`` checks that an
archive migrated here has exactly that term. A later change of it is a new migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_INDEX = "ix_events_session_details"
_WHERE = "type = 'm.room.message' AND content LIKE '%\"org.openopsroom.session_info\":%'"


def upgrade() -> None:
    op.create_index(
        _INDEX,
        "events",
        ["room_id", "origin_ts", "seq"],
        sqlite_where=sa.text(_WHERE),
        postgresql_where=sa.text(_WHERE),
    )


def downgrade() -> None:
    op.drop_index(_INDEX, "events")
