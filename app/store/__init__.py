"""Local storage: the only package that speaks SQL.

Archive (every event seen, hash-chained per room), Outbox (messages persisted before
sending), CredentialStore (restorable login). All calls are synchronous and meant for
the backend's single store executor thread.

The names are loaded on first use (PEP 562): the UI imports ``app.store`` for
``StoreError`` (through the services) and must not load SQLAlchemy and keyring with it,
and the start-up's look into the archive (``app.store.peek``) must not load SQLAlchemy:
some 0.3 s of CPU that a warm restart would otherwise pay before its window or its room
list appears.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.archive import Archive
    from app.store.credentials import CredentialStore
    from app.store.database import open_database, sqlite_url
    from app.store.documents import JsonDocument
    from app.store.outbox import Outbox
    from app.store.to_device import ToDeviceRecord

_HOMES = {
    "Archive": "app.store.archive",
    "CredentialStore": "app.store.credentials",
    "JsonDocument": "app.store.documents",
    "Outbox": "app.store.outbox",
    "ToDeviceRecord": "app.store.to_device",
    "open_database": "app.store.database",
    "sqlite_url": "app.store.database",
}

__all__ = [
    "Archive",
    "CredentialStore",
    "JsonDocument",
    "Outbox",
    "StoreError",
    "ToDeviceRecord",
    "open_database",
    "sqlite_url",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # looked up once
    return value
