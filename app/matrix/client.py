"""One logged-in Matrix device: login/restore, one sync step, key housekeeping, sending.

The loop that repeats sync steps, backs off and persists lives in ``app.services``; this
module only speaks Matrix, so that the rules about retrying and storing stay nio-free.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from nio import (
    AsyncClientConfig,
    ErrorResponse,
    Event,
    ForwardedRoomKeyEvent,
    LocalProtocolError,
    LoginError,
    LoginResponse,
    MegolmEvent,
    MessageDirection,
    RoomContextResponse,
    RoomKeyEvent,
    RoomMessagesResponse,
    RoomPreset,
    RoomSendResponse,
    RoomVisibility,
    SyncResponse,
    WhoamiError,
)
from nio.crypto import Olm
from nio.exceptions import GroupEncryptionError
from nio.store import SqliteStore

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
)
from app.core.to_device import ToDeviceProblem
from app.matrix.calls import NETWORK_ERRORS as _NETWORK_ERRORS
from app.matrix.calls import checked
from app.matrix.calls import send_problem as _send_problem
from app.matrix.crypto.key_requests import KeyGossip, Withheld
from app.matrix.crypto.keys import recount_one_time_keys
from app.matrix.crypto.olm import GuardedOlm
from app.matrix.crypto.outbound import Undeliverable
from app.matrix.crypto.screen import ToDeviceScreen
from app.matrix.decode import to_record
from app.matrix.media import EncryptedMedia

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


class _Client(KeyGossip):
    """nio's client (room keys count as shared only once delivered, key requests asked
    and answered by our rules), keeping the ciphertext of every Megolm event it decrypts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ciphertexts: dict[str, dict[str, Any]] = {}
        self.invite_state: dict[str, list[dict[str, Any]]] = {}
        self.closed = False
        self.to_device_problems: list[ToDeviceProblem] = []  # filled by screen and GuardedOlm
        self.screen = ToDeviceScreen(self.to_device_problems)

    def load_store(self) -> None:
        super().load_store()
        if self.olm is not None:
            GuardedOlm.guard(self.olm, self.to_device_problems)

    async def parse_body(self, transport_response: Any) -> dict[Any, Any]:
        """Sync bodies lose their unusable to-device events before nio parses them."""
        body = await super().parse_body(transport_response)
        url = transport_response.url
        if url.path.endswith("/sync") and isinstance(body, dict):
            self.screen(body, url.query.get("since", ""))
        return body

    async def send(self, *args: Any, **kwargs: Any) -> Any:
        """Every HTTP call of nio passes here. After close, nio would quietly open a new
        connection pool that nobody closes; a late call (a command still running during
        shutdown) fails at once as a network error (not one nio would retry)."""
        if self.closed:
            raise aiohttp.ClientError("the Matrix client is closed")
        return await super().send(*args, **kwargs)

    async def receive_response(self, response: Any) -> None:
        if isinstance(response, SyncResponse):  # before nio decrypts the timeline in place
            self.screen.parsed()
            for info in response.rooms.join.values():
                for event in info.timeline.events:
                    if isinstance(event, MegolmEvent):
                        self.ciphertexts[event.event_id] = event.source
            self.invite_state = await _raw_invite_state(response)
            if self.olm is not None and response.device_key_count.signed_curve25519 == 0:
                self.olm.uploaded_key_count = 0  # nio ignores a 0: no top-up would follow
        elif isinstance(response, RoomMessagesResponse):  # history pages are decrypted too
            for event in response.chunk:
                if isinstance(event, MegolmEvent):
                    self.ciphertexts[event.event_id] = event.source
        await super().receive_response(response)


async def _raw_invite_state(response: SyncResponse) -> dict[str, list[dict[str, Any]]]:
    """Stripped state of invited rooms as sent: nio keeps only member, name and alias events,
    and we need m.room.create to tell a session's space from a plain room."""
    if not response.rooms.invite or response.transport_response is None:
        return {}
    try:
        raw = await response.transport_response.json(content_type=None)
    except (aiohttp.ClientError, ValueError):
        return {}
    invites = raw.get("rooms", {}).get("invite", {}) if isinstance(raw, dict) else {}
    return {
        room_id: [e for e in info.get("invite_state", {}).get("events", []) if isinstance(e, dict)]
        for room_id, info in invites.items()
        if isinstance(info, dict)
    }


async def probe_homeserver(url: str) -> None:
    """Tell apart 'nothing answers' from 'something answers that is not Matrix'."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
            http.get(f"{url.rstrip('/')}/_matrix/client/versions") as resp,
        ):
            body = await resp.json(content_type=None) if resp.status == 200 else None
    except (aiohttp.InvalidURL, ValueError) as exc:
        raise LoginFailed(LoginProblem.BAD_INPUT, str(exc)) from exc
    except _NETWORK_ERRORS as exc:
        raise LoginFailed(LoginProblem.UNREACHABLE, str(exc) or type(exc).__name__) from exc
    if not isinstance(body, dict) or not isinstance(body.get("versions"), list):
        raise LoginFailed(LoginProblem.NOT_MATRIX, url)


def _config(pickle_key: str) -> AsyncClientConfig:
    # max_timeouts=0: a dead server surfaces at once, so our loop can show it and back off.
    return AsyncClientConfig(
        store=SqliteStore,
        encryption_enabled=True,
        pickle_key=pickle_key,
        store_sync_tokens=False,  # the archive keeps the token, in the same transaction as events
        max_timeouts=0,
        request_timeout=45,
    )


class MatrixClient(EncryptedMedia):
    """A device of one account, with its crypto store in ``store_dir``."""

    def __init__(self, nio: _Client, creds: Credentials) -> None:
        self._nio = nio
        self.creds = creds
        self.gaps: dict[str, str] = {}  # room id -> prev_batch of a cut-short timeline
        self._created_encrypted: set[str] = set()  # rooms we made encrypted this run

    @classmethod
    def from_credentials(cls, creds: Credentials, store_dir: Path) -> MatrixClient:
        """A client for a stored login; call ``restore`` before syncing."""
        store_dir.mkdir(parents=True, exist_ok=True)
        nio = _Client(
            creds.homeserver,
            creds.user_id,
            device_id=creds.device_id,
            store_path=str(store_dir),
            config=_config(creds.pickle_key),
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
        nio = _Client(
            homeserver, user.strip(), store_path=str(store_dir), config=_config(pickle_key)
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

    async def restore(self) -> None:
        """Reuse a stored login; raises LoginFailed if the token was revoked."""
        self._nio.restore_login(self.creds.user_id, self.creds.device_id, self.creds.access_token)
        try:
            resp = await self._nio.whoami()
        except _NETWORK_ERRORS:
            return  # offline start: keep the login, the sync loop will report the connection
        if isinstance(resp, WhoamiError) and resp.status_code == "M_UNKNOWN_TOKEN":
            raise LoginFailed(LoginProblem.TOKEN_REVOKED, resp.message)
        await recount_one_time_keys(self._nio.olm, self._call)

    async def sync(self, since: str | None, timeout_ms: int, full_state: bool = False) -> SyncBatch:
        """One long-poll; decrypted where keys allow. Raises ConnectionLost when offline.

        ``full_state`` on the first sync of a run rebuilds nio's room state (members,
        encryption) from a saved token; without it nio could not encrypt for those rooms.
        """
        # nio skips a response whose token equals the last one it processed. A batch we
        # failed to archive comes again with that token, and an idle full-state sync
        # answers with the token it was given: both must be processed, so forget it.
        self._nio.next_batch = None
        try:
            resp = await self._nio.sync(
                timeout=timeout_ms, since=since, full_state=full_state or None
            )
        except _NETWORK_ERRORS as exc:
            raise ConnectionLost(str(exc) or type(exc).__name__) from exc
        except Exception:  # nio choked on this batch: the screen prepares the retry
            self._nio.screen.failed()
            raise
        if isinstance(resp, ErrorResponse):
            if resp.status_code == "M_UNKNOWN_TOKEN":
                raise LoginFailed(LoginProblem.TOKEN_REVOKED, resp.message)
            raise ConnectionLost(f"{resp.status_code}: {resp.message}")
        return self._decode(resp)

    def _decode(self, resp: SyncResponse) -> SyncBatch:
        events: list[RoomEvent] = []
        rooms: list[RoomSummary] = []
        for room_id, info in resp.rooms.join.items():
            if info.timeline.limited and info.timeline.prev_batch:
                self.gaps[room_id] = info.timeline.prev_batch
            batch = [self._record(e, room_id) for e in (*info.state, *info.timeline.events)]
            events.extend(batch)
            rooms.append(self.summary(room_id, max((e.origin_ts for e in batch), default=0)))
        for room_id, info in resp.rooms.leave.items():
            events.extend(self._left_room_events(room_id, info))
        keys = any(
            isinstance(e, RoomKeyEvent | ForwardedRoomKeyEvent) for e in resp.to_device_events
        )
        invites = [
            self._invitation(room_id, self._nio.invite_state.get(room_id, []))
            for room_id in resp.rooms.invite
        ]
        problems, self._nio.to_device_problems[:] = list(self._nio.to_device_problems), []
        left = list(resp.rooms.leave)
        return SyncBatch(resp.next_batch, events, rooms, keys, invites, left, problems)

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
        inviter, reason, is_space = "", "", False
        for source in invite_state:
            content = source.get("content") if isinstance(source.get("content"), dict) else {}
            if source.get("type") == "m.room.member" and source.get("state_key") == self.user_id:
                inviter = str(source.get("sender", ""))
                reason = str(content.get("reason", ""))[:500]
            elif source.get("type") == "m.room.create":
                is_space = content.get("type") == "m.space"
        return Invitation(room_id, name, inviter, reason, is_space)

    def _record(self, event: Event, room_id: str) -> RoomEvent:
        source = self._nio.ciphertexts.pop(getattr(event, "event_id", ""), None)
        return to_record(event, room_id, source or event.source)

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
        """Upload, query and claim keys and flush to-device messages, as each sync requires."""
        nio = self._nio
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

    def redecrypt(self, stored: Iterable[RoomEvent]) -> list[RoomEvent]:
        """Try again to decrypt archived events whose room key had not arrived."""
        done: list[RoomEvent] = []
        for old in stored:
            megolm = MegolmEvent.from_dict(dict(old.source))
            if not isinstance(megolm, MegolmEvent):
                continue
            megolm.room_id = old.room_id
            try:
                plain = self._nio.decrypt_event(megolm)
            except Exception:  # nio raises several types for 'still no key'
                continue
            if plain is not None and not isinstance(plain, MegolmEvent):
                done.append(to_record(plain, old.room_id, old.source))
        return done

    async def ask_for_keys(self, locked: Iterable[RoomEvent]) -> dict[str, str]:
        """Ask for the keys of every archived event still undecrypted (due requests only,
        with back-off) and cancel requests whose key came; event id -> whom we asked."""
        megolms = []
        for old in locked:
            megolm = MegolmEvent.from_dict(dict(old.source))
            if isinstance(megolm, MegolmEvent):
                megolm.room_id = old.room_id
                megolms.append(megolm)
        asked = self._nio.ask_for_keys(megolms)
        with contextlib.suppress(*_NETWORK_ERRORS):  # what is not sent goes with housekeeping
            await self._nio.send_to_device_messages()
        return asked

    def take_withheld(self) -> list[Withheld]:
        """Withheld notices received since the last call."""
        found, self._nio.withheld = self._nio.withheld, []
        return found

    def key_requests_due(self) -> bool:
        return self._nio.requests_due()

    async def send(self, item: OutboxItem) -> str:
        """Send with the outbox's transaction id, so a repeat is deduplicated by the server.

        A room we just created encrypted can reach nio first without its encryption
        state (Synapse announces the room while it is still writing the initial state);
        nio would send in plaintext then, so the message waits for that state."""
        room = self._nio.rooms.get(item.room_id)
        if item.room_id in self._created_encrypted and (room is None or not room.encrypted):
            raise SendFailed(SendProblem.TRANSIENT, "the room's encryption state is not here yet")
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
        # Room not synced yet, keys not ready, the session rotated while being shared.
        except (LocalProtocolError, GroupEncryptionError) as exc:
            raise SendFailed(SendProblem.TRANSIENT, str(exc)) from exc
        except Exception as exc:  # the crypto store could not write: retried when it can
            if disk_full(exc):
                raise SendFailed(SendProblem.TRANSIENT, "the disk is full") from exc
            raise
        if isinstance(resp, RoomSendResponse):
            return resp.event_id
        raise SendFailed(_send_problem(resp), f"{resp.status_code}: {resp.message}")

    def take_undeliverable(self) -> list[Undeliverable]:
        """Devices a room key could not reach since the last call (the sender must know)."""
        found, self._nio.undeliverable = self._nio.undeliverable, []
        return found

    def take_gaps(self) -> dict[str, str]:
        """Rooms whose last sync timeline was cut short (we were away), with the token the
        missing events are fetched back from; each gap is handed out once."""
        gaps, self.gaps = self.gaps, {}
        return gaps

    async def token_before(self, room_id: str, event_id: str) -> str | None:
        """A pagination token just before an event (None if the server does not know it)."""
        # limit=1: no events before it (Synapse splits the limit half before, half after,
        # and reads 0 as its default of 10, whose token would skip the five before).
        resp = await self._checked(self._nio.room_context(room_id, event_id, limit=1))
        assert isinstance(resp, RoomContextResponse)
        return resp.start or None

    async def history(
        self, room_id: str, token: str, limit: int = 100
    ) -> tuple[list[RoomEvent], str | None]:
        """One page of older events before ``token``, oldest first, decrypted where keys
        allow; with the token of the page before it, or None at the room's beginning."""
        resp = await self._checked(
            self._nio.room_messages(room_id, token, direction=MessageDirection.back, limit=limit)
        )
        assert isinstance(resp, RoomMessagesResponse)
        events = [self._record(e, room_id) for e in reversed(resp.chunk)]
        more = bool(resp.chunk and resp.end and resp.end != token)
        return events, resp.end if more else None

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
        if encrypted and not space:
            self._created_encrypted.add(resp.room_id)
        return resp.room_id

    async def invite(self, room_id: str, user_id: str, reason: str = "") -> None:
        """Invite with a reason (other clients show it: the role the invitee will hold)."""
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/invite"
        body: dict[str, str] = {"user_id": user_id}
        if reason:
            body["reason"] = reason
        await self._call("POST", path, body)

    async def put_state(
        self, room_id: str, event_type: str, content: Mapping[str, Any], state_key: str = ""
    ) -> str:
        """Send a state event (never encrypted: only what the server may know)."""
        resp = await self._checked(
            self._nio.room_put_state(room_id, event_type, dict(content), state_key)
        )
        return resp.event_id

    async def get_state(
        self, room_id: str, event_type: str, state_key: str = ""
    ) -> dict[str, Any] | None:
        """One current state event's content from the server, or None if there is none."""
        try:
            resp = await self._checked(
                self._nio.room_get_state_event(room_id, event_type, state_key)
            )
        except SendFailed as exc:
            if exc.detail.startswith("M_NOT_FOUND"):
                return None
            raise
        return dict(resp.content)

    async def all_state(self, room_id: str) -> list[dict[str, Any]]:
        """Every current state event of a room, as the server holds it."""
        resp = await self._checked(self._nio.room_get_state(room_id))
        return [dict(e) for e in resp.events if isinstance(e, Mapping)]

    async def redact(self, room_id: str, event_id: str, reason: str = "") -> str:
        """Ask the server to remove an event's content (the archive keeps what it had)."""
        resp = await self._checked(self._nio.room_redact(room_id, event_id, reason or None))
        return resp.event_id

    async def kick(self, room_id: str, user_id: str, reason: str = "") -> None:
        await self._checked(self._nio.room_kick(room_id, user_id, reason or None))

    _checked = staticmethod(checked)

    async def _call(self, method: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A plain client-server API call for what nio does not wrap (e.g. invite reasons)."""
        headers = {"Authorization": f"Bearer {self.creds.access_token}"}
        try:
            resp = await self._nio.send(method, path, json.dumps(body), headers)
            reply = await resp.json(content_type=None)
        except (*_NETWORK_ERRORS, ValueError) as exc:
            raise SendFailed(SendProblem.TRANSIENT, str(exc) or type(exc).__name__) from exc
        if resp.status >= 400:
            code = reply.get("errcode", resp.status) if isinstance(reply, dict) else resp.status
            message = reply.get("error", "") if isinstance(reply, dict) else ""
            problem = SendProblem.TRANSIENT if resp.status >= 500 else SendProblem.REFUSED
            raise SendFailed(problem, f"{code}: {message}")
        return reply if isinstance(reply, dict) else {}

    async def api(
        self, method: str, path: str, body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """A client-server API call nio does not wrap (key backup); errors as ``_call``."""
        return await self._call(method, path, body or {})

    async def account_data(self, event_type: str) -> dict[str, Any] | None:
        """One of our account-data events from the server, or None if it was never set."""
        try:
            return await self._call("GET", self._account_data_path(event_type), {})
        except SendFailed as exc:
            if exc.detail.startswith("M_NOT_FOUND"):
                return None
            raise

    async def set_account_data(self, event_type: str, content: Mapping[str, Any]) -> None:
        await self._call("PUT", self._account_data_path(event_type), content)

    def _account_data_path(self, event_type: str) -> str:
        user = quote(self.user_id, safe="")
        return f"/_matrix/client/v3/user/{user}/account_data/{quote(event_type, safe='')}"

    @property
    def olm(self) -> Olm:
        """nio's Olm machine of this device (its Megolm sessions, its signing key)."""
        olm = self._nio.olm
        if olm is None:
            raise LocalProtocolError("the device's crypto store is not loaded")
        return olm

    async def time_zone(self, user_id: str) -> str:
        """A user's ``m.tz`` profile field (an IANA zone they chose), or '' if unset."""
        path = f"/_matrix/client/v3/profile/{quote(user_id, safe='')}/m.tz"
        try:
            reply = await self._call("GET", path, {})
        except SendFailed as exc:
            if exc.problem is SendProblem.REFUSED:  # M_NOT_FOUND: never set
                return ""
            raise
        zone = reply.get("m.tz")
        return zone if isinstance(zone, str) else ""

    async def user_exists(self, user_id: str) -> bool:
        """Whether the server knows this account: an invitation to a name nobody holds
        succeeds on Synapse, so a typo would otherwise look like an invitee who never came."""
        path = f"/_matrix/client/v3/profile/{quote(user_id, safe='')}"
        try:
            await self._call("GET", path, {})
        except SendFailed as exc:
            if exc.problem is SendProblem.TRANSIENT:
                raise
            # Synapse answers 404 (M_NOT_FOUND, or M_UNKNOWN "No row found"); a server that
            # keeps profiles private (M_FORBIDDEN) cannot tell us, so the invitation decides.
            return exc.detail.startswith("M_FORBIDDEN")
        return True

    async def join(self, room_id: str) -> None:
        await self._checked(self._nio.join(room_id))

    async def leave(self, room_id: str) -> None:
        await self._checked(self._nio.room_leave(room_id))

    async def logout(self) -> None:
        """Sign this device out on the server (its token stops working everywhere)."""
        await self._checked(self._nio.logout())

    async def close(self) -> None:
        self._nio.closed = True
        await self._nio.close()
