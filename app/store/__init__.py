"""Local storage: the only package that speaks SQL.

Archive (every event seen, hash-chained per room), Outbox (messages persisted before
sending), CredentialStore (restorable login). All calls are synchronous and meant for
the backend's single store executor thread.
"""

from app.store.archive import Archive
from app.store.credentials import CredentialStore
from app.store.database import open_database, sqlite_url
from app.store.documents import JsonDocument
from app.store.errors import StoreError
from app.store.outbox import Outbox
from app.store.to_device import ToDeviceRecord

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
