"""Full-text search over the archive (SQLite FTS5), kept in step by triggers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

An external-content FTS5 index over a view of each event's searchable text (title, body,
sources, tags, location), with Arabic short vowels and tatweel removed so a word is found
however it was written. The trigram tokenizer finds a word inside Arabic's attached
articles and conjunctions (وفد in والوفد) as well as English substrings. Triggers keep the
index in step when rows are inserted or upgraded (late decryption), so the write path
and its hash chain are untouched. Other engines get no index; the archive falls back to
LIKE there.
"""

from __future__ import annotations

from alembic import op

from app.store.search_sql import CREATE_STATEMENTS, DROP_STATEMENTS

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in CREATE_STATEMENTS:
        op.execute(statement)
    op.execute("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DROP_STATEMENTS:
        op.execute(statement)
