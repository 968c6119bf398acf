"""nio's AsyncClient as this app runs it: the subclass that screens to-device traffic,
guards the Olm machine, keeps ciphertexts and raw invite state, refuses calls after close;
its configuration; and the probe that tells 'nothing answers' from 'not Matrix'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
from nio import (
    Api,
    AsyncClientConfig,
    MatrixRoom,
    MegolmEvent,
    MessageDirection,
    RoomMessagesResponse,
    SyncResponse,
)
from nio.crypto import OlmDevice, TrustState
from nio.store import SqliteStore

from app.core.errors import LoginFailed, LoginProblem
from app.core.sync_problems import SyncProblem
from app.core.to_device import ToDeviceProblem
from app.matrix.calls import NETWORK_ERRORS
from app.matrix.crypto.key_requests import KeyGossip
from app.matrix.crypto.olm import GuardedOlm
from app.matrix.crypto.screen import ToDeviceScreen, source_text
from app.matrix.decode import local_id, server_id
from app.matrix.deep_json import loads_with_headroom
from app.matrix.screened_sync import SyncScreen
from app.matrix.sync_prefetch import REQUEST_TIMEOUT_S, SYNC_PATH
from app.matrix.sync_prefetch import take as take_prefetched
from app.matrix.sync_screen import screen_page
from app.matrix.verification.inbox import take_verification

CONSUMED = "to_device_consumed.json"  # in the crypto store: see ToDeviceScreen


class NioClient(KeyGossip):
    """nio's client (room keys count as shared only once delivered, key requests asked
    and answered by our rules), keeping the ciphertext of every Megolm event it decrypts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ciphertexts: dict[str, dict[str, Any]] = {}
        self.invite_state: dict[str, list[dict[str, Any]]] = {}
        self.closed = False
        self.to_device_problems: list[ToDeviceProblem] = []  # filled by screen and GuardedOlm
        self.sync_problems: list[SyncProblem] = []  # parts of answers nio failed on, taken out
        self.screen = SyncScreen(ToDeviceScreen(self.to_device_problems), self.sync_problems, self)
        self.verification_inbox: list[dict[str, Any]] = []  # for our own SAS, until synced

    def load_store(self) -> None:
        super().load_store()
        if self.olm is not None:
            to_device = self.screen.to_device  # Olm messages read are held back on restart
            GuardedOlm.guard(self.olm, self.to_device_problems, to_device.read)
            to_device.keep_in(Path(self.store_path) / CONSUMED, self.user_id, self.device_id)

    async def parse_body(self, transport_response: Any) -> dict[Any, Any]:
        """Sync bodies lose their unusable to-device events before nio parses them, and
        after nio failed on one, every part it would fail on (``app.matrix.sync_screen``)."""
        try:
            body = await super().parse_body(transport_response)
        except RecursionError:  # nested deeper than Python parses by default
            body = loads_with_headroom(await transport_response.read())
        url = transport_response.url
        if url.path.endswith("/sync") and isinstance(body, dict):
            self.screen(body, url.query.get("since", ""))
            self.verification_inbox = _merged(self.verification_inbox, take_verification(body))
        return body

    async def send(self, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        """Every HTTP call of nio passes here. After close, nio would quietly open a new
        connection pool that nobody closes; a late call (a command still running during
        shutdown) fails at once as a network error (not one nio would retry).

        A first sync fetched while nio was loading (``app.matrix.sync_prefetch``) answers
        nio's own first sync request (no token, no timeout, no full state), once."""
        if self.closed:
            raise aiohttp.ClientError("the Matrix client is closed")
        if method == "GET" and path == SYNC_PATH and self.access_token:
            prefetched = await take_prefetched(self.homeserver, self.access_token)
            if prefetched is not None:
                return prefetched
        return await super().send(method, path, *args, **kwargs)

    async def screened_room_messages(
        self,
        room_id: str,
        start: str | None,
        direction: MessageDirection,
        limit: int,
        problems: list[SyncProblem],
    ) -> Any:
        """nio's ``room_messages``, the page screened before nio parses it: each event nio
        would fail on goes to ``problems`` instead (``app.matrix.sync_screen.screen_page``).
        A ``ScreenedPage``, or nio's error response (see ``ScreenedPage`` for the pin)."""
        method, path = Api.room_messages(
            self.access_token, room_id, start=start, direction=direction, limit=limit
        )
        return await self._send(ScreenedPage, method, path, response_data=(room_id, problems))

    def _handle_timeline_event(
        self, event: Any, room_id: str, room: MatrixRoom, encrypted_rooms: set[str]
    ) -> Any:
        """A decrypted event never changes nio's idea of the room.

        nio applies what a Megolm event decrypts to as if the server had sent it: an
        encrypted ``m.room.member`` carrying a ``state_key`` adds a "member" to
        ``room.users`` (room keys are then shared with that user's devices) or drops a
        real one (who then cannot read what we send); power levels and the room's name
        the same way. Room state comes from the server's own state events only, which
        are left to nio; our archive marks such events malformed (``app.matrix.decode``).
        Messages are no loss: nio applies nothing of theirs to the room."""
        if not (isinstance(event, MegolmEvent) and self.olm):
            return super()._handle_timeline_event(event, room_id, room, encrypted_rooms)
        event.room_id = room_id
        return self.olm._decrypt_megolm_no_error(event)

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
        if isinstance(response, SyncResponse):
            # Applied (not cancelled, nothing raised half-way): the Olm messages read are
            # written down before the archive can commit the token (see ToDeviceScreen).
            self.screen.consumed()


class ScreenedPage(RoomMessagesResponse):
    """A /messages answer parsed by nio once screened, with ``order``: the row ids of
    its chunk's events as the server sent them (the server's id, else the local id a
    row gets: ``room_traces``, ``to_record``), so the row of an event taken out goes
    back to its own place (the archive's chain follows the server's order).

    Pinned to matrix-nio 0.26: nio's ``room_messages`` parses the body with no hook
    before it, so ``screened_room_messages`` calls nio's private ``AsyncClient._send``,
    which passes ``response_data`` on to ``from_dict`` after the body. nio's own
    ``from_dict`` is wrapped in ``@verify`` (its schema check); the override screens
    first and then calls it, so that check still runs, on the screened body."""

    order: tuple[str, ...] = ()

    @classmethod
    def from_dict(  # type: ignore[override]
        cls, parsed_dict: dict[Any, Any], room_id: str, problems: list[SyncProblem]
    ) -> Any:
        chunk = parsed_dict.get("chunk") if isinstance(parsed_dict, dict) else None
        entries = chunk if isinstance(chunk, list) else []
        order = tuple(
            server_id(e.get("event_id")) or local_id(room_id, e)
            for e in entries
            if isinstance(e, dict)
        )
        screen_page(parsed_dict, room_id, problems)
        page = super().from_dict(parsed_dict, room_id)
        if isinstance(page, ScreenedPage):
            page.order = order
        return page


def _merged(inbox: list[dict[str, Any]], taken: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The inbox waits until a sync step takes it. A batch fetched again after nio failed
    on it brings its verification messages again if nio had not read its to-device
    events (kept once here), and not at all if it had (``ToDeviceScreen`` holds them
    back): they are in the inbox already, from the first fetch."""
    texts = {source_text(event) for event in inbox}
    return [*inbox, *(event for event in taken if source_text(event) not in texts)]


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
    except NETWORK_ERRORS as exc:
        raise LoginFailed(LoginProblem.UNREACHABLE, str(exc) or type(exc).__name__) from exc
    if not isinstance(body, dict) or not isinstance(body.get("versions"), list):
        raise LoginFailed(LoginProblem.NOT_MATRIX, url)


class CryptoStore(SqliteStore):  # type: ignore[misc]
    """nio's SQLite store, minus work on the receive path that stores or learns nothing.

    nio saves the sync's newly encrypted rooms after every sync, in a transaction that
    also re-binds every model and looks the account up, even when the sync announced
    none; on the receive path that delays each message by a few milliseconds."""

    def save_encrypted_rooms(self, rooms: Any) -> None:
        if rooms:
            super().save_encrypted_rooms(rooms)

    def is_device_verified(self, device: OlmDevice) -> bool:
        """Read from the device itself: nio loads each device's trust with its keys and
        changes both together in every verify, unverify, blacklist and ignore, and a
        device first seen in a key query has no stored trust yet. nio asks this for every
        Megolm event it decrypts; the database answer cost three queries and two
        re-bindings of every model each time, most of a message's decryption."""
        return bool(device.trust_state == TrustState.verified)


def client_config(pickle_key: str) -> AsyncClientConfig:
    # max_timeouts=0: a dead server surfaces at once, so our loop can show it and back off.
    return AsyncClientConfig(
        store=CryptoStore,
        encryption_enabled=True,
        pickle_key=pickle_key,
        store_sync_tokens=False,  # the archive keeps the token, in the same transaction as events
        max_timeouts=0,
        request_timeout=REQUEST_TIMEOUT_S,
    )
