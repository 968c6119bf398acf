"""Where an installation keeps its files: one data dir, one folder per account in it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_DIR_NAME = "open-operations-room"
# An account whose archive key is derived from a passphrase keeps the salt in this file
# beside its archive (``app/store/archive_keys.py``); the passphrase comes from this
# variable, or the command line asks for it (``app/cli.py``).
ARCHIVE_SALT_FILE = "archive.salt"
ARCHIVE_PASSPHRASE_ENV = "OOR_ARCHIVE_PASSPHRASE"


@dataclass(frozen=True, slots=True)
class DataDir:
    """The layout of a data dir; creating folders is left to the code that writes them."""

    root: Path

    @classmethod
    def default(cls) -> DataDir:
        """``$OOR_DATA_DIR`` if set, else the platform's per-user data folder."""
        override = os.environ.get("OOR_DATA_DIR")
        return cls(Path(override) if override else platformdirs.user_data_path(APP_DIR_NAME))

    @property
    def homeserver(self) -> Path:
        return self.root / "homeserver"

    def account(self, user_id: str) -> Path:
        # "@alice:example.org" -> "alice_example.org": readable and safe on every file system.
        return self.root / "accounts" / re.sub(r"[^A-Za-z0-9._=-]+", "_", user_id.lstrip("@"))

    def archive(self, user_id: str) -> Path:
        return self.account(user_id) / "archive.sqlite3"

    def passphrase_accounts(self) -> list[Path]:
        """Account folders whose archive key is a passphrase."""
        return sorted(p.parent for p in (self.root / "accounts").glob(f"*/{ARCHIVE_SALT_FILE}"))

    @property
    def crypto(self) -> Path:
        """nio's crypto stores; nio names each file after its user and device."""
        return self.root / "crypto"
