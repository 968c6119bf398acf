"""This device's copy of the account's cross-signing private keys, sealed on disk.

A device that made the keys, or opened them with the recovery key, keeps them to sign
later (a new device of ours, a person verified by emoji) without asking for the recovery
key each time. On disk they are sealed with secret storage's own AES-CTR + HMAC scheme
under a key derived from the device's pickle key (kept in the OS keyring with the login),
so the file alone reveals nothing.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from app.matrix.backup import SecretStorageError
from app.matrix.backup.secret_storage import decrypt, encrypt
from app.matrix.crypto.cross_signing import SECRET_NAMES, CrossSigningError, CrossSigningKeys

if TYPE_CHECKING:
    from app.store import JsonDocument


def _sealing_key(pickle_key: str) -> bytes:
    return hashlib.sha256(b"oor cross-signing on this device|" + pickle_key.encode()).digest()


def seal(keys: CrossSigningKeys, pickle_key: str) -> dict[str, object]:
    key = _sealing_key(pickle_key)
    return {
        "user_id": keys.user_id,
        "publics": keys.publics(),
        "sealed": {
            name: encrypt(key, name, secret.encode()) for name, secret in keys.secrets().items()
        },
    }


def unseal(document: dict[str, object], user_id: str, pickle_key: str) -> CrossSigningKeys | None:
    """The keys kept here, or None if there are none (or they are not this account's, or
    cannot be opened: a changed pickle key means the recovery key must open them again)."""
    sealed = document.get("sealed")
    if document.get("user_id") != user_id or not isinstance(sealed, dict):
        return None
    key = _sealing_key(pickle_key)
    try:
        secrets = {
            usage: decrypt(key, name, sealed[name]).decode() for usage, name in SECRET_NAMES.items()
        }
        return CrossSigningKeys.from_secrets(user_id, secrets)
    except (KeyError, TypeError, UnicodeDecodeError, SecretStorageError, CrossSigningError):
        return None


def keep(document: JsonDocument, keys: CrossSigningKeys | None, pickle_key: str) -> None:
    """Write the sealed keys, or forget them (None: they never became the account's)
    (store thread)."""
    document.save(seal(keys, pickle_key) if keys is not None else {})
