"""What verification needs of nio: this device, other devices' keys, the trust mark,
a room shared with someone, and to-device sending with a stable transaction id.

Room messages do not go through here: they go through the account's outbox like every
other room message (the hub is handed the sender).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from nio import AsyncClient, ToDeviceError
from nio.event_builders import ToDeviceMessage

from app.matrix.calls import NETWORK_ERRORS
from app.matrix.crypto.device_rows import with_device_rows
from app.matrix.verification.flow import Own

log = logging.getLogger(__name__)
_ATTEMPTS = 3  # a to-device send is repeated under the same transaction id, then given up


class ToDevice:
    """nio's view of devices, and direct sending, for the verification hub."""

    def __init__(self, nio: AsyncClient) -> None:
        self._nio = nio

    def own(self) -> Own:
        olm = self._nio.olm
        assert olm is not None
        return Own(self._nio.user_id, self._nio.device_id, olm.account.identity_keys["ed25519"])

    async def devices(self, user_id: str) -> list[str]:
        """The user's devices, asked of the server now (a device just signed in is what
        one most often wants to verify, and the sync may not have told us of it yet)."""
        olm = self._nio.olm
        assert olm is not None
        await self._query(user_id)
        return [d.id for d in olm.device_store.active_user_devices(user_id)]

    async def _query(self, user_id: str) -> None:
        olm = self._nio.olm
        assert olm is not None
        olm.users_for_key_query.add(user_id)
        try:
            await self._nio.keys_query()
        except NETWORK_ERRORS as exc:
            log.info("device query for %s failed: %s", user_id, exc)

    def device_key(self, user_id: str, device_id: str) -> str | None:
        """The device's Ed25519 key from nio's device store (as /keys/query gave it)."""
        olm = self._nio.olm
        device = olm.device_store[user_id].get(device_id) if olm is not None else None
        return str(device.ed25519) if device is not None and not device.deleted else None

    async def ensure_device(self, user_id: str, device_id: str) -> None:
        """Ask the server for the user's devices if this one is not known yet."""
        if self.device_key(user_id, device_id) is None:
            await self._query(user_id)

    def mark_verified(self, user_id: str, device_id: str) -> None:
        olm = self._nio.olm
        device = olm.device_store[user_id].get(device_id) if olm is not None else None
        if olm is not None and device is not None:
            with_device_rows(olm, [user_id], lambda: olm.verify_device(device))

    def is_verified(self, user_id: str, device_id: str) -> bool:
        olm = self._nio.olm
        device = olm.device_store[user_id].get(device_id) if olm is not None else None
        return bool(olm is not None and device is not None and olm.is_device_verified(device))

    def shared_room(self, user_id: str) -> str | None:
        """The smallest encrypted room both of us are joined to (a direct chat if any)."""
        rooms = [
            room
            for room in self._nio.rooms.values()
            if room.encrypted and user_id in room.users and self._nio.user_id in room.users
        ]
        return min(rooms, key=lambda r: (r.member_count, r.room_id)).room_id if rooms else None

    async def send(self, user_id: str, device_id: str, kind: str, content: dict[str, Any]) -> None:
        await self.send_many(user_id, [device_id], kind, content)

    async def send_many(
        self, user_id: str, devices: Iterable[str], kind: str, content: dict[str, Any]
    ) -> None:
        """One message to each device; the transaction id is derived from what is sent,
        so a repeat after a lost answer is the same request to the server."""
        for device in devices:
            digest = hashlib.sha256(f"{user_id}|{device}|{kind}|{sorted(content.items())}".encode())
            tx_id = "oorv" + digest.hexdigest()[:28]
            message = ToDeviceMessage(kind, user_id, device, content)
            for _ in range(_ATTEMPTS):
                try:
                    resp = await self._nio.to_device(message, tx_id)
                except NETWORK_ERRORS as exc:
                    log.info("sending %s to %s failed: %s", kind, device, exc)
                    continue
                if isinstance(resp, ToDeviceError):
                    log.warning("the server refused %s to %s: %s", kind, device, resp.message)
                break
