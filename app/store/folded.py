"""The messages a feature may fold, found without reading every message of its rooms.

Why: the open round and the instruction feed rebuild their boards at every start (and
when a session changes) from their own event types plus a few plain messages among all
the chat: a thread reply or reference (clarifications, proposals, votes' controls, acks
sent from other clients as replies), a message posing a round, and the timeline entries
that file a round's decision. Protocol 2.0 sends chat and those messages alike as
``m.room.message``, so reading them by type read every message of the rooms: seconds
per start at a ministry's scale, and hundreds of thousands of parsed events at once.

A partial index holds just the rows that may be one of them, matched by the text of
their canonical JSON (sorted keys, no spaces: a top-level key ``k`` reads ``"k":``).
The match only narrows the rows: a nested key matches too, and each feature still
checks the parsed content, as it did. SQLite uses a partial index only for a query that
carries the very term it was made with, so the term is written here once for the
schema and the store's read; migration 0007 spells the same text out as it created it
(``tests/test_store_plans.py`` holds the two equal).
"""

from __future__ import annotations

INDEX = "ix_events_folded_messages"
INDEX_COLUMNS = ("room_id", "origin_ts", "seq")
# Parenthesised whole, so it stays one term beside the query's other conditions.
INDEX_WHERE = (
    "((type = 'm.room.message' AND (content LIKE '%\"m.relates_to\":%'"
    " OR content LIKE '%\"org.openopsroom.round\":%'))"
    " OR (type = 'org.openopsroom.entry'"
    " AND content LIKE '%\"org.openopsroom.round_decision\":%'))"
)
