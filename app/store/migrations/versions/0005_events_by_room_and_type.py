"""Events found by room and type without reading every event of the room.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

Why: features rebuild their projections (instructions, indicator series, verification
changes) from a few event types across a session's rooms. With only the (room, time)
index, SQLite read every archived event of those rooms to test its type: seconds at a
ministry's scale (400 rooms, a million events), at every start and when a room opens.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_room_id_type", "events", ["room_id", "type"])


def downgrade() -> None:
    op.drop_index("ix_events_room_id_type", "events")
