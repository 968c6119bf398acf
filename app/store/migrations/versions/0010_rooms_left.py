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
room joined again. Rooms left before this release are noted as the migration finds them:
for each account with a sync token, those whose own member event in the room state says
leave or ban (read in Python: the same on SQLite and on the records keeper's PostgreSQL).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    rooms_left = op.create_table(
        "rooms_left",
        sa.Column("account", sa.String(255), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("account", "room_id", name="pk_rooms_left"),
    )
    if not context.is_offline_mode():  # a DBA's SQL script has no rows to read
        op.bulk_insert(rooms_left, _left_before())


def _left_before() -> list[dict[str, str]]:
    """Each account's rooms its own member event says it left or was banned from: an
    archive that knew no room as left must not forget those it had left already."""
    conn = op.get_bind()
    accounts = list(conn.execute(sa.text("SELECT account FROM sync_tokens")).scalars())
    if not accounts:
        return []
    members = sa.text(
        "SELECT room_id, state_key, content FROM room_state"
        " WHERE type = 'm.room.member' AND state_key IN :accounts"
    ).bindparams(sa.bindparam("accounts", expanding=True))
    return [
        {"account": account, "room_id": room_id}
        for room_id, account, content in conn.execute(members, {"accounts": accounts})
        if _membership(content) in ("leave", "ban")
    ]


def _membership(content: str) -> object:
    """A member event's membership, or None where its stored content holds none."""
    try:
        parsed = json.loads(content)
    except ValueError:
        return None
    return parsed.get("membership") if isinstance(parsed, dict) else None


def downgrade() -> None:
    op.drop_table("rooms_left")
