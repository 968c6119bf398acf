"""The few messages the open round and the instruction feed fold, found without reading
every message of their rooms.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28

Why: both rebuild their boards at every start from a few plain messages among all the
chat (thread replies and references, a message posing a round, an entry filing a
round's decision); read by type, that was every message of the operations and
delegation rooms, seconds at a ministry's scale. A partial index holds only the rows
that may be one of them; creating it reads the events once, at this upgrade.

The condition is spelled out here, frozen as this revision created it (as 0003 froze the
search SQL): ``app.store.folded`` holds the text the queries carry, and
``tests/test_store_plans.py`` holds the two equal. A change of what is folded is a new
migration, never a silent change of what this one means for an archive it upgraded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "ix_events_folded_messages"
INDEX_COLUMNS = ("room_id", "origin_ts", "seq")
INDEX_WHERE = (
    "((type = 'm.room.message' AND (content LIKE '%\"m.relates_to\":%'"
    " OR content LIKE '%\"org.openopsroom.round\":%'))"
    " OR (type = 'org.openopsroom.entry'"
    " AND content LIKE '%\"org.openopsroom.round_decision\":%'))"
)


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
