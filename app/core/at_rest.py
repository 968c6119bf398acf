"""Small files encrypted with the account's at-rest key (AES-256-GCM).

Drafts, evaluator notes and the like hold decrypted words; on a lost laptop they must
read as noise, like the archive itself. One key per account (kept by the store's
``ArchiveKeys``) protects both: the archive uses it as SQLCipher's raw key, these files
use a key derived from it with HKDF, so the two ciphers never share key material.

A sealed file is ``MAGIC || nonce(12) || ciphertext+tag``. The file's name is bound in
as associated data, so a sealed ``notes.json`` copied over ``composer.json`` fails to
open instead of being read as drafts. Files without the magic are the plaintext of an
older release: readable once, written back sealed.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"OOR-SEALED-1\n"
_NONCE_BYTES = 12


class SealBroken(ValueError):
    """A sealed file that this key cannot open (another key, or damaged bytes)."""


def file_key(archive_key: bytes) -> bytes:
    """The files' AES key, derived from the account's at-rest key."""
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"org.openopsroom.files").derive(archive_key)


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal(key: bytes, name: str, plaintext: bytes) -> bytes:
    """``plaintext`` encrypted for the file called ``name``."""
    nonce = os.urandom(_NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, name.encode())


def unseal(key: bytes, name: str, data: bytes) -> bytes:
    """The plaintext of a sealed file; ``SealBroken`` when the key or the bytes are wrong."""
    body = data[len(MAGIC) :]
    nonce, ciphertext = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, name.encode())
    except (InvalidTag, ValueError) as exc:
        raise SealBroken(name) from exc
