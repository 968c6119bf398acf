"""Key backup and secret storage: what lets a new device read what an old one could."""

from app.matrix.backup.key_backup import (
    SECRET_NAME,
    BackupKeyMismatch,
    BackupVersion,
    KeyBackup,
    Restored,
)
from app.matrix.backup.secret_storage import (
    SecretStorage,
    SecretStorageError,
    StorageKey,
    passphrase_info,
)

__all__ = [
    "SECRET_NAME",
    "BackupKeyMismatch",
    "BackupVersion",
    "KeyBackup",
    "Restored",
    "SecretStorage",
    "SecretStorageError",
    "StorageKey",
    "passphrase_info",
]
