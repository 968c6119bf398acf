"""The two ways a message travels in ``bench.latency``: through the app, or through bare nio.

Both routes expose ``one(body)``: send one message and return its timestamps once the
receiver has it and the sender has seen the server's answer and its own echo (so the next
message starts on a quiet system), or None if it did not arrive in time.

For a breakdown, a few methods of the live client objects are wrapped (never the app's
code): on both routes the receiver's nio ``receive_response`` (the sync response that brought
the message has arrived and been parsed, nothing decrypted yet); on the services route also
the sender's ``MatrixClient.send`` (the outbox worker starts the network send) and the
receiver's ``MatrixClient.sync`` (the sync step's nio work is done: decrypted, stores saved).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinError,
    MatrixRoom,
    RoomCreateError,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
    RoomVisibility,
    SyncResponse,
)

from app.core.records import EventStatus, OutboxItem, OutboxState
from app.homeserver import EmbeddedHomeserver
from app.services.notices import EventsArrived, Notice, OutboxChanged
from bench.common import ServicePeer, encrypted_room, new_account

log = logging.getLogger(__name__)

PER_MESSAGE_SECONDS = 30.0
LONG_POLL_MS = 30_000  # the same long-poll the app uses


@dataclass(slots=True)
class Sample:
    """Timestamps (perf_counter seconds) of one message; only ``received`` is required."""

    start: float
    received: float
    acked: float  # the sender learnt the server accepted it
    parsed: float | None = None  # the receiver's nio got the sync response carrying it
    send_start: float | None = None  # services only: the outbox worker began the network send
    sync_returned: float | None = None  # services only: receiver's sync with it returned

    def ms(self, end: float | None, begin: float | None = None) -> float | None:
        begin = self.start if begin is None else begin
        return None if end is None or begin is None else (end - begin) * 1000


class Route(Protocol):
    """One way of sending a message from one client to another and timing it."""

    label: str

    async def one(self, body: str) -> Sample | None: ...


@dataclass
class _Pending:
    """What a route waits for while one message is in flight."""

    body: str
    received: asyncio.Future[float]
    acked: asyncio.Future[float]
    echoed: asyncio.Future[float]  # the sender saw its own echo: both sides are idle again
    marks: dict[str, float] = field(default_factory=dict)


def _settle(future: asyncio.Future[float]) -> None:
    if not future.done():
        future.set_result(time.perf_counter())


def _new_pending(body: str) -> _Pending:
    loop = asyncio.get_running_loop()
    return _Pending(body, loop.create_future(), loop.create_future(), loop.create_future())


async def _finish(pending: _Pending, start: float) -> Sample | None:
    try:
        async with asyncio.timeout(PER_MESSAGE_SECONDS):
            received = await pending.received
            acked = await pending.acked
            await pending.echoed
    except TimeoutError:
        return None
    marks = pending.marks
    return Sample(
        start,
        received,
        acked,
        marks.get("parsed"),
        marks.get("send_start"),
        marks.get("sync_returned"),
    )


class _ResponseClock:
    """When the last sync response reached an nio client, before nio decrypted anything.

    Sync steps are sequential, so when a message is delivered, the last response is the
    one that carried it."""

    def __init__(self, nio: AsyncClient) -> None:
        self.last = 0.0
        receive = nio.receive_response

        async def timed(response: Any) -> None:
            if isinstance(response, SyncResponse):
                self.last = time.perf_counter()
            await receive(response)

        nio.receive_response = timed  # type: ignore[method-assign]


# -- (a) the app's services -------------------------------------------------------------------


def _has_text(notice: Notice, room_id: str, body: str) -> bool:
    return isinstance(notice, EventsArrived) and any(
        e.room_id == room_id
        and e.type == "m.room.message"
        and e.status is EventStatus.OK
        and e.content.get("body") == body
        for e in notice.events
    )


class ServicesRoute:
    """Sender and receiver are ``Backend``s; timestamps come from their notices."""

    label = "services"

    def __init__(self, sender: ServicePeer, receiver: ServicePeer, room_id: str) -> None:
        self.sender, self.receiver, self.room_id = sender, receiver, room_id
        self._pending: _Pending | None = None
        self._last_sync = 0.0
        # The app's MatrixClient keeps its nio client private; a benchmark may look inside.
        self._responses = _ResponseClock(receiver.account.client._nio)
        sender.listeners.append(self._on_sender_notice)
        receiver.listeners.append(self._on_receiver_notice)
        self._instrument()

    def _instrument(self) -> None:
        """Timestamp the network send and the receiver's sync, wrapping the live objects."""
        client = self.sender.account.client
        send = client.send

        async def timed_send(item: OutboxItem) -> str:
            pending = self._pending
            if pending is not None and item.content.get("body") == pending.body:
                pending.marks.setdefault("send_start", time.perf_counter())
            return await send(item)

        client.send = timed_send  # type: ignore[method-assign]

        receiver = self.receiver.account.client
        sync = receiver.sync

        async def timed_sync(*args: Any, **kwargs: Any) -> Any:
            batch = await sync(*args, **kwargs)
            self._last_sync = time.perf_counter()
            return batch

        receiver.sync = timed_sync  # type: ignore[method-assign]

    def _on_sender_notice(self, notice: Notice) -> None:
        pending = self._pending
        if pending is None:
            return
        if (
            isinstance(notice, OutboxChanged)
            and notice.item.state is OutboxState.SENT
            and notice.item.content.get("body") == pending.body
        ):
            _settle(pending.acked)
        elif _has_text(notice, self.room_id, pending.body):
            _settle(pending.echoed)

    def _on_receiver_notice(self, notice: Notice) -> None:
        pending = self._pending
        if pending is not None and _has_text(notice, self.room_id, pending.body):
            # The notice comes from the sync step that brought the message: the last one.
            pending.marks.setdefault("parsed", self._responses.last)
            pending.marks.setdefault("sync_returned", self._last_sync)
            _settle(pending.received)

    async def one(self, body: str) -> Sample | None:
        self._pending = pending = _new_pending(body)
        start = time.perf_counter()
        await self.sender.account.send_text(self.room_id, body)
        sample = await _finish(pending, start)
        self._pending = None
        return sample


async def services_route(
    server: EmbeddedHomeserver, work: Path, cleanup: contextlib.AsyncExitStack
) -> ServicesRoute:
    """Two signed-in ``Backend``s in an encrypted room; ``cleanup`` shuts them down."""
    peers = []
    for name in ("svc-alice", "svc-bob"):
        account = await asyncio.to_thread(new_account, server, name)
        peer = ServicePeer(work / name, account)
        cleanup.push_async_callback(peer.close)
        peers.append(await peer.login(server))
    sender, receiver = peers
    room_id = await encrypted_room(sender, receiver, "latency (services)")
    return ServicesRoute(sender, receiver, room_id)


# -- (b) raw matrix-nio -------------------------------------------------------------------------


class NioRoute:
    """The same exchange with nothing but nio: no outbox, no archive, no notices."""

    label = "nio"

    def __init__(self, sender: AsyncClient, receiver: AsyncClient, room_id: str) -> None:
        self.sender, self.receiver, self.room_id = sender, receiver, room_id
        self._pending: _Pending | None = None
        self._responses = _ResponseClock(receiver)
        receiver.add_event_callback(self._on_receiver_text, RoomMessageText)
        sender.add_event_callback(self._on_sender_text, RoomMessageText)

    def _matches(self, room: MatrixRoom, event: RoomMessageText) -> _Pending | None:
        pending = self._pending
        ok = pending is not None and room.room_id == self.room_id and event.body == pending.body
        return pending if ok else None

    def _on_receiver_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        """nio calls this while still inside the sync that brought the message."""
        if (pending := self._matches(room, event)) is not None:
            pending.marks.setdefault("parsed", self._responses.last)
            _settle(pending.received)

    def _on_sender_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if (pending := self._matches(room, event)) is not None:
            _settle(pending.echoed)

    async def one(self, body: str) -> Sample | None:
        self._pending = pending = _new_pending(body)
        start = time.perf_counter()
        try:
            resp = await self.sender.room_send(
                self.room_id,
                "m.room.message",
                {"msgtype": "m.text", "body": body},
                ignore_unverified_devices=True,
            )
        except Exception as exc:  # room or keys not ready yet (warm-up): a lost message
            log.info("nio send failed: %s", exc)
            resp = None
        if isinstance(resp, RoomSendResponse):
            _settle(pending.acked)
            sample = await _finish(pending, start)
        else:
            sample = None
        self._pending = None
        return sample


async def _nio_client(server: EmbeddedHomeserver, work: Path, name: str) -> AsyncClient:
    account = await asyncio.to_thread(new_account, server, name)
    store = work / name
    store.mkdir(parents=True, exist_ok=True)
    config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)
    client = AsyncClient(server.url, account.user_id, store_path=str(store), config=config)
    await client.login(account.password, device_name="bench baseline")
    return client


async def _syncing(client: AsyncClient) -> None:
    """Until cancelled: nio's own sync loop (it also uploads, queries and claims keys)."""
    await client.sync_forever(timeout=LONG_POLL_MS)


async def nio_route(
    server: EmbeddedHomeserver, work: Path, cleanup: contextlib.AsyncExitStack
) -> NioRoute:
    """Two bare nio clients in an encrypted room, syncing; ``cleanup`` stops and closes them."""
    clients = []
    for name in ("nio-alice", "nio-bob"):
        client = await _nio_client(server, work, name)
        cleanup.push_async_callback(client.close)
        task = asyncio.create_task(_syncing(client), name=f"bench-sync-{name}")
        cleanup.push_async_callback(_cancel, task)
        clients.append(client)
    sender, receiver = clients
    created = await sender.room_create(
        visibility=RoomVisibility.private,
        name="latency (nio)",
        invite=[receiver.user_id],
        preset=RoomPreset.private_chat,
        initial_state=[
            {
                "type": "m.room.encryption",
                "state_key": "",
                "content": {"algorithm": "m.megolm.v1.aes-sha2"},
            }
        ],
    )
    if isinstance(created, RoomCreateError):
        raise RuntimeError(f"nio room creation failed: {created}")
    joined = await receiver.join(created.room_id)
    if isinstance(joined, JoinError):
        raise RuntimeError(f"nio join failed: {joined}")
    async with asyncio.timeout(60):  # nio sets `synced` after every sync
        while receiver.user_id not in getattr(sender.rooms.get(created.room_id), "users", {}):
            await sender.synced.wait()
    return NioRoute(sender, receiver, created.room_id)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
