"""Names of the SQLite full-text index of the archive, which migration 0003 creates.

The schema check must not mistake the index's own tables and its view for strays. The
index's DDL itself lives, frozen, in the migration that made it.
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
