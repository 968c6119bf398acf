"""The per-room hash chain over each event as the server sent it.

Transparency is a requirement, so an export records the chain head and can later be
checked for rows altered or removed in between.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from app.store.archive.base import EVENTS as _T
from app.store.archive.base import ArchiveBase
from app.store.errors import translate_errors


def chain_step(prev_hash: str, source_json: str) -> str:
    """The next link of a room's chain: sha256 over the previous hash and the canonical source.

    The first event of a room has ``prev_hash == ""``. Kept as a plain function so an
    export verifier can recompute the chain without a database.
    """
    return hashlib.sha256((prev_hash + source_json).encode("utf-8")).hexdigest()


class Chain(ArchiveBase):
    """Read and check a room's chain."""

    def chain_head(self, room_id: str) -> str | None:
        """The room's latest chain hash: what an export records so it can be verified later."""
        with translate_errors("read the archive chain"), self._engine.connect() as conn:
            seq, chain_hash = self._chain_head(conn, room_id)
        return chain_hash if seq else None

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
