"""Other people's (and our own) identities as the server relays them, judged by their
signatures and kept until the server says a user's keys changed.

``/keys/query`` is asked for the users whose events or room keys are at stake; each
answer is checked by ``app.core.trust`` (the server's word counts for nothing) and kept
per user until a sync names the user in ``device_lists.changed``. What does not check
out is collected in ``problems`` for the account to record and show.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from app.core.errors import SendFailed
from app.core.records import RoomEvent
from app.core.trust import DeviceTrust, UserTrust, judge_user
from app.matrix.crypto.cross_signing import Api, query_keys

log = logging.getLogger(__name__)


class Identities:
    """Judged identities of the users we share rooms with, refreshed when they change."""

    def __init__(self, api: Api, user_id: str) -> None:
        self._api = api
        self.user_id = user_id
        self._known: dict[str, UserTrust] = {}
        self._stale: set[str] = set()
        self.problems: list[str] = []  # for the account to record, then clear
        self.policy_rooms: frozenset[str] = frozenset()  # only cross-signed devices count
        self.held: frozenset[str] = frozenset()  # a new identity not acknowledged: no sending

    def invalidate(self, users: Iterable[str]) -> None:
        """The server said these users' keys changed: ask again when next needed."""
        self._stale.update(users)

    def get(self, user_id: str) -> UserTrust | None:
        return self._known.get(user_id)

    async def fetch(self, users: Iterable[str], strict: bool = False) -> dict[str, UserTrust]:
        """The judged identities of ``users``, asking the server for those not known or
        changed (and for our own, whose user-signing key decides whom we verified).
        Offline, what is known is returned (a user never fetched is simply absent), or
        SendFailed is raised when ``strict``."""
        users = set(users)
        wanted = {u for u in users if u not in self._known or u in self._stale}
        if self.user_id not in self._known or self.user_id in self._stale:
            wanted.add(self.user_id)
        if wanted:
            try:
                await self._ask(wanted)
            except SendFailed as exc:
                if strict:
                    raise
                log.info("identities of %d users not fetched: %s", len(wanted), exc.detail)
        return {u: self._known[u] for u in users if u in self._known}

    async def _ask(self, wanted: set[str]) -> None:
        reply = await query_keys(self._api, sorted(wanted | {self.user_id}))
        ours = judge_user(self.user_id, reply, our_user_id=self.user_id)
        for user_id in wanted | {self.user_id}:
            judged = judge_user(user_id, reply, ours.user_signing, self.user_id)
            self.problems.extend(p for p in judged.problems if p not in self.problems)
            self._known[user_id] = judged
        self._stale -= wanted | {self.user_id}

    async def prepare(self, events: Iterable[RoomEvent]) -> None:
        """Know the senders of encrypted events before they are judged (their device
        decides whether an instruction or an ack counts)."""
        senders = {e.sender for e in events if e.source.get("type") == "m.room.encrypted"}
        if senders:
            await self.fetch(senders)

    def device_by_curve(self, user_id: str, curve25519: str) -> DeviceTrust | None:
        """The known device of ``user_id`` whose Olm identity key this is."""
        known = self._known.get(user_id)
        return known.device_by_curve(curve25519) if known else None

    def cross_signed(self, user_id: str, device_id: str) -> bool:
        """Whether the device is known and cross-signed by its owner (unknown: no)."""
        known = self._known.get(user_id)
        device = known.devices.get(device_id) if known else None
        return device is not None and device.cross_signed
