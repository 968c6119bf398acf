"""The SQLite full-text index of the archive, as this release creates it in a new archive.

Migration 0003 made the index for archives that existed then, and its copy of the DDL
stays frozen there (what a migration did must not change after it ran). A new archive is
created from the current schema instead of replaying every migration (``database.py``),
so the current DDL lives here; ``tests/test_store_schema.py`` holds the two paths to the
same ``sqlite_master``. A later change of the search rules (``app.core.timeline.entries``:
ARABIC_MARKS, ARABIC_FOLDS) is a new migration *and* a change here.

The schema check must not mistake the index's own tables and its view for strays.
"""

from __future__ import annotations

# Index and shadow tables FTS5 creates; the schema comparison leaves them out.
SEARCH_TABLES = frozenset(
    {
        "events_fts",
        "events_fts_data",
        "events_fts_idx",
        "events_fts_docsize",
        "events_fts_config",
        "events_fts_content",
    }
)

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

# An external-content FTS5 index over a view of the text, kept in step by triggers.
CREATE_SEARCH_INDEX = (
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
