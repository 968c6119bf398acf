"""The per-room hash chain over each event as the server sent it.

Transparency is a requirement, so an export records the chain head and can later be
checked for rows altered or removed in between.
"""

from __future__ import annotations

from sqlalchemy import literal, select

from app.core.chain import chain_step
from app.core.records import RoomEvent
from app.store.archive.base import EVENTS as _T
from app.store.archive.base import ArchiveBase
from app.store.errors import translate_errors
from app.store.rows import to_event


class Chain(ArchiveBase):
    """Read and check a room's chain."""

    def chain_head(self, room_id: str) -> str | None:
        """The room's latest chain hash: what an export records so it can be verified later."""
        with translate_errors("read the archive chain"), self._engine.connect() as conn:
            seq, chain_hash = self._chain_head(conn, room_id)
        return chain_hash if seq else None

    def chain_position(self, room_id: str) -> tuple[int, str]:
        """(count, head) of the room's chain: an export stops there, so events archived
        while it runs never make its files disagree with each other."""
        with translate_errors("read the archive chain"), self._engine.connect() as conn:
            return self._chain_head(conn, room_id)

    def chain_links(
        self, room_id: str, after_seq: int, upto_seq: int, limit: int = 5000
    ) -> list[tuple[int, str, str, RoomEvent]]:
        """One page of a room's chain in chain order: (seq, source JSON as hashed, chain
        hash, the event as read, without its source) for ``after_seq < seq <= upto_seq``."""
        # The source is handed on as the string that was hashed; parsing it into the
        # event as well would double the work of an export for nothing.
        columns = [c for c in _T.c if c.name != "source"]
        query = (
            select(*columns, literal("{}").label("source"), _T.c.source.label("hashed"))
            .where(_T.c.room_id == room_id, _T.c.room_seq > after_seq, _T.c.room_seq <= upto_seq)
            .order_by(_T.c.room_seq)
            .limit(limit)
        )
        with translate_errors("read the archive chain"), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [(r.room_seq, r.hashed, r.chain_hash, to_event(r)) for r in rows]

    def verify_chain(self, room_id: str) -> bool:
        """Recompute the room's hash chain; False if any row was altered or removed in between.

        The chain covers the source JSON; decrypted content of encrypted events is not
        covered (it can always be re-derived from the source with the room keys).
        """
        query = (
            select(_T.c.room_seq, _T.c.source, _T.c.chain_hash)
            .where(_T.c.room_id == room_id)
            .order_by(_T.c.room_seq)
        )
        prev, expected_seq = "", 1
        with translate_errors("verify the archive chain"), self._engine.connect() as conn:
            for row in conn.execute(query):
                if row.room_seq != expected_seq or chain_step(prev, row.source) != row.chain_hash:
                    return False
                prev, expected_seq = row.chain_hash, expected_seq + 1
        return True
