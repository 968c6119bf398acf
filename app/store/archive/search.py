"""Searching the archive: the FTS5 trigram index of migration 0003 where it can, LIKE
where it cannot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Text, column, or_, select, table

from app.core import roles
from app.core.records import RoomEvent
from app.core.timeline import CHAT, TimelineQuery, search_terms
from app.store.archive.base import EVENTS as _T
from app.store.archive.base import ArchiveBase
from app.store.errors import translate_errors
from app.store.jsontext import canonical_json
from app.store.rows import to_event

# The full-text index of migration 0003 (SQLite only), as far as queries need it.
_FTS = table("events_fts", column("rowid", Integer), column("events_fts", Text))


def _fts_query(terms: list[str]) -> str:
    """Every term as an FTS5 phrase (quotes doubled), all required."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _kind_condition(kinds: Sequence[str]) -> Any:
    """Entries of these kinds, and plain messages when CHAT is asked for (canonical JSON:
    no spaces, sorted keys, so the kind reads the same in every row)."""
    ors = [
        (_T.c.type == roles.ENTRY) & _T.c.content.contains(f'"kind":"{kind}"', autoescape=True)
        for kind in kinds
        if kind != CHAT
    ]
    if CHAT in kinds:
        ors.append(_T.c.type == "m.room.message")
    return or_(*ors)


class Search(ArchiveBase):
    """Find events by text, room, sender, time, kind and tag."""

    def search(self, query: TimelineQuery, offset: int = 0) -> list[RoomEvent]:
        """Events matching the query, newest first, at most ``query.limit`` (after skipping
        ``offset`` matches: the caller pages on when its own exact checks drop some).

        Text is matched by the FTS5 trigram index on SQLite (every word, Arabic marks
        ignored); words shorter than three letters, and other engines, fall back to LIKE
        over the content. Matches are taken most recently archived first, so a common
        word in a million rows stops after ``limit`` hits instead of sorting them all;
        kind and tag are narrowed here and checked exactly by the caller.
        """
        conditions = []
        if query.room_ids:
            conditions.append(_T.c.room_id.in_(list(query.room_ids)))
        if query.sender:
            conditions.append(_T.c.sender == query.sender)
        if query.since is not None:
            conditions.append(_T.c.origin_ts >= query.since)
        if query.until is not None:
            conditions.append(_T.c.origin_ts < query.until)
        if query.kinds:
            conditions.append(_kind_condition(query.kinds))
        if query.tag:
            conditions.append(_T.c.content.contains(canonical_json(query.tag), autoescape=True))
        terms = search_terms(query.text)
        source: Any = _T
        order = _T.c.seq.desc()
        if terms and self._engine.dialect.name == "sqlite" and all(len(t) >= 3 for t in terms):
            source = _T.join(_FTS, _FTS.c.rowid == _T.c.seq)
            conditions.append(_FTS.c.events_fts.op("MATCH")(_fts_query(terms)))
            order = _FTS.c.rowid.desc()  # FTS5 walks its own rowids backwards and stops
        else:
            conditions += [_T.c.content.contains(term, autoescape=True) for term in terms]
        statement = select(_T).select_from(source).where(*conditions).order_by(order)
        with translate_errors("search the archive"), self._engine.connect() as conn:
            rows = conn.execute(statement.limit(query.limit).offset(offset)).all()
        found = [to_event(row) for row in rows]
        found.sort(key=lambda e: e.origin_ts, reverse=True)
        return found
