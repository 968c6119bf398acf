"""JSON nested deeper than Python's parser goes by default, as any account can send it.

Python's ``json.loads`` recurses once per level of nesting and raises RecursionError
near the interpreter's limit (1000 frames, counting the frames already on the stack).
Synapse parses what a client sends with the same parser but on a shallower stack: a
to-device message nested some 930 levels deep is accepted, and our sync answer holding
it then failed to parse, on every fetch of that batch: the sync stopped for good. Such
an answer is parsed here with headroom, and the screens then take out what is nested
deeper than any event needs (``too_deep``), before nio or our own code recurses into it.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

MAX_DEPTH = 100  # deeper than any event of the spec; Synapse refuses room events deeper
HEADROOM = 2_000  # extra levels for one parse (a few hundred bytes of C stack each)

_limit_lock = threading.Lock()


def loads_with_headroom(raw: bytes | str) -> Any:
    """``json.loads`` with the recursion limit raised for this one call; raises as it
    does (RecursionError only beyond ``HEADROOM`` more levels: a server's nonsense)."""
    with _limit_lock:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(limit + HEADROOM)
        try:
            return json.loads(raw)
        finally:
            sys.setrecursionlimit(limit)


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` levels deep (looked
    at without recursion, so any depth can be asked about)."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False
