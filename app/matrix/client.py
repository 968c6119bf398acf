"""One logged-in Matrix device: login/restore, one sync step, key housekeeping, sending.

The loop that repeats sync steps, backs off and persists lives in ``app.services``; this
module only speaks Matrix, so that the rules about retrying and storing stay nio-free.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import app.matrix.nio_import  # noqa: F401 - first: nio without unused drivers

# isort: split
from nio import (
    ErrorResponse,
    LocalProtocolError,
    LoginError,
    LoginResponse,
    RoomPreset,
    RoomSendResponse,
    RoomVisibility,
    SyncResponse,
    WhoamiError,
)
from nio.crypto import Olm
from nio.exceptions import GroupEncryptionError

from app.core.errors import (
    ConnectionLost,
    LoginFailed,
    LoginProblem,
    SendFailed,
    SendProblem,
    disk_full,
)
from app.core.records import (
    Credentials,
    EventStatus,
    Invitation,
    OutboxItem,
    RoomEvent,
    RoomSummary,
    read_invitation,
)
from app.core.sync_problems import SyncProblem, ToldOnce
from app.core.to_device import ToDeviceProblem
from app.matrix.calls import NETWORK_ERRORS as _NETWORK_ERRORS
from app.matrix.calls import send_problem as _send_problem
from app.matrix.crypto.identities import Identities
from app.matrix.crypto.keys import recount_one_time_keys
from app.matrix.crypto.olm import GuardedOlm
from app.matrix.early_sync import EarlySync
from app.matrix.history import History
from app.matrix.media import EncryptedMedia
from app.matrix.membership import Membership
from app.matrix.nio_client import NioClient, client_config, probe_homeserver
from app.matrix.room_keys import RoomKeys
from app.matrix.screened_sync import room_traces, screened_answer
from app.matrix.server_calls import ServerCalls
from app.matrix.sync_holes import holes, rooms_left
from app.matrix.verification import ToDevice, Verifications

_BAD_CREDENTIALS = {"M_FORBIDDEN", "M_INVALID_USERNAME", "M_USER_DEACTIVATED"}
_MEGOLM = "m.megolm.v1.aes-sha2"
_ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": _MEGOLM},
}


@dataclass(frozen=True, slots=True)
class SyncBatch:
    """What one sync step brought, decoded into plain records."""

    next_batch: str
    events: list[RoomEvent] = field(default_factory=list)
    rooms: list[RoomSummary] = field(default_factory=list)
    keys_arrived: bool = False  # new room keys came in: undecrypted events may decrypt now
    invites: list[Invitation] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # rooms we left, or whose invite went away
    to_device_problems: list[ToDeviceProblem] = field(default_factory=list)  # skipped, why
    sync_problems: list[SyncProblem] = field(default_factory=list)  # taken out of the answer
    # Rooms whose timeline came cut short (we were away), with the token the events
    # left out are fetched back from: archived with the batch (``Archive.save_sync_batch``).
    gaps: dict[str, str] = field(default_factory=dict)


class MatrixClient(EncryptedMedia, ServerCalls, RoomKeys, History):
    """A device of one account, with its crypto store in ``store_dir``."""

    def __init__(self, nio: NioClient, creds: Credentials) -> None:
        self._nio = nio
        self.creds = creds
        self._told = ToldOnce()  # parts taken out of a batch fetched again: told once
        self.membership = Membership(nio)  # what a send to a room nio does not know awaits
        self.identities = Identities(self, creds.user_id)
        nio.identities = self.identities  # the key sharing policy asks it too
        self.verification = Verifications(ToDevice(nio), nio.to_device_problems)
        self._early_sync = EarlySync()

    @classmethod
    def from_credentials(cls, creds: Credentials, store_dir: Path) -> MatrixClient:
        """A client for a stored login; call ``restore`` before syncing."""
        store_dir.mkdir(parents=True, exist_ok=True)
        nio = NioClient(
            creds.homeserver,
            creds.user_id,
            device_id=creds.device_id,
            store_path=str(store_dir),
            config=client_config(creds.pickle_key),
        )
        return cls(nio, creds)

    @property
    def user_id(self) -> str:
        return self.creds.user_id

    @property
    def signing_key(self) -> str:
        """This device's Ed25519 identity key (unpadded base64), as its device keys publish it."""
        return str(self._nio.olm.account.identity_keys["ed25519"])

    def sign(self, message: bytes) -> str:
        """An Ed25519 signature of ``message`` (UTF-8 text) by this device's identity key."""
        return str(self._nio.olm.account.sign(message.decode("utf-8")))

    async def device_signing_key(self, user_id: str, device_id: str) -> str | None:
        """That device's Ed25519 key as its owner published it (self-signed device keys,
        checked by nio), asking the server once if the device is not known yet; None if
        the user has no such device."""
        key = self._device_key(user_id, device_id)
        if key is None and self._nio.olm is not None:
            self._nio.olm.users_for_key_query.add(user_id)
            with contextlib.suppress(*_NETWORK_ERRORS, LocalProtocolError):
                await self._nio.keys_query()
            key = self._device_key(user_id, device_id)
        return key

    def _device_key(self, user_id: str, device_id: str) -> str | None:
        for device in self._nio.device_store.active_user_devices(user_id):
            if device.id == device_id:
                return str(device.ed25519)
        return None

    @classmethod
    async def login(
        cls, homeserver: str, user: str, password: str, store_dir: Path, device_name: str
    ) -> MatrixClient:
        """Password login that creates a new device with its own crypto-store key."""
        if not user.strip() or not password:
            raise LoginFailed(LoginProblem.BAD_INPUT, "user and password are required")
        await probe_homeserver(homeserver)
        store_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - one tiny local call
        pickle_key = secrets.token_urlsafe(32)
        nio = NioClient(
            homeserver, user.strip(), store_path=str(store_dir), config=client_config(pickle_key)
        )
        try:
            resp = await nio.login(password, device_name=device_name)
        except _NETWORK_ERRORS as exc:
            await nio.close()
            raise LoginFailed(LoginProblem.UNREACHABLE, str(exc)) from exc
        except Exception:  # e.g. the new crypto store could not be written: a full disk
            await nio.close()
            raise
        if not isinstance(resp, LoginResponse):
            await nio.close()
            problem = (
                LoginProblem.BAD_CREDENTIALS
                if isinstance(resp, LoginError) and resp.status_code in _BAD_CREDENTIALS
                else LoginProblem.SERVER_ERROR
            )
            raise LoginFailed(problem, getattr(resp, "message", "") or str(resp))
        return cls(
            nio,
            Credentials(homeserver, resp.user_id, resp.device_id, resp.access_token, pickle_key),
        )

    async def restore(self, sync_soon: bool = False) -> None:
        """Reuse a stored login; raises LoginFailed if the token was revoked.

        ``sync_soon``: nothing is archived yet, so the first sync is asked for at once,
        beside the login check (see ``sync_soon``)."""
        self._nio.restore_login(self.creds.user_id, self.creds.device_id, self.creds.access_token)
        if sync_soon:
            self.sync_soon()
        try:
            resp = await self._nio.whoami()
        except _NETWORK_ERRORS:
            return  # offline start: keep the login, the sync loop will report the connection
        if isinstance(resp, WhoamiError) and resp.status_code == "M_UNKNOWN_TOKEN":
            raise LoginFailed(LoginProblem.TOKEN_REVOKED, resp.message)
        await recount_one_time_keys(self._nio.olm, self._call)

    def sync_soon(self) -> None:
        """Ask for a new device's first sync now; the first ``sync`` call without a token
        takes its answer (``app.matrix.early_sync``). Until then ``housekeeping`` waits
        for the one after that sync: the room list waits for the sync, nobody waits for a
        new device's keys (nor, before its first sync, for anyone else's)."""
        self._early_sync.start(self._nio)

    async def sync(self, since: str | None, timeout_ms: int, full_state: bool = False) -> SyncBatch:
        """One long-poll; decrypted where keys allow. Raises ConnectionLost when offline.

        ``full_state`` on the first sync of a run rebuilds nio's room state (members,
        encryption) from a saved token; without it nio could not encrypt for those rooms.
        """
        # nio skips a response whose token equals the last one it processed. A batch we
        # failed to archive comes again with that token, and an idle full-state sync
        # answers with the token it was given: both must be processed, so forget it.
        early = self._early_sync.take(since, full_state)
        self._nio.next_batch = None
        try:
            resp = await screened_answer(
                self._nio.screen,
                early,
                lambda: self._nio.sync(
                    timeout=timeout_ms, since=since, full_state=full_state or None
                ),
            )
        except _NETWORK_ERRORS as exc:
            raise ConnectionLost(str(exc) or type(exc).__name__) from exc
        if isinstance(resp, ErrorResponse):
            if resp.status_code == "M_UNKNOWN_TOKEN":
                raise LoginFailed(LoginProblem.TOKEN_REVOKED, resp.message)
            raise ConnectionLost(f"{resp.status_code}: {resp.message}")
        inbox, self._nio.verification_inbox = self._nio.verification_inbox, []
        await self.verification.receive_to_device(inbox)  # records what it skips, never raises
        self.keys_changed(resp.device_list.changed)
        batch = self._decode(resp)
        self.membership.synced((r.room_id for r in batch.rooms), batch.left)
        await self.identities.prepare(batch.events)
        return replace(batch, sync_problems=self._told.untold(since, batch.sync_problems))

    def _decode(self, resp: SyncResponse) -> SyncBatch:
        events: list[RoomEvent] = []
        rooms: list[RoomSummary] = []
        for room_id, info in resp.rooms.join.items():
            batch = [self._record(e, room_id) for e in (*info.state, *info.timeline.events)]
            events.extend(batch)
            rooms.append(self.summary(room_id, max((e.origin_ts for e in batch), default=0)))
        for room_id, info in resp.rooms.leave.items():
            events.extend(self._left_room_events(room_id, info))
        olm = self._nio.olm
        keys = isinstance(olm, GuardedOlm) and olm.take_room_keys_came()
        invites = [
            self._invitation(room_id, self._nio.invite_state.get(room_id, []))
            for room_id in resp.rooms.invite
        ]
        problems, self._nio.to_device_problems[:] = list(self._nio.to_device_problems), []
        taken, self._nio.sync_problems[:] = list(self._nio.sync_problems), []
        events.extend(room_traces(taken))
        left, gaps = rooms_left(resp, taken), holes(resp, taken)
        return SyncBatch(resp.next_batch, events, rooms, keys, invites, left, problems, taken, gaps)

    def _left_room_events(self, room_id: str, info: Any) -> list[RoomEvent]:
        """What was said up to our leaving (or being removed) belongs in the record too.

        nio ignores the leave section of a sync, so its encrypted events are decrypted
        here with the keys we already hold.
        """
        batch = [self._record(e, room_id) for e in (*info.state, *info.timeline.events)]
        locked = [e for e in batch if e.status is EventStatus.UNDECRYPTED]
        opened = {e.event_id: e for e in self.redecrypt(locked)}
        return [opened.get(e.event_id, e) for e in batch]

    def _invitation(self, room_id: str, invite_state: list[dict[str, Any]]) -> Invitation:
        """What the stripped invite state tells about the room and why we were invited."""
        room = self._nio.invited_rooms.get(room_id)
        name = room.display_name if room is not None else room_id
        return read_invitation(room_id, name, self.user_id, invite_state)

    def summary(self, room_id: str, last_ts: int = 0) -> RoomSummary:
        room = self._nio.rooms.get(room_id)
        if room is None:
            return RoomSummary(room_id, room_id, last_ts=last_ts)
        return RoomSummary(
            room_id,
            room.display_name,
            encrypted=room.encrypted,
            is_space=room.room_type == "m.space",
            last_ts=last_ts,
        )

    async def housekeeping(self) -> None:
        """Upload, query and claim keys and flush to-device messages, as each sync requires.

        Nothing while an early first sync waits to be taken (``sync_soon``)."""
        nio = self._nio
        if self._early_sync.pending:
            return
        try:
            if nio.should_upload_keys:
                await nio.keys_upload()
            if nio.should_query_keys:
                await nio.keys_query()
            if nio.should_claim_keys:
                await nio.keys_claim(nio.get_users_for_key_claiming())
            await nio.answer_key_requests()  # those waiting for a device or an Olm session
            await nio.send_to_device_messages()
        except _NETWORK_ERRORS as exc:
            raise ConnectionLost(str(exc) or type(exc).__name__) from exc

    async def send(self, item: OutboxItem) -> str:
        """Send with the outbox's transaction id, so a repeat is deduplicated by the server.

        A room nio does not know, or that we left, or one we made encrypted whose
        encryption state is not here yet, waits or fails first (``Membership.verdict``)."""
        if (why := await self.membership.verdict(item.room_id)) is not None:
            raise why
        if waiting := self.identities.held & set(self._nio.rooms[item.room_id].users):
            held = ", ".join(sorted(waiting))
            raise SendFailed(
                SendProblem.TRANSIENT, f"held until the new identity is accepted: {held}"
            )
        try:
            resp = await self._nio.room_send(
                item.room_id,
                item.event_type,
                dict(item.content),
                tx_id=item.txn_id,
                # Trust on first use until device verification lands.
                ignore_unverified_devices=True,
            )
        except _NETWORK_ERRORS as exc:
            raise SendFailed(SendProblem.TRANSIENT, str(exc) or type(exc).__name__) from exc
        # Members not loaded yet (their fetch failed), keys not ready, the session rotated
        # while being shared: all pass. A room nio does not know never gets here.
        except (LocalProtocolError, GroupEncryptionError) as exc:
            raise SendFailed(SendProblem.TRANSIENT, str(exc)) from exc
        except Exception as exc:  # the crypto store could not write: retried when it can
            if disk_full(exc):
                raise SendFailed(SendProblem.TRANSIENT, "the disk is full") from exc
            raise
        if isinstance(resp, RoomSendResponse):
            return resp.event_id
        raise SendFailed(_send_problem(resp), f"{resp.status_code}: {resp.message}")

    async def create_room(
        self,
        name: str,
        invite: Iterable[str] = (),
        encrypted: bool = True,
        *,
        space: bool = False,
        topic: str | None = None,
        initial_state: Iterable[Mapping[str, Any]] = (),
        power_levels: Mapping[str, Any] | None = None,
    ) -> str:
        """An invite-only room (or space), end-to-end encrypted unless the caller says not."""
        state = [dict(s) for s in initial_state]
        if encrypted and not space:
            state.insert(0, _ENCRYPTION_STATE)
        resp = await self._checked(
            self._nio.room_create(
                visibility=RoomVisibility.private,
                name=name,
                topic=topic,
                invite=list(invite),
                preset=RoomPreset.private_chat,
                initial_state=state,
                power_level_override=dict(power_levels) if power_levels is not None else None,
                space=space,
            )
        )
        self.membership.made(resp.room_id, encrypted=encrypted and not space)
        return resp.room_id

    @property
    def olm(self) -> Olm:
        """nio's Olm machine of this device (its Megolm sessions, its signing key)."""
        olm = self._nio.olm
        if olm is None:
            raise LocalProtocolError("the device's crypto store is not loaded")
        return olm

    async def logout(self) -> None:
        """Sign this device out on the server (its token stops working everywhere)."""
        await self._checked(self._nio.logout())

    async def close(self) -> None:
        await self._early_sync.drop()
        self._nio.closed = True
        await self._nio.close()
