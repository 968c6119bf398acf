"""The cross-signing keys of our account on the server: made, uploaded, used to sign.

matrix-nio 0.26 has no cross-signing (it reads no master keys), so the three Ed25519
keys are made here with ``cryptography`` and the spec's calls are made directly:
``/keys/device_signing/upload`` (an account's first keys go up without auth; the
password just typed, never kept, answers the server only when it asks, and
``confirm_password`` checks it first), and ``/keys/signatures/upload`` for a signature
on one of our devices or on another person's master key. Private keys are 32-byte
Ed25519 seeds, written as unpadded base64 the way secret storage keeps them
(``m.cross_signing.*``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.core.canonical_json import signing_bytes
from app.core.errors import SendFailed, SendProblem
from app.core.trust import unpadded_b64

USAGES = ("master", "self_signing", "user_signing")
SECRET_NAMES = {usage: f"m.cross_signing.{usage}" for usage in USAGES}


class CrossSigningError(Exception):
    """A private key that is not one, or one that is not the account's."""


class SigningKey:
    """One cross-signing key pair."""

    def __init__(self, seed: bytes) -> None:
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        self.seed = seed
        raw = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = unpadded_b64(raw)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def from_secret(cls, text: str) -> SigningKey:
        """A key from secret storage's base64 seed; CrossSigningError if it is not one."""
        try:
            seed = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
            return cls(seed)
        except (ValueError, binascii.Error) as exc:
            raise CrossSigningError("a cross-signing secret is not an Ed25519 seed") from exc

    @property
    def secret(self) -> str:
        return unpadded_b64(self.seed)

    def sign(self, user_id: str, obj: Mapping[str, Any]) -> dict[str, Any]:
        """``obj`` with this key's signature added (its other signatures kept)."""
        signature = unpadded_b64(self._private.sign(signing_bytes(obj)))
        signed = {k: v for k, v in obj.items() if k != "unsigned"}
        signatures = {u: dict(s) for u, s in dict(obj.get("signatures", {})).items()}
        signatures.setdefault(user_id, {})[f"ed25519:{self.public}"] = signature
        signed["signatures"] = signatures
        return signed

    def public_object(self, user_id: str, usage: str) -> dict[str, Any]:
        return {
            "user_id": user_id,
            "usage": [usage],
            "keys": {f"ed25519:{self.public}": self.public},
        }


@dataclass(frozen=True)
class CrossSigningKeys:
    """Master, self-signing and user-signing keys of one account."""

    user_id: str
    master: SigningKey
    self_signing: SigningKey
    user_signing: SigningKey

    @classmethod
    def generate(cls, user_id: str) -> CrossSigningKeys:
        return cls(user_id, SigningKey.generate(), SigningKey.generate(), SigningKey.generate())

    @classmethod
    def from_secrets(cls, user_id: str, secrets: Mapping[str, str]) -> CrossSigningKeys:
        """From the three secrets by usage; CrossSigningError if one is missing or bad."""
        try:
            keys = [SigningKey.from_secret(secrets[usage]) for usage in USAGES]
        except KeyError as exc:
            raise CrossSigningError(f"the {exc.args[0]} key is missing") from exc
        return cls(user_id, *keys)

    def secrets(self) -> dict[str, str]:
        """The private keys as secret storage names and keeps them."""
        return {SECRET_NAMES[usage]: getattr(self, usage).secret for usage in USAGES}

    def publics(self) -> dict[str, str]:
        return {usage: getattr(self, usage).public for usage in USAGES}

    def upload_body(self) -> dict[str, Any]:
        """The public keys, the two sub-keys signed by the master key (spec)."""
        master = self.master.public_object(self.user_id, "master")
        ssk = self.self_signing.public_object(self.user_id, "self_signing")
        usk = self.user_signing.public_object(self.user_id, "user_signing")
        return {
            "master_key": master,
            "self_signing_key": self.master.sign(self.user_id, ssk),
            "user_signing_key": self.master.sign(self.user_id, usk),
        }


class Api(Protocol):
    """The raw client-server calls of a MatrixClient (``ServerCalls``)."""

    async def api(
        self, method: str, path: str, body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]: ...

    async def exchange(
        self, method: str, path: str, body: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]: ...


async def query_keys(api: Api, users: Iterable[str]) -> dict[str, Any]:
    """The server's ``/keys/query`` reply for these users (devices and cross-signing)."""
    body = {"device_keys": {user: [] for user in users}}
    return await api.api("POST", "/_matrix/client/v3/keys/query", body)


class AuthNeeded(Exception):
    """The server asks for the password before it takes the keys (user-interactive auth);
    ``session`` names the attempt to answer."""

    def __init__(self, session: str) -> None:
        super().__init__("the server asks for the password")
        self.session = session


class PasswordRefused(SendFailed):
    """The server refused the password that answered its user-interactive auth."""

    def __init__(self) -> None:
        super().__init__(SendProblem.REFUSED, "the server refused the password")


async def upload_keys(
    api: Api, keys: CrossSigningKeys, password: str | None = None, session: str | None = None
) -> None:
    """Publish the public keys. Sent first without auth: a server lets an account's first
    keys in so (MSC3967), and asks (AuthNeeded) when the account has keys already, so the
    caller can look again before replacing anything. Sent again with ``password`` and the
    ``session`` AuthNeeded named, it answers with ``m.login.password`` (PasswordRefused if
    the server refuses it). Any other refusal raises SendFailed."""
    path = "/_matrix/client/v3/keys/device_signing/upload"
    body = keys.upload_body()
    if password is not None and session is not None:
        body["auth"] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": keys.user_id},
            "password": password,
            "session": session,
        }
    status, reply = await api.exchange("POST", path, body)
    asked = reply.get("session")
    if status == 401 and isinstance(asked, str) and "auth" not in body:
        raise AuthNeeded(asked)
    if status == 401 and reply.get("errcode") == "M_FORBIDDEN":
        raise PasswordRefused
    if status >= 400:
        problem = SendProblem.TRANSIENT if status >= 500 else SendProblem.REFUSED
        raise SendFailed(problem, f"{reply.get('errcode', status)}: {reply.get('error', '')}")


async def confirm_password(api: Api, user_id: str, password: str) -> bool | None:
    """Whether the server takes ``password`` for this account, or None when it cannot be
    checked here. Asked through user-interactive auth on a request that changes nothing
    (``/delete_devices`` with no device): an account's first cross-signing keys go up
    without auth (MSC3967), so the upload alone would let a mistyped password pass
    unnoticed. A server may skip the auth (Synapse does within its
    ``ui_auth.session_timeout`` of the last one): a 200 at once checked nothing. SendFailed
    if the server cannot answer (rate-limited, unreachable)."""
    path = "/_matrix/client/v3/delete_devices"
    status, reply = await api.exchange("POST", path, {"devices": []})
    if status < 400:
        return None
    session = reply.get("session")
    if status == 401 and isinstance(session, str):
        auth = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user_id},
            "password": password,
            "session": session,
        }
        status, reply = await api.exchange("POST", path, {"devices": [], "auth": auth})
    if status == 401 and reply.get("errcode") == "M_FORBIDDEN":
        return False
    if status >= 400:
        transient = status == 429 or status >= 500
        problem = SendProblem.TRANSIENT if transient else SendProblem.REFUSED
        raise SendFailed(problem, f"{reply.get('errcode', status)}: {reply.get('error', '')}")
    return True


async def upload_signature(api: Api, owner: str, key_id: str, signed: Mapping[str, Any]) -> None:
    """Send one new signature: ``signed`` is the whole object (a device's keys, or another
    person's master key, named by its public key) with the signature added."""
    path = "/_matrix/client/v3/keys/signatures/upload"
    reply = await api.api("POST", path, {owner: {key_id: dict(signed)}})
    failures = reply.get("failures")
    if isinstance(failures, Mapping) and failures:
        raise SendFailed(SendProblem.REFUSED, f"signature refused: {failures}")
