"""Cross-signing from outside the app, for tests: an independent signer and checker.

matrix-nio has no cross-signing, so a plain nio peer that stands for a trusted delegate
gets its keys here: made with ``cryptography``, uploaded over raw HTTP with
user-interactive auth, its device signed by its self-signing key. The checker reads
Synapse's ``/keys/query`` output and verifies Ed25519 with ``cryptography`` and its own
canonical JSON, sharing no code with the app it judges.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import aiohttp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nio import AsyncClient


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def canonical(obj: dict[str, Any]) -> bytes:
    stripped = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    return json.dumps(stripped, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def verify(obj: Any, user_id: str, key_id: str, public: str) -> bool:
    """Whether ``obj`` carries a valid ``ed25519:key_id`` signature of ``user_id``."""
    try:
        signature = obj["signatures"][user_id][f"ed25519:{key_id}"]
        Ed25519PublicKey.from_public_bytes(unb64(public)).verify(unb64(signature), canonical(obj))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True


def public_of(key_obj: dict[str, Any]) -> str:
    ((key_id, public),) = key_obj["keys"].items()
    assert key_id == f"ed25519:{public}"
    return public


def device_cross_signed(reply: dict[str, Any], user_id: str, device_id: str) -> bool:
    """The whole chain, checked here: master → self-signing key → device."""
    master = reply.get("master_keys", {}).get(user_id)
    ssk = reply.get("self_signing_keys", {}).get(user_id)
    device = reply.get("device_keys", {}).get(user_id, {}).get(device_id)
    if not (master and ssk and device):
        return False
    master_public, ssk_public = public_of(master), public_of(ssk)
    return verify(ssk, user_id, master_public, master_public) and verify(
        device, user_id, ssk_public, ssk_public
    )


async def query(homeserver_url: str, token: str, *users: str) -> dict[str, Any]:
    """Synapse's ``/keys/query`` answer, fetched over plain HTTP."""
    headers = {"Authorization": f"Bearer {token}"}
    body = {"device_keys": {u: [] for u in users}}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.post(f"{homeserver_url}/_matrix/client/v3/keys/query", json=body) as resp,
    ):
        assert resp.status == 200, await resp.text()
        return await resp.json()


class Signer:
    """One Ed25519 cross-signing key of a test peer."""

    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.public = b64(self.private.public_key().public_bytes_raw())

    def key_object(self, user_id: str, usage: str) -> dict[str, Any]:
        return {
            "user_id": user_id,
            "usage": [usage],
            "keys": {f"ed25519:{self.public}": self.public},
        }

    def sign(self, user_id: str, obj: dict[str, Any]) -> dict[str, Any]:
        signed = {k: v for k, v in obj.items() if k != "unsigned"}
        signatures = {u: dict(s) for u, s in obj.get("signatures", {}).items()}
        signatures.setdefault(user_id, {})[f"ed25519:{self.public}"] = b64(
            self.private.sign(canonical(obj))
        )
        signed["signatures"] = signatures
        return signed


class CrossSigningPeer:
    """A plain nio client's cross-signing identity, made and used from outside nio."""

    def __init__(self, raw: AsyncClient, password: str) -> None:
        self.raw = raw
        self.password = password
        self.master, self.self_signing, self.user_signing = Signer(), Signer(), Signer()

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.raw.access_token}"}
        async with (
            aiohttp.ClientSession(headers=headers) as http,
            http.post(f"{self.raw.homeserver}{path}", json=body) as resp,
        ):
            return resp.status, await resp.json()

    async def set_up(self) -> CrossSigningPeer:
        """Upload the three keys (password auth if asked) and sign the peer's device."""
        user = self.raw.user_id
        body: dict[str, Any] = {
            "master_key": self.master.key_object(user, "master"),
            "self_signing_key": self.master.sign(
                user, self.self_signing.key_object(user, "self_signing")
            ),
            "user_signing_key": self.master.sign(
                user, self.user_signing.key_object(user, "user_signing")
            ),
        }
        path = "/_matrix/client/v3/keys/device_signing/upload"
        status, reply = await self._post(path, body)
        if status == 401:
            body["auth"] = {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": user},
                "password": self.password,
                "session": reply["session"],
            }
            status, reply = await self._post(path, body)
        assert status == 200, reply
        await self.sign_device(self.raw.device_id)
        return self

    async def sign_device(self, device_id: str, signer: Signer | None = None) -> None:
        """Sign one of the peer's devices (with another key to forge a signature)."""
        reply = await query(self.raw.homeserver, self.raw.access_token, self.raw.user_id)
        device = reply["device_keys"][self.raw.user_id][device_id]
        signed = (signer or self.self_signing).sign(self.raw.user_id, device)
        status, answer = await self._post(
            "/_matrix/client/v3/keys/signatures/upload", {self.raw.user_id: {device_id: signed}}
        )
        assert status == 200, answer
