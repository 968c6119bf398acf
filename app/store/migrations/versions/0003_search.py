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

The DDL is spelled out here, frozen as this revision created it: a later change of the
search rules (app.core.timeline.entries: ARABIC_MARKS, ARABIC_FOLDS) is a new migration,
never a silent change of what this one means for a database it already upgraded.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The searchable text of an event row ({row}: events, new or old): title, body, sources,
# tags and location joined by spaces; Arabic tanwin, short vowels, shadda, sukun, dagger
# alef and tatweel removed; alef with hamza or madda read as alef, alef maqsura as ya.
_TEXT_OF_ROW = (
    "replace(replace(replace(replace(replace(replace(replace("
    "replace(replace(replace(replace(replace(replace(replace(("
    "coalesce(json_extract({row}.content, '$.title'), '') || ' ' || "
    "coalesce(json_extract({row}.content, '$.body'), '') || ' ' || "
    "coalesce(json_extract({row}.content, '$.sources'), '') || ' ' || "
    "coalesce(json_extract({row}.content, '$.tags'), '') || ' ' || "
    "coalesce(json_extract({row}.content, '$.location'), '')), "
    "'\u064b', ''), '\u064c', ''), '\u064d', ''), '\u064e', ''), "
    "'\u064f', ''), '\u0650', ''), '\u0651', ''), '\u0652', ''), "
    "'\u0670', ''), '\u0640', ''), '\u0623', '\u0627'), '\u0625', '\u0627'), "
    "'\u0622', '\u0627'), '\u0649', '\u064a')"
)

CREATE_STATEMENTS = (
    "CREATE VIEW events_text AS SELECT seq, "
    + _TEXT_OF_ROW.format(row="events")
    + " AS text FROM events",
    "CREATE VIRTUAL TABLE events_fts USING fts5("
    "text, content='events_text', content_rowid='seq', tokenize='trigram')",
    "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
    "INSERT INTO events_fts(rowid, text) VALUES (new.seq, "
    + _TEXT_OF_ROW.format(row="new")
    + "); END",
    "CREATE TRIGGER events_fts_update AFTER UPDATE OF content ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, text) VALUES ('delete', old.seq, "
    + _TEXT_OF_ROW.format(row="old")
    + "); INSERT INTO events_fts(rowid, text) VALUES (new.seq, "
    + _TEXT_OF_ROW.format(row="new")
    + "); END",
)
DROP_STATEMENTS = (
    "DROP TRIGGER IF EXISTS events_fts_update",
    "DROP TRIGGER IF EXISTS events_fts_insert",
    "DROP TABLE IF EXISTS events_fts",
    "DROP VIEW IF EXISTS events_text",
)


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
