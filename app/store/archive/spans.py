"""Spans of a room's chain for witnessed records, and the verdict kept on a seal.

A seal names its span by event ids; each member finds the same two events in its own
chain and reads the events between, in chain order, to recompute the seal's head.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update

from app.core.records import EventStatus, RoomEvent
from app.store.archive.base import EVENTS as _T
from app.store.archive.base import ArchiveBase
from app.store.errors import translate_errors
from app.store.jsontext import parse_json


class Spans(ArchiveBase):
    def span_sources(
        self, room_id: str, first_event_id: str | None, last_event_id: str | None = None
    ) -> list[dict[str, Any]] | None:
        """The events as the server sent them from ``first`` to ``last`` (both included;
        None = the room's first / newest), in chain order. None when a named end is not
        in this room's chain, or the ends are in the wrong order."""
        with translate_errors("read a span of the archive chain"), self._engine.connect() as conn:
            ends = {
                row.event_id: row.room_seq
                for row in conn.execute(
                    select(_T.c.event_id, _T.c.room_seq).where(
                        _T.c.room_id == room_id,
                        _T.c.event_id.in_([e for e in (first_event_id, last_event_id) if e]),
                    )
                )
            }
            low = ends.get(first_event_id, -1) if first_event_id else 1
            high = (
                ends.get(last_event_id, -1) if last_event_id else self._chain_head(conn, room_id)[0]
            )
            if low < 1 or high < low:
                return None
            query = (
                select(_T.c.source)
                .where(_T.c.room_id == room_id, _T.c.room_seq >= low, _T.c.room_seq <= high)
                .order_by(_T.c.room_seq)
            )
            return [parse_json(row.source) for row in conn.execute(query)]

    def event_after(self, room_id: str, event_id: str) -> str | None:
        """The id of the event that follows ``event_id`` in the room's chain, if any."""
        with translate_errors("read the archive chain"), self._engine.connect() as conn:
            seq = conn.execute(
                select(_T.c.room_seq).where(_T.c.room_id == room_id, _T.c.event_id == event_id)
            ).scalar()
            if seq is None:
                return None
            return conn.execute(
                select(_T.c.event_id).where(_T.c.room_id == room_id, _T.c.room_seq == seq + 1)
            ).scalar()

    def set_verdicts(self, verdicts: Mapping[str, tuple[EventStatus, str]]) -> list[RoomEvent]:
        """Record what was found about understood events (a seal that is forged, or that
        disagrees with our record): status and note; returns the rows that changed. The
        chain covers the source only, so it is not touched."""
        with translate_errors("record seal verdicts"), self._engine.begin() as conn:
            rows = self._rows_by_id(conn, list(verdicts))
            changed = [
                event_id
                for event_id, row in rows.items()
                if row.status is EventStatus.OK and (row.status, row.note) != verdicts[event_id]
            ]
            for event_id in changed:
                status, note = verdicts[event_id]
                query = update(_T).where(_T.c.event_id == event_id)
                conn.execute(query.values(status=status.value, note=note))
            updated = self._rows_by_id(conn, changed)
        return [updated[event_id] for event_id in changed]
