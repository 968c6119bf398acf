"""Emoji verification (a Feature): the commands the dialog sends, in-room verification
events handed to the Matrix layer after they are archived, and the one place where a
verification's success becomes trust.

Room messages of a verification go through the outbox like any message (persisted first,
one transaction id each); to-device ones are sent by the Matrix layer directly, since a
verification lives only as long as this run's ephemeral keys do.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.core.errors import SendFailed
from app.core.records import RoomEvent
from app.core.verification import VerificationView
from app.matrix.verification import PREFIX, REQUEST_MSGTYPE, VerificationRefused
from app.services.notices import Problem
from app.services.trust.cross_signing import CrossSigning, TrustError
from app.services.verification.notices import DeviceVerified, VerificationChanged

if TYPE_CHECKING:
    from app.services.account import AccountService

log = logging.getLogger(__name__)
__all__ = ["Verification", "VerificationRefused"]


class Verification:
    """Verify people and our own devices with emoji (``m.sas.v1``)."""

    def __init__(self, account: AccountService) -> None:
        self._account = account
        self._hub = account.client.verification

    async def start(self) -> None:
        self._hub.listen(self._changed, self.verified, self._send_room)

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        for event in fresh:
            if event.type.startswith(PREFIX) or (
                event.type == "m.room.message" and event.content.get("msgtype") == REQUEST_MSGTYPE
            ):
                await self._hub.receive_room(event)

    # -- commands ----------------------------------------------------------------------

    async def request(self, user_id: str) -> str:
        """Ask to verify a person (our own other devices if it is us); returns the key."""
        return await self._hub.request(user_id)

    async def accept(self, key: str) -> None:
        await self._hub.accept(key)

    async def confirm(self, key: str) -> None:
        """Our user says the emoji match."""
        await self._hub.confirm(key)

    async def mismatch(self, key: str) -> None:
        """Our user says they do not: cancelled on both sides, nothing trusted."""
        await self._hub.mismatch(key)

    async def cancel(self, key: str) -> None:
        await self._hub.cancel(key)

    def view(self, key: str) -> VerificationView:
        return self._hub.view(key)

    # -- results -----------------------------------------------------------------------

    async def verified(self, user_id: str, device_id: str, master_key: str | None) -> None:
        """The one place a verification becomes trust. The device is already marked
        verified in the Olm store; cross-signing signs here: our own device with the
        self-signing key, another person's master key (checked against the one the
        server publishes for them) with the user-signing key. Our own master key, once
        there is one, goes to ``client.verification.master_key`` so our MACs cover it."""
        log.info("verified %s %s (master key %s)", user_id, device_id, master_key or "none")
        trust = self._account.feature(CrossSigning)
        try:
            if user_id == self._account.user_id:
                await trust.sign_own_device(device_id)
            elif master_key:
                await trust.sign_user(user_id, master_key)
        except (TrustError, SendFailed) as exc:  # verified here, but no signature for others
            log.warning("verified %s %s, not cross-signed: %s", user_id, device_id, exc)
            self._account.notify(Problem("trust_failed", str(exc)))
        self._account.notify(DeviceVerified(user_id, device_id))

    def _changed(self, view: VerificationView) -> None:
        self._account.notify(VerificationChanged(view))

    async def _send_room(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        item = await self._account.send(room_id, event_type, content)
        return item.txn_id
