"""The only package that imports nio: login, sync, end-to-end encryption and sending."""

from app.matrix.client import MatrixClient, SyncBatch, probe_homeserver
from app.matrix.crypto.key_requests import Withheld

__all__ = ["MatrixClient", "SyncBatch", "Withheld", "probe_homeserver"]
