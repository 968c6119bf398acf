"""Room keys count as shared with a device only once the server accepted them for it.

nio 0.26 marks an outbound Megolm session as shared after one round of to-device sends,
whatever their answers: a send lost to a dying server leaves that device without the key
for every message of the session. Here a session is marked shared only when every device
that should have it either got it (the server answered 200 for its to-device message) or
was told it cannot (``m.room_key.withheld`` with ``m.no_olm``: the device has no one-time
key to start an Olm session with, even when asked twice, a short back-off apart, since a
claim comes back empty also when a busy server or a peer about to publish new keys is
only late; a device that failed both lately is told at once, without the back-off);
otherwise ``KeysNotDelivered`` is raised, the message is
not sent, and the outbox retries later with the same session and only the missing devices.

Rotation follows the room's ``m.room.encryption`` (``rotation_period_ms``/``_msgs``) and
the spec: a session that reached anyone is replaced when a member or a device changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from nio import (
    AsyncClient,
    KeysClaimResponse,
    KeysQueryResponse,
    LocalProtocolError,
    RoomEncryptionEvent,
    ShareGroupSessionResponse,
    SyncResponse,
    ToDeviceMessage,
    ToDeviceResponse,
)
from nio.api import Api

from app.core.errors import SendFailed
from app.matrix.crypto.device_rows import with_device_rows
from app.matrix.crypto.identities import Identities
from app.matrix.crypto.share_log import ShareLog

log = logging.getLogger(__name__)
_MEGOLM = "m.megolm.v1.aes-sha2"
_WEEK_MS = 7 * 24 * 3600 * 1000
_DEFAULT_MSGS = 100
RECLAIM_BACKOFF_S = 2.0  # long enough for a peer's next sync to publish new one-time keys
# A device whose second claim came back empty too is not waited for again this long:
# the outbox sends one room after another, so one dead device must not delay them all.
RECLAIM_FORGET_S = 600.0
_WITHHELD_REASONS = {
    "m.no_olm": "Unable to establish a secure channel.",
    "m.unverified": "The sender has disabled encrypting to unverified devices.",
}


class KeysNotDelivered(LocalProtocolError):
    """Some device has not got the room key yet: send nothing now, try again later.

    A LocalProtocolError so that callers already treating nio's 'not ready yet' as
    transient need no new branch."""


@dataclass(frozen=True, slots=True)
class Undeliverable:
    """A device that cannot receive a room key (it published no one-time key)."""

    room_id: str
    user_id: str
    device_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Rotation:
    """When a room's outbound session must be replaced (spec defaults: a week, 100 msgs)."""

    period_ms: int = _WEEK_MS
    period_msgs: int = _DEFAULT_MSGS

    @classmethod
    def of(cls, content: Any) -> Rotation:
        """Read ``m.room.encryption`` content; absent or nonsensical values keep defaults."""
        if not isinstance(content, dict):
            return cls()
        ms, msgs = content.get("rotation_period_ms"), content.get("rotation_period_msgs")
        return cls(
            ms if isinstance(ms, int) and not isinstance(ms, bool) and ms > 0 else _WEEK_MS,
            msgs
            if isinstance(msgs, int) and not isinstance(msgs, bool) and msgs > 0
            else _DEFAULT_MSGS,
        )


class ReliableKeySharing(AsyncClient):
    """An AsyncClient whose key sharing only counts what the server accepted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rotation: dict[str, Rotation] = {}
        self.share_log = ShareLog(Path(self.store_path) / "room_key_shares.json")
        self.undeliverable: list[Undeliverable] = []  # for the account to report, then clear
        self._told_no_olm: set[tuple[str, str]] = set()
        self._told_unverified: set[tuple[str, str, str]] = set()  # session, user, device
        self._reclaim_failed: dict[tuple[str, str], float] = {}  # device -> monotonic time
        self.identities: Identities | None = None  # judged devices; set by MatrixClient
        # What the second claim waits for: the back-off (a test waits for a real event)
        self.reclaim_wait: Callable[[], Awaitable[None]] = lambda: asyncio.sleep(RECLAIM_BACKOFF_S)

    async def receive_response(self, response: Any) -> None:
        if isinstance(response, SyncResponse):
            for room_id, info in response.rooms.join.items():
                for event in (*info.state, *info.timeline.events):
                    if isinstance(event, RoomEncryptionEvent):
                        self.rotation[room_id] = Rotation.of(event.source.get("content"))
        await super().receive_response(response)

    def invalidate_outbound_session(self, room_id: str) -> None:
        """Drop the room's session if any device may hold its key (nio keeps a session
        that is not fully shared, which would let a removed device read what follows)."""
        assert self.olm
        session = self.olm.outbound_group_sessions.get(room_id)
        if session is not None and (session.shared or session.users_shared_with):
            log.info("rotating the room key of %s (members or devices changed)", room_id)
            del self.olm.outbound_group_sessions[room_id]

    async def share_group_session(
        self, room_id: str, ignore_unverified_devices: bool = False
    ) -> ShareGroupSessionResponse:
        """Share the room's session with every device still missing it; raise
        KeysNotDelivered unless all of them got it or were told they cannot."""
        assert self.olm
        room = self.rooms.get(room_id)
        if room is None or not room.encrypted:
            raise LocalProtocolError(f"{room_id} is not a known encrypted room")
        if room_id in self.sharing_session:
            raise KeysNotDelivered(f"a room key for {room_id} is being shared already")
        self.sharing_session[room_id] = asyncio.Event()
        try:
            return await self._share(room_id, list(room.users), ignore_unverified_devices)
        finally:  # always cleared: a failure here must not stall the room for the run
            self.sharing_session.pop(room_id).set()

    async def _share(
        self, room_id: str, users: list[str], ignore_unverified: bool
    ) -> ShareGroupSessionResponse:
        assert self.olm
        # A stale device list would leave new devices out.
        if self.should_query_keys and not isinstance(await self.keys_query(), KeysQueryResponse):
            raise KeysNotDelivered("the device list could not be fetched")
        if self.identities is not None and room_id in self.identities.policy_rooms:
            await self._exclude_unverified(room_id, users)
        claimed = await self._claim(self._unsettled(room_id, self.get_missing_sessions(room_id)))
        chunks = self._key_messages(room_id, users, ignore_unverified)
        session = self.olm.outbound_group_sessions[room_id]
        rotation = self.rotation.get(room_id, Rotation())
        session.max_messages = rotation.period_msgs
        session.max_age = timedelta(milliseconds=rotation.period_ms)
        wanted = sum(len(with_) for with_, _ in chunks)
        log.info("sharing room key %s of %s with %d devices", session.id, room_id, wanted)
        answers = await asyncio.gather(
            *(self._send_chunk(room_id, with_, body) for with_, body in chunks),
            return_exceptions=True,
        )
        accepted: set[tuple[str, str]] = set()
        for answer in answers:
            if isinstance(answer, ShareGroupSessionResponse):
                accepted |= answer.users_shared_with
        session.users_shared_with |= accepted
        self.share_log.record(room_id, session.id, accepted, session.message_index)
        without_olm = self._devices_without_olm(room_id, users, session) if claimed else None
        if without_olm:
            await self._withhold_no_olm(room_id, session.id, without_olm)
            session.users_ignored |= without_olm
        left = self._still_missing(session, users)
        if left:
            log.info("room key %s of %s not yet with %d devices", session.id, room_id, len(left))
            raise KeysNotDelivered(f"the room key has not reached {len(left)} device(s) yet")
        session.shared = True
        return ShareGroupSessionResponse(room_id, accepted)

    def _key_messages(
        self, room_id: str, users: list[str], ignore_unverified: bool
    ) -> list[tuple[set[tuple[str, str]], dict[str, Any]]]:
        """nio's room-key messages for the devices still missing the key (devices nio
        marks as ignored need their rows in its store: ``with_device_rows``)."""
        olm = self.olm
        assert olm
        share = olm.share_group_session_parallel
        return with_device_rows(olm, users, lambda: list(share(room_id, users, ignore_unverified)))

    async def _claim(self, missing: dict[str, list[str]]) -> bool:
        """Claim one-time keys for the devices without an Olm session; those whose claim
        came back empty are claimed once more after the back-off, so that a device is told
        ``m.no_olm`` only when it really has no key. A device whose second claim failed
        within ``RECLAIM_FORGET_S`` is not waited for again (the back-off is paid once per
        dead device, not on every rotation of every room it is in). False if the server
        could not be asked (then nothing may be withheld: the outbox tries again)."""
        if not missing:
            return True
        if not isinstance(await self.keys_claim(missing), KeysClaimResponse):
            return False
        empty = self._not_lately_failed(self._without_session(missing))
        if not empty:
            return True
        log.info("no one-time key for %d device(s); claiming again shortly", len(empty))
        await self.reclaim_wait()
        if not isinstance(await self.keys_claim(empty), KeysClaimResponse):
            return False
        now = time.monotonic()
        for user_id, device_ids in self._without_session(empty).items():
            self._reclaim_failed.update(((user_id, d), now) for d in device_ids)
        return True

    def _not_lately_failed(self, devices: dict[str, list[str]]) -> dict[str, list[str]]:
        """Those of ``devices`` whose second claim did not fail lately."""
        since = time.monotonic() - RECLAIM_FORGET_S
        failed = {k: t for k, t in self._reclaim_failed.items() if t > since}
        self._reclaim_failed = failed
        left = {u: [d for d in ids if (u, d) not in failed] for u, ids in devices.items()}
        return {u: ids for u, ids in left.items() if ids}

    def _unsettled(self, room_id: str, devices: dict[str, list[str]]) -> dict[str, list[str]]:
        """Those of ``devices`` the room's current session has not settled: a device
        excluded by the session policy, or already told it gets no key, needs no claim."""
        assert self.olm
        session = self.olm.outbound_group_sessions.get(room_id)
        current = session is not None and not session.shared  # a shared one is replaced
        settled = session.users_ignored if current else set()
        left = {u: [d for d in ids if (u, d) not in settled] for u, ids in devices.items()}
        return {u: ids for u, ids in left.items() if ids}

    def _without_session(self, devices: dict[str, list[str]]) -> dict[str, list[str]]:
        """Those of ``devices`` (user id -> device ids) still without an Olm session."""
        assert self.olm
        store = self.olm.device_store
        left: dict[str, list[str]] = {}
        for user_id, device_ids in devices.items():
            for device_id in device_ids:
                device = store[user_id].get(device_id)
                if device is not None and not self.olm.session_store.get(device.curve25519):
                    left.setdefault(user_id, []).append(device_id)
        return left

    async def _exclude_unverified(self, room_id: str, users: list[str]) -> None:
        """The session policy (MSC4153): devices their owner has not cross-signed get no
        key for this session; each is told once (``m.room_key.withheld``, ``m.unverified``)
        and the sender hears who cannot read. Without fresh device lists nothing is sent."""
        assert self.olm and self.identities
        try:
            await self.identities.fetch(users, strict=True)
        except SendFailed as exc:
            raise KeysNotDelivered(f"the devices' signatures could not be fetched: {exc}") from exc
        session = self.olm.outbound_group_sessions.get(room_id)
        if session is None or session.shared:
            self.olm.create_outbound_group_session(room_id)
            session = self.olm.outbound_group_sessions[room_id]
        settled = session.users_shared_with | session.users_ignored
        excluded = {
            (d.user_id, d.id)
            for d in self._devices(users)
            if not self.identities.cross_signed(d.user_id, d.id)
        } - settled
        session.users_ignored |= excluded
        for user_id, device_id in excluded:
            self.undeliverable.append(
                Undeliverable(room_id, user_id, device_id, "unverified device: not cross-signed")
            )
        untold = {(u, d) for u, d in excluded if (session.id, u, d) not in self._told_unverified}
        told = await self._send_withheld(room_id, session.id, untold, "m.unverified")
        self._told_unverified |= {(session.id, u, d) for u, d in told}

    async def _send_chunk(
        self, room_id: str, sharing_with: set[tuple[str, str]], body: dict[str, Any]
    ) -> Any:
        method, path, data = Api.to_device(self.access_token, "m.room.encrypted", body, uuid4())
        return await self._send(
            ShareGroupSessionResponse, method, path, data, response_data=(room_id, sharing_with)
        )

    def _devices(self, users: list[str]) -> list[Any]:
        """Devices that should get the room key: not ours, not blacklisted."""
        assert self.olm
        return [
            device
            for user_id in users
            for device in self.olm.device_store.active_user_devices(user_id)
            if device.id != self.device_id and not self.olm.is_device_blacklisted(device)
        ]

    def _devices_without_olm(
        self, room_id: str, users: list[str], session: Any
    ) -> set[tuple[str, str]]:
        """After a successful claim, devices still without an Olm session: they published
        no one-time key, so no key can reach them now (each is reported once a session)."""
        assert self.olm
        found = set()
        for device in self._devices(users):
            if (device.user_id, device.id) in session.users_ignored:
                continue
            if self.olm.session_store.get(device.curve25519):
                continue
            found.add((device.user_id, device.id))
            self.undeliverable.append(
                Undeliverable(room_id, device.user_id, device.id, "no one-time key published")
            )
        return found

    async def _withhold_no_olm(
        self, room_id: str, session_id: str, devices: set[tuple[str, str]]
    ) -> None:
        """Tell each such device once why it will not get keys (spec: m.no_olm)."""
        told = await self._send_withheld(
            room_id, session_id, devices - self._told_no_olm, "m.no_olm"
        )
        self._told_no_olm |= told

    async def _send_withheld(
        self, room_id: str, session_id: str, devices: set[tuple[str, str]], code: str
    ) -> set[tuple[str, str]]:
        """Send ``m.room_key.withheld`` with ``code``; returns the devices the server
        took it for (the others are told with a later session)."""
        assert self.olm
        told = set()
        for user_id, device_id in devices:
            content = {
                "algorithm": _MEGOLM,
                "room_id": room_id,
                "session_id": session_id,
                "sender_key": self.olm.account.identity_keys["curve25519"],
                "code": code,
                "reason": _WITHHELD_REASONS[code],
            }
            reply = await self.to_device(
                ToDeviceMessage("m.room_key.withheld", user_id, device_id, content)
            )
            if isinstance(reply, ToDeviceResponse):
                told.add((user_id, device_id))
        return told

    def _still_missing(self, session: Any, users: list[str]) -> set[tuple[str, str]]:
        done = session.users_shared_with | session.users_ignored
        return {(d.user_id, d.id) for d in self._devices(users)} - done
