"""Server-side key backup (``m.megolm_backup.v1.curve25519-aes-sha2``).

Every Megolm session this device can decrypt with (the inbound halves of what we send,
and every room key we receive) goes to the server encrypted to the backup's Curve25519
public key; only the holder of the private key (kept in secret storage, behind the
recovery key) reads it back. A new device downloads the sessions, decrypts them and
imports them into nio's Olm machine, so archived events it could not read decrypt.
The wire format is the spec's, so a backup made by Element restores here and ours there.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import vodozemac
from nio.crypto.sessions import InboundGroupSession

from app.core.errors import SendFailed
from app.matrix.backup.secret_storage import b64encode
from app.matrix.client import MatrixClient

log = logging.getLogger(__name__)
ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2"
SECRET_NAME = "m.megolm_backup.v1"  # the backup's private key, in secret storage
_MEGOLM = "m.megolm.v1.aes-sha2"
_UPLOAD_CHUNK = 200
_VERSION = "/_matrix/client/v3/room_keys/version"


def _unpadded(data: bytes) -> str:
    return b64encode(data).rstrip("=")


class BackupKeyMismatch(Exception):
    """The private key from secret storage does not belong to the server's backup."""


@dataclass(frozen=True, slots=True)
class BackupVersion:
    """One backup on the server: its version and the public key sessions are encrypted to."""

    version: str
    public_key: str
    count: int = 0  # sessions the server holds in it


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore brought: sessions imported, and sessions that could not be read."""

    imported: int
    unreadable: int


def _session_id(session: InboundGroupSession) -> str:
    return f"{session.room_id}|{session.id}"


class KeyBackup:
    """The key backup of one account, seen from one device."""

    def __init__(self, client: MatrixClient) -> None:
        self._client = client

    async def current(self) -> BackupVersion | None:
        """The server's newest backup of our algorithm, or None if there is none."""
        try:
            reply = await self._client.api("GET", _VERSION)
        except SendFailed as exc:
            if exc.detail.startswith("M_NOT_FOUND"):
                return None
            raise
        auth = reply.get("auth_data")
        if reply.get("algorithm") != ALGORITHM or not isinstance(auth, Mapping):
            return None
        count = reply.get("count")
        return BackupVersion(
            str(reply.get("version", "")),
            str(auth.get("public_key", "")),
            count if isinstance(count, int) else 0,
        )

    async def create(self) -> tuple[BackupVersion, bytes]:
        """A new backup version, signed by this device; returns it and its private key."""
        private = vodozemac.Curve25519SecretKey.from_bytes(secrets.token_bytes(32))
        public_key = vodozemac.PkDecryption.from_key(private).public_key.to_base64()
        auth_data: dict[str, Any] = {"public_key": public_key}
        olm = self._client.olm
        key_id = f"ed25519:{self._client.creds.device_id}"
        signature = olm.sign_json(auth_data)
        auth_data["signatures"] = {self._client.user_id: {key_id: signature}}
        reply = await self._client.api(
            "POST", _VERSION, {"algorithm": ALGORITHM, "auth_data": auth_data}
        )
        return BackupVersion(str(reply["version"]), public_key), private.to_bytes()

    def sessions(self) -> list[InboundGroupSession]:
        """Every Megolm session this device holds (ours and those shared with us)."""
        return list(self._client.olm.inbound_group_store)

    def not_yet_sent(self, sent: Mapping[str, int]) -> list[InboundGroupSession]:
        """Sessions missing from the backup, or held now from an earlier message index."""
        return [
            s
            for s in self.sessions()
            if s.first_known_index < sent.get(_session_id(s), s.first_known_index + 1)
        ]

    async def upload(
        self, version: BackupVersion, sessions: Iterable[InboundGroupSession]
    ) -> dict[str, int]:
        """Encrypt and send sessions; returns what went up (id → first index) so the
        caller remembers it only after the server took it."""
        encryption = vodozemac.PkEncryption.from_key(
            vodozemac.Curve25519PublicKey.from_base64(version.public_key)
        )
        pending = list(sessions)
        sent: dict[str, int] = {}
        for start in range(0, len(pending), _UPLOAD_CHUNK):
            chunk = pending[start : start + _UPLOAD_CHUNK]
            rooms: dict[str, dict[str, Any]] = {}
            for session in chunk:
                room = rooms.setdefault(session.room_id, {"sessions": {}})
                room["sessions"][session.id] = _backup_data(encryption, session)
            path = f"/_matrix/client/v3/room_keys/keys?version={quote(version.version)}"
            await self._client.api("PUT", path, {"rooms": rooms})
            sent.update({_session_id(s): s.first_known_index for s in chunk})
        return sent

    @staticmethod
    def check_key(version: BackupVersion, private_key: bytes) -> vodozemac.PkDecryption:
        """The decryption of a backup; BackupKeyMismatch if the key is not the backup's."""
        try:
            secret = vodozemac.Curve25519SecretKey.from_bytes(private_key)
        except Exception as exc:  # vodozemac: wrong size
            raise BackupKeyMismatch(version.version) from exc
        decryption = vodozemac.PkDecryption.from_key(secret)
        if decryption.public_key.to_base64() != version.public_key:
            raise BackupKeyMismatch(version.version)
        return decryption

    async def restore(self, version: BackupVersion, private_key: bytes) -> Restored:
        """Download every backed-up session, decrypt it and import what improves on ours."""
        decryption = self.check_key(version, private_key)
        path = f"/_matrix/client/v3/room_keys/keys?version={quote(version.version)}"
        reply = await self._client.api("GET", path)
        imported = unreadable = 0
        rooms = reply.get("rooms")
        for room_id, room in (rooms if isinstance(rooms, Mapping) else {}).items():
            found = room.get("sessions") if isinstance(room, Mapping) else None
            for session_id, data in (found if isinstance(found, Mapping) else {}).items():
                session = _open(decryption, room_id, session_id, data)
                if session is None:
                    unreadable += 1
                elif self._import(session):
                    imported += 1
        return Restored(imported, unreadable)

    def _import(self, session: InboundGroupSession) -> bool:
        """Keep the session unless we hold it already from an earlier message index."""
        olm = self._client.olm
        held = olm.inbound_group_store.get(session.room_id, session.sender_key, session.id)
        if held is not None and held.first_known_index <= session.first_known_index:
            return False
        olm.inbound_group_store.add(session)
        olm.save_inbound_group_session(session)
        return True


def _backup_data(
    encryption: vodozemac.PkEncryption, session: InboundGroupSession
) -> dict[str, Any]:
    """The spec's KeyBackupData of one session, its key material encrypted."""
    plain = {
        "algorithm": _MEGOLM,
        "forwarding_curve25519_key_chain": list(session.forwarding_chain),
        "sender_claimed_keys": {"ed25519": session.ed25519},
        "sender_key": session.sender_key,
        "session_key": session.export_session(session.first_known_index),
    }
    message = encryption.encrypt(json.dumps(plain).encode("utf-8"))
    return {
        "first_message_index": session.first_known_index,
        "forwarded_count": len(session.forwarding_chain),
        "is_verified": False,
        "session_data": {
            "ephemeral": _unpadded(message.ephemeral_key),
            "ciphertext": _unpadded(message.ciphertext),
            "mac": _unpadded(message.mac),
        },
    }


def _open(
    decryption: vodozemac.PkDecryption, room_id: str, session_id: str, data: Any
) -> InboundGroupSession | None:
    """One backed-up session, or None (logged) if it cannot be decrypted or imported."""
    try:
        sealed = data["session_data"]
        message = vodozemac.Message.from_base64(
            sealed["ciphertext"], sealed["mac"], sealed["ephemeral"]
        )
        plain = json.loads(decryption.decrypt(message))
        if plain.get("algorithm", _MEGOLM) != _MEGOLM:
            raise ValueError(f"algorithm {plain.get('algorithm')}")
        session = InboundGroupSession.import_session(
            plain["session_key"],
            plain["sender_claimed_keys"]["ed25519"],
            plain["sender_key"],
            room_id,
            list(plain.get("forwarding_curve25519_key_chain", [])),
        )
    except Exception as exc:  # vodozemac, JSON and shape errors: one bad entry, not all
        log.warning("backed-up session %s in %s unreadable: %s", session_id, room_id, exc)
        return None
    if session.id != session_id:
        log.warning("backed-up session %s in %s is filed under another id", session_id, room_id)
        return None
    return session
