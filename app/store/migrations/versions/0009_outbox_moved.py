"""The outbox leaves the archive for a file of its own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28

Why: SQLite has one writer per file, and the archive's write of a sync batch holds the
file for milliseconds (a catch-up batch after a night away, far longer); a send's outbox
row waited for it, so an ack made while the archive was writing left late. The outbox is
now ``outbox.sqlite3`` beside the archive, under the same key (``app.store.outbox_file``).
Its rows are handed to that file, oldest first, before the table is dropped, in this
migration's transaction: the file's copy is on disk before this commits, a crash between
the two leaves them in the archive too, and the next opening hands them over again (the
outbox keeps what it holds, unless the archive's row is newer). Here, not at every
opening: an archive at head has nothing to hand over, and no start reads it twice.

Offline (``--sql`` output), the script is a plain DROP, unguarded: no rows are read, so
none are handed over nor looked for. Acceptable: that output is for a PostgreSQL archive,
the records keeper's, and the keeper never queues a message. The downgrade makes the
table again, empty: the rows stay in the outbox's own file, which an older release does
not read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from app.store.database import OLDER_OUTBOX
from app.store.errors import StoreError

# The outbox's columns as release 0008 has them; ``seq`` is numbered anew by the file.
_COLUMNS = "txn_id, room_id, event_type, content, state, created_at, updated_at, event_id, error"

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not context.is_offline_mode():  # a DBA's SQL script has no rows to read
        _hand_over_rows()
    op.drop_index("ix_outbox_room_id_seq", table_name="outbox")
    op.drop_index("ix_outbox_state_seq", table_name="outbox")
    op.drop_table("outbox")


def _hand_over_rows() -> None:
    """The rows still waiting, to the outbox's own file; an archive that holds some is
    not migrated by a caller with nowhere to put them (only the app's opening has)."""
    query = sa.text(f"SELECT {_COLUMNS} FROM outbox ORDER BY seq")
    rows = [dict(row) for row in op.get_bind().execute(query).mappings()]
    if not rows:
        return
    take = context.config.attributes.get(OLDER_OUTBOX)
    if take is None:
        raise StoreError(
            "This archive still holds messages waiting to be sent: open it with the app, "
            "which moves them to the outbox's own file as it migrates it."
        )
    take(rows)


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
