"""The only package that imports nio: login, sync, end-to-end encryption and sending.

Its names load on first use (PEP 562): ``app.matrix.sync_prefetch`` runs at start-up,
before nio is imported, and importing it must not load nio.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.matrix.client import MatrixClient, SyncBatch, probe_homeserver
    from app.matrix.crypto.key_requests import Withheld

__all__ = ["MatrixClient", "SyncBatch", "Withheld", "probe_homeserver"]
_HOMES = {
    "MatrixClient": "app.matrix.client",
    "SyncBatch": "app.matrix.client",
    "probe_homeserver": "app.matrix.client",
    "Withheld": "app.matrix.crypto.key_requests",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    importlib.import_module("app.matrix.nio_import")  # nio first, without unused drivers
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
