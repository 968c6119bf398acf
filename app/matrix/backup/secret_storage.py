"""Secret storage (``m.secret_storage.v1.aes-hmac-sha2``): secrets in account data, encrypted
with a key only the user holds (the recovery key, or a passphrase that derives it).

The server keeps the ciphertext of each secret under its own account-data type and a
description of the key (with a check value that tells a right key from a wrong one
without decrypting anything). The key backup's private key lives here today; the
cross-signing keys are meant to join it behind the same key. The crypto follows the
spec exactly so other clients (Element) can read what we store and the other way round.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core import recovery_key
from app.core.errors import SendFailed
from app.matrix.client import MatrixClient

ALGORITHM = "m.secret_storage.v1.aes-hmac-sha2"
DEFAULT_KEY = "m.secret_storage.default_key"
KEY_PREFIX = "m.secret_storage.key."


class SecretStorageError(Exception):
    """Secret storage cannot do what was asked; ``reason`` is a short code for the UI."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # "no_storage", "wrong_key", "no_secret", "unsupported", "damaged"


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Padded or unpadded base64, as different clients write it."""
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _keys(key: bytes, name: str) -> tuple[bytes, bytes]:
    """HKDF-SHA-256 with a zero salt and the secret's name: an AES key and an HMAC key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=64, salt=bytes(32), info=name.encode("utf-8"))
    derived = hkdf.derive(key)
    return derived[:32], derived[32:]


def _ctr(aes_key: bytes, iv: bytes, data: bytes) -> bytes:
    transform = Cipher(algorithms.AES(aes_key), modes.CTR(iv)).encryptor()
    return transform.update(data) + transform.finalize()


def encrypt(key: bytes, name: str, plaintext: bytes, iv: bytes | None = None) -> dict[str, str]:
    """``{iv, ciphertext, mac}`` of one secret under ``key``."""
    if iv is None:
        raw = bytearray(secrets.token_bytes(16))
        raw[8] &= 0x7F  # bit 63 clear: some implementations count the CTR block as 64 bits
        iv = bytes(raw)
    aes_key, mac_key = _keys(key, name)
    ciphertext = _ctr(aes_key, iv, plaintext)
    mac = hmac.new(mac_key, ciphertext, hashlib.sha256).digest()
    return {"iv": b64encode(iv), "ciphertext": b64encode(ciphertext), "mac": b64encode(mac)}


def decrypt(key: bytes, name: str, sealed: Mapping[str, Any]) -> bytes:
    """The plaintext of one secret; SecretStorageError("wrong_key") when the MAC fails."""
    try:
        iv, ciphertext, mac = (b64decode(str(sealed[f])) for f in ("iv", "ciphertext", "mac"))
    except (KeyError, ValueError) as exc:
        raise SecretStorageError("damaged", f"{name}: {exc}") from exc
    aes_key, mac_key = _keys(key, name)
    if not hmac.compare_digest(hmac.new(mac_key, ciphertext, hashlib.sha256).digest(), mac):
        raise SecretStorageError("wrong_key")
    return _ctr(aes_key, iv, ciphertext)


def key_description(
    key: bytes, name: str = "", passphrase: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The ``m.secret_storage.key.*`` content: its check value is 32 zero bytes
    encrypted under the key with an empty name."""
    check = encrypt(key, "", bytes(32))
    content: dict[str, Any] = {"algorithm": ALGORITHM, "iv": check["iv"], "mac": check["mac"]}
    if name:
        content["name"] = name
    if passphrase:
        content["passphrase"] = dict(passphrase)
    return content


def key_matches(key: bytes, description: Mapping[str, Any]) -> bool:
    """Whether ``key`` is the key described (the check value recomputed with its iv)."""
    try:
        iv = b64decode(str(description["iv"]))
        expected = b64decode(str(description["mac"]))
    except (KeyError, ValueError):
        return False
    recomputed = b64decode(encrypt(key, "", bytes(32), iv)["mac"])
    return hmac.compare_digest(recomputed, expected)


@dataclass(frozen=True, slots=True)
class StorageKey:
    """The default secret storage key as the server describes it (no secret material)."""

    key_id: str
    description: Mapping[str, Any]

    @property
    def passphrase(self) -> Mapping[str, Any] | None:
        info = self.description.get("passphrase")
        return info if isinstance(info, Mapping) and info.get("algorithm") == "m.pbkdf2" else None

    def unlock(self, typed: str) -> bytes:
        """The key behind a typed recovery key or passphrase; SecretStorageError if wrong.

        A text of a recovery key's length with a bad parity byte is a typo in the key,
        said at once; anything else that is not a key is tried as the passphrase, when
        the key has one."""
        try:
            key = recovery_key.decode(typed)
        except recovery_key.RecoveryKeyError as exc:
            if exc.reason == "typo" or self.passphrase is None or not typed:
                raise SecretStorageError("not_a_key", exc.reason) from exc
            key = self._from_passphrase(typed)
        if not key_matches(key, self.description):
            raise SecretStorageError("wrong_key")
        return key

    def _from_passphrase(self, typed: str) -> bytes:
        info = self.passphrase or {}
        try:
            salt, rounds, bits = (
                str(info["salt"]),
                int(info["iterations"]),
                int(info.get("bits", 256)),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise SecretStorageError("damaged", f"passphrase info: {exc}") from exc
        return recovery_key.from_passphrase(typed, salt, rounds, bits)


class SecretStorage:
    """Secrets of one account, read and written through its account data."""

    def __init__(self, client: MatrixClient) -> None:
        self._client = client

    async def default_key(self) -> StorageKey | None:
        """The account's default key, or None if it has no secret storage yet."""
        pointer = await self._client.account_data(DEFAULT_KEY)
        key_id = pointer.get("key") if pointer else None
        if not isinstance(key_id, str) or not key_id:
            return None
        description = await self._client.account_data(KEY_PREFIX + key_id)
        if description is None:
            return None
        if description.get("algorithm") != ALGORITHM:
            raise SecretStorageError("unsupported", str(description.get("algorithm")))
        return StorageKey(key_id, description)

    async def create_key(
        self, key: bytes, passphrase: Mapping[str, Any] | None, secrets_: Mapping[str, str]
    ) -> StorageKey:
        """Describe a new key, store ``secrets_`` under it, then make it the default: in
        that order, so the default never names a key without its description or secrets
        (a crash half-way leaves the account as it was)."""
        key_id = secrets.token_urlsafe(24)
        made = StorageKey(key_id, key_description(key, "Recovery key", passphrase))
        await self._client.set_account_data(KEY_PREFIX + key_id, dict(made.description))
        for name, secret in secrets_.items():
            await self.store(made, key, name, secret)
        await self._client.set_account_data(DEFAULT_KEY, {"key": key_id})
        return made

    async def store(self, storage: StorageKey, key: bytes, name: str, secret: str) -> None:
        sealed = encrypt(key, name, secret.encode("utf-8"))
        await self._client.set_account_data(name, {"encrypted": {storage.key_id: sealed}})

    async def read(self, storage: StorageKey, key: bytes, name: str) -> str:
        """One secret's plaintext; SecretStorageError if it is missing or not ours to read."""
        try:
            content = await self._client.account_data(name)
        except SendFailed as exc:
            raise SecretStorageError("unreachable", exc.detail) from exc
        encrypted = content.get("encrypted") if content else None
        sealed = encrypted.get(storage.key_id) if isinstance(encrypted, Mapping) else None
        if not isinstance(sealed, Mapping):
            raise SecretStorageError("no_secret", name)
        try:
            return decrypt(key, name, sealed).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SecretStorageError("damaged", name) from exc


def passphrase_info(salt: str = "", iterations: int = 0) -> dict[str, Any]:
    """The ``m.pbkdf2`` description of a new passphrase (a fresh salt by default)."""
    return {
        "algorithm": "m.pbkdf2",
        "salt": salt or secrets.token_urlsafe(24),
        "iterations": iterations or recovery_key.PBKDF2_ITERATIONS,
        "bits": 256,
    }
