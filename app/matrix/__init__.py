"""The only package that imports nio: login, sync, end-to-end encryption and sending."""

from app.matrix.client import MatrixClient, SyncBatch, probe_homeserver

__all__ = ["MatrixClient", "SyncBatch", "probe_homeserver"]
