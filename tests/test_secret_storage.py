"""Secret storage as the spec defines it: another implementation reads what we store and
we read what it stores. The other implementation is the few lines below, from the spec
(HKDF-SHA-256 with the secret's name, AES-CTR-256, HMAC-SHA-256), not our module."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core import recovery_key
from app.homeserver import EmbeddedHomeserver
from app.matrix.backup import SecretStorage, SecretStorageError, passphrase_info
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer


def _spec_keys(key: bytes, name: str) -> tuple[bytes, bytes]:
    okm = HKDF(hashes.SHA256(), 64, bytes(32), name.encode()).derive(key)
    return okm[:32], okm[32:]


def spec_decrypt(key: bytes, name: str, sealed: dict[str, str]) -> bytes:
    def unb64(text: str) -> bytes:
        return base64.b64decode(text + "=" * (-len(text) % 4))

    aes_key, mac_key = _spec_keys(key, name)
    ciphertext = unb64(sealed["ciphertext"])
    assert hmac.new(mac_key, ciphertext, hashlib.sha256).digest() == unb64(sealed["mac"])
    decryptor = Cipher(algorithms.AES(aes_key), modes.CTR(unb64(sealed["iv"]))).decryptor()
    return decryptor.update(ciphertext) + decryptor.finalize()


def _spec_encrypt(key: bytes, name: str, plaintext: bytes) -> dict[str, str]:
    iv = bytearray(os.urandom(16))
    iv[8] &= 0x7F
    aes_key, mac_key = _spec_keys(key, name)
    encryptor = Cipher(algorithms.AES(aes_key), modes.CTR(bytes(iv))).encryptor()
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    mac = hmac.new(mac_key, ciphertext, hashlib.sha256).digest()
    return {
        "iv": base64.b64encode(bytes(iv)).decode(),
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "mac": base64.b64encode(mac).decode(),
    }


async def _account_data(peer: Peer, homeserver: EmbeddedHomeserver, kind: str, put=None):
    """Read (or write) account data over plain HTTP, beside our client."""
    creds = peer.account.client.creds
    user = quote(creds.user_id, safe="")
    url = f"{homeserver.url}/_matrix/client/v3/user/{user}/account_data/{quote(kind, safe='')}"
    headers = {"Authorization": f"Bearer {creds.access_token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        if put is not None:
            async with http.put(url, json=put) as resp:
                assert resp.status == 200
                return None
        async with http.get(url) as resp:
            assert resp.status == 200
            return await resp.json()


async def test_what_we_store_another_implementation_reads_and_the_other_way_round(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    peer = await Peer(tmp_path / "a", make_account("ssss")).login(homeserver)
    try:
        storage = SecretStorage(peer.account.client)
        assert await storage.default_key() is None  # a new account has none
        key = recovery_key.new_key()
        made = await storage.create_key(key, None, {"m.megolm_backup.v1": "the backup key"})

        pointer = await _account_data(peer, homeserver, "m.secret_storage.default_key")
        assert pointer == {"key": made.key_id}
        described = await _account_data(peer, homeserver, f"m.secret_storage.key.{made.key_id}")
        assert described["algorithm"] == "m.secret_storage.v1.aes-hmac-sha2"
        check = {"iv": described["iv"], "mac": described["mac"]}
        # The check value: 32 zero bytes under the empty name, re-encrypted with its iv.
        aes_key, mac_key = _spec_keys(key, "")
        iv = base64.b64decode(check["iv"] + "=" * (-len(check["iv"]) % 4))
        enc = Cipher(algorithms.AES(aes_key), modes.CTR(iv)).encryptor()
        zeros = enc.update(bytes(32)) + enc.finalize()
        expected = base64.b64encode(hmac.new(mac_key, zeros, hashlib.sha256).digest()).decode()
        assert check["mac"].rstrip("=") == expected.rstrip("=")

        stored = await _account_data(peer, homeserver, "m.megolm_backup.v1")
        sealed = stored["encrypted"][made.key_id]
        assert spec_decrypt(key, "m.megolm_backup.v1", sealed) == b"the backup key"

        theirs = {"encrypted": {made.key_id: _spec_encrypt(key, "m.cross_signing.master", b"M")}}
        await _account_data(peer, homeserver, "m.cross_signing.master", put=theirs)
        found = await storage.default_key()
        assert found is not None
        unlocked = found.unlock(recovery_key.encode(key))
        assert await storage.read(found, unlocked, "m.cross_signing.master") == "M"

        with pytest.raises(SecretStorageError) as wrong:
            found.unlock(recovery_key.encode(recovery_key.new_key()))
        assert wrong.value.reason == "wrong_key"
        with pytest.raises(SecretStorageError) as missing:
            await storage.read(found, unlocked, "m.cross_signing.self_signing")
        assert missing.value.reason == "no_secret"
    finally:
        await peer.close()


async def test_a_passphrase_unlocks_the_key_it_derived(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    peer = await Peer(tmp_path / "a", make_account("phrase")).login(homeserver)
    try:
        storage = SecretStorage(peer.account.client)
        info = passphrase_info(iterations=1000)  # few rounds: this is about the format
        key = recovery_key.from_passphrase("quiet river at dawn", info["salt"], 1000)
        await storage.create_key(key, info, {})
        found = await storage.default_key()
        assert found is not None and found.passphrase is not None
        assert found.unlock("quiet river at dawn") == key
        assert found.unlock(recovery_key.encode(key)) == key  # the key works as well
        with pytest.raises(SecretStorageError) as wrong:
            found.unlock("quiet river at dusk")
        assert wrong.value.reason == "wrong_key"
    finally:
        await peer.close()
