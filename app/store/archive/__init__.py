"""The archive: every event this client has seen, hash-chained per room."""

from app.store.archive.ingest import Archive

__all__ = ["Archive"]
