"""The SQLite full-text index of the archive: its DDL, shared by migration 0003 and the
schema check (which must not mistake the index's own tables for strays).

A migration normally spells out its DDL; here the view's text expression must be the
same in the view, in the triggers and in the archive's LIKE fallback, so it is written
once.
"""

from __future__ import annotations

from app.core.entries import ARABIC_FOLDS, ARABIC_MARKS

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
SEARCH_VIEWS = frozenset({"events_text"})

_FIELDS = ("title", "body", "sources", "tags", "location")


def _fold(expression: str) -> str:
    """The SQL twin of ``core.entries.search_key`` for Arabic (FTS5's tokenizer folds case)."""
    for mark in ARABIC_MARKS:
        expression = f"replace({expression}, '{mark}', '')"
    for written, read in ARABIC_FOLDS.items():
        expression = f"replace({expression}, '{written}', '{read}')"
    return expression


def _text_of(row: str) -> str:
    """SQL for the searchable text of an event row (``new``, ``old`` or ``events``)."""
    parts = " || ' ' || ".join(
        f"""coalesce(json_extract({row}.content, '$.{name}'), '')""" for name in _FIELDS
    )
    return _fold(f"({parts})")


CREATE_STATEMENTS = (
    f"CREATE VIEW events_text AS SELECT seq, {_text_of('events')} AS text FROM events",
    "CREATE VIRTUAL TABLE events_fts USING fts5("
    "text, content='events_text', content_rowid='seq', tokenize='trigram')",
    "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
    f"INSERT INTO events_fts(rowid, text) VALUES (new.seq, {_text_of('new')}); END",
    "CREATE TRIGGER events_fts_update AFTER UPDATE OF content ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, text) "
    f"VALUES ('delete', old.seq, {_text_of('old')}); "
    f"INSERT INTO events_fts(rowid, text) VALUES (new.seq, {_text_of('new')}); END",
)
DROP_STATEMENTS = (
    "DROP TRIGGER IF EXISTS events_fts_update",
    "DROP TRIGGER IF EXISTS events_fts_insert",
    "DROP TABLE IF EXISTS events_fts",
    "DROP VIEW IF EXISTS events_text",
)
