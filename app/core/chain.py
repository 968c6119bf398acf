"""The per-room hash chain over each event as the server sent it.

Pure, so the archive (which writes the chain) and `oor verify` (which recomputes it from
an exported bundle, with no database) use one and the same function.
"""

from __future__ import annotations

import hashlib


def chain_step(prev_hash: str, source_json: str) -> str:
    """The next link of a room's chain: sha256 over the previous hash and the canonical source.

    The first event of a room has ``prev_hash == ""``.
    """
    return hashlib.sha256((prev_hash + source_json).encode("utf-8")).hexdigest()
