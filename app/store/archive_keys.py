"""Where an account's at-rest key lives: the OS keyring, a passphrase, or a private file.

In order of preference, decided once per account and then kept:

1. **OS keyring** (where one is usable, the same test as for the login): a random
   32-byte key under the service ``org.openopsroom.archive`` and the user id.
2. **Passphrase** (no keyring, ``OOR_ARCHIVE_PASSPHRASE`` set, or the CLI asked for it):
   the key is scrypt(passphrase, salt); the random salt is kept in ``archive.salt`` beside
   the archive, which also records that this account's key comes from a passphrase.
3. **Key file** (no keyring, no passphrase): a random key in ``archive.key``, mode 0600.
   This protects no better than the login file kept the same way (``credentials.json``):
   it is the honest fallback, named in the UI's sign-in line and in the docs.

A key is only ever *made* for an archive that does not exist yet or is still plaintext;
for an encrypted archive a missing key is an error (``KeyMissing``), never a new key.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.paths import ARCHIVE_PASSPHRASE_ENV, ARCHIVE_SALT_FILE
from app.core.private_files import write_private_text
from app.store.credentials import auto_keyring, files_chosen
from app.store.errors import StoreError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "org.openopsroom.archive"
KEY_FILE = "archive.key"
SALT_FILE = ARCHIVE_SALT_FILE
PASSPHRASE_ENV = ARCHIVE_PASSPHRASE_ENV
KEY_BYTES = 32
# scrypt cost: ~50 ms and 16 MiB once per start; enough to make guessing a passphrase
# per try expensive without slowing the start a person waits for.
_SCRYPT = {"n": 1 << 14, "r": 8, "p": 1, "maxmem": 64 << 20, "dklen": KEY_BYTES}

Passphrase = Callable[[], str | None]


class KeyMissing(StoreError):
    """The archive is encrypted and its key is nowhere to be found."""


def _from_environment() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


class ArchiveKeys:
    """Find or make the at-rest key of one account folder (called off the UI thread:
    keyring calls may block on a D-Bus prompt, scrypt takes tens of milliseconds)."""

    def __init__(
        self,
        account_dir: Path,
        user_id: str,
        *,
        keyring: KeyringBackend | bool | None = True,
        passphrase: Passphrase = _from_environment,
    ) -> None:
        """``keyring=True`` uses the OS keyring when one is usable (and
        ``OOR_CREDENTIALS=file`` does not say otherwise); ``None``/``False`` never does."""
        self._dir = account_dir
        self._user_id = user_id
        self._keyring = auto_keyring() if keyring is True else (keyring or None)
        self._passphrase = passphrase
        self._known: bytes | None = None  # found or made once: asked again, not looked up

    @property
    def location(self) -> str:
        """Where the key is kept, in words for the sign-in line and the docs."""
        if (self._dir / KEY_FILE).is_file():
            return str(self._dir / KEY_FILE)
        if (self._dir / SALT_FILE).is_file():
            return "passphrase"
        return "system keyring" if self._keyring is not None else "none yet"

    def needs_passphrase(self) -> bool:
        """Whether this account's key is a passphrase and none was given: the window
        then asks for it (``services/archive_passphrase.py``) instead of refusing."""
        return (
            not (self._dir / KEY_FILE).is_file()
            and (self._dir / SALT_FILE).is_file()
            and not self._passphrase()
        )

    def may_choose_passphrase(self) -> bool:
        """Whether a new key would have no keyring to live in and none exists yet, and
        the administrator did not choose files (``OOR_CREDENTIALS=file``): the window
        then lets the person choose a passphrase instead of writing ``archive.key``."""
        return (
            self._keyring is None
            and not files_chosen()
            and not (self._dir / KEY_FILE).is_file()
            and not (self._dir / SALT_FILE).is_file()
            and not self._passphrase()
        )

    def existing(self) -> bytes:
        """The key of an encrypted archive; ``KeyMissing`` with a clear sentence if absent."""
        key = self._find()
        if key is None:
            raise KeyMissing(
                f"The archive in {self._dir} cannot be opened: it is encrypted and its key "
                f"is not in the system keyring, in {KEY_FILE}, or given as a passphrase "
                f"({PASSPHRASE_ENV}). Nothing was changed."
            )
        return key

    def existing_or_new(self) -> bytes:
        """The account's key, made and kept now if it has none yet."""
        key = self._find()
        return key if key is not None else self._make()

    def _find(self) -> bytes | None:
        """The key, looked up once per instance: a keyring lookup is a D-Bus call (and a
        passphrase a scrypt), and the start-up opens the archive twice with one instance
        (its plain look, then the store's opening)."""
        if self._known is None:
            self._known = self._look_up()
        return self._known

    def _look_up(self) -> bytes | None:
        key_file = self._dir / KEY_FILE
        if key_file.is_file():
            return _hex_key(key_file.read_text(encoding="ascii").strip(), str(key_file))
        salt_file = self._dir / SALT_FILE
        if salt_file.is_file():
            passphrase = self._passphrase()
            if not passphrase:
                return None
            salt = bytes.fromhex(salt_file.read_text(encoding="ascii").strip())
            return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **_SCRYPT)
        if self._keyring is None:
            return None
        try:
            stored = self._keyring.get_password(SERVICE, self._user_id)
        except Exception as exc:  # backends raise their own types (D-Bus, locked, ...)
            raise StoreError(f"Cannot read the archive key from the system keyring: {exc}") from exc
        return None if stored is None else _hex_key(stored, "the system keyring")

    def _make(self) -> bytes:
        self._known = self._new_key()
        return self._known

    def _new_key(self) -> bytes:
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = os.urandom(KEY_BYTES)
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, self._user_id, key.hex())
                return key
            except Exception as exc:  # a locked or broken keyring: fall through
                log.warning("Keyring refused the archive key (%s); using another place", exc)
        passphrase = self._passphrase()
        if passphrase:
            salt = os.urandom(16)
            write_private_text(self._dir / SALT_FILE, salt.hex())
            return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **_SCRYPT)
        write_private_text(self._dir / KEY_FILE, key.hex())
        return key


def _hex_key(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise StoreError(f"The archive key kept in {where} is damaged.")
    return key
