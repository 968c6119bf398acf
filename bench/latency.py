"""Send→receive latency in an encrypted room: the app's services against raw matrix-nio.

Why both: an instruction must reach a delegation within seconds, and the services add a
persisted outbox, an archive write and a notice on top of what nio does. Measuring the
bare nio pair on the same server in the same run shows what that safety costs.

(a) services: two ``Backend`` instances (own data dirs); the sender calls
    ``account.send_text``; the clock stops when the receiver emits the ``EventsArrived``
    notice carrying the decrypted message.
(b) baseline: two nio ``AsyncClient`` with encryption, ``room_send(...,
    ignore_unverified_devices=True)`` and ``sync_forever`` with a ``RoomMessageText``
    callback on the receiver.

Messages go one at a time (latency, not throughput) and the two paths alternate message by
message, so drift on the server (caches, database growth) hits both alike. Everything runs
on one asyncio loop in this process, as two clients of one app would not: sender and
receiver share a CPU and the GIL, in both paths alike.

For a breakdown of the services path the benchmark wraps two methods of the live client
objects (never the app's code): ``client.send`` (when the outbox worker starts and ends the
network send) and the receiver's ``client.sync`` (when the sync that brought the message
returned, already decrypted by nio).

Run: ``python -m bench.latency [--messages N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bench.common import (
    ServicePeer,
    Summary,
    emit_json,
    encrypted_room,
    finite,
    new_account,
    nonce,
    quiet_environment,
    running_homeserver,
)

quiet_environment()

from nio import (  # noqa: E402 - after the environment is set
    AsyncClient,
    AsyncClientConfig,
    JoinError,
    MatrixRoom,
    RoomCreateError,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
    RoomVisibility,
)

from app.core.records import EventStatus, OutboxItem, OutboxState  # noqa: E402
from app.homeserver import EmbeddedHomeserver  # noqa: E402
from app.services.notices import EventsArrived, Notice, OutboxChanged  # noqa: E402

PER_MESSAGE_SECONDS = 30.0
MAX_LOST = 10  # give up on a path that loses this many messages: something is broken
LONG_POLL_MS = 30_000  # the same long-poll the app uses


@dataclass(slots=True)
class Sample:
    """Timestamps (perf_counter seconds) of one message; only ``received`` is required."""

    start: float
    received: float
    acked: float  # the sender learnt the server accepted it
    send_start: float | None = None  # services only: the outbox worker began the network send
    sync_returned: float | None = None  # services only: receiver's sync with it returned

    def ms(self, end: float | None, begin: float | None = None) -> float | None:
        begin = self.start if begin is None else begin
        return None if end is None or begin is None else (end - begin) * 1000


class Route(Protocol):
    label: str

    async def one(self, body: str) -> Sample | None: ...


@dataclass
class _Pending:
    """What a path waits for while one message is in flight."""

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
    return Sample(
        start,
        received,
        acked,
        pending.marks.get("send_start"),
        pending.marks.get("sync_returned"),
    )


# -- (a) the app's services -------------------------------------------------------------------


def _has_text(notice: Notice, room_id: str, body: str) -> bool:
    return isinstance(notice, EventsArrived) and any(
        e.room_id == room_id
        and e.type == "m.room.message"
        and e.status is EventStatus.OK
        and e.content.get("body") == body
        for e in notice.events
    )


class ServicesPath:
    """Sender and receiver are ``Backend``s; timestamps come from their notices."""

    label = "services"

    def __init__(self, sender: ServicePeer, receiver: ServicePeer, room_id: str) -> None:
        self.sender, self.receiver, self.room_id = sender, receiver, room_id
        self._pending: _Pending | None = None
        self._last_sync = 0.0
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
            pending.marks.setdefault("sync_returned", self._last_sync)
            _settle(pending.received)

    async def one(self, body: str) -> Sample | None:
        self._pending = pending = _new_pending(body)
        start = time.perf_counter()
        await self.sender.account.send_text(self.room_id, body)
        sample = await _finish(pending, start)
        self._pending = None
        return sample


async def services_path(server: EmbeddedHomeserver, work: Path) -> tuple[ServicesPath, list]:
    sender_account = await asyncio.to_thread(new_account, server, "svc-alice")
    receiver_account = await asyncio.to_thread(new_account, server, "svc-bob")
    sender = await ServicePeer(work / "svc-alice", sender_account).login(server)
    receiver = await ServicePeer(work / "svc-bob", receiver_account).login(server)
    room_id = await encrypted_room(sender, receiver, "latency (services)")
    return ServicesPath(sender, receiver, room_id), [sender.close, receiver.close]


# -- (b) raw matrix-nio -------------------------------------------------------------------------


class NioPath:
    """The same exchange with nothing but nio: no outbox, no archive, no notices."""

    label = "nio"

    def __init__(self, sender: AsyncClient, receiver: AsyncClient, room_id: str) -> None:
        self.sender, self.receiver, self.room_id = sender, receiver, room_id
        self._pending: _Pending | None = None
        receiver.add_event_callback(self._on_receiver_text, RoomMessageText)
        sender.add_event_callback(self._on_sender_text, RoomMessageText)

    def _matches(self, room: MatrixRoom, event: RoomMessageText) -> _Pending | None:
        pending = self._pending
        ok = pending is not None and room.room_id == self.room_id and event.body == pending.body
        return pending if ok else None

    def _on_receiver_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if (pending := self._matches(room, event)) is not None:
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
            logging.getLogger(__name__).debug("nio send failed: %s", exc)
            resp = None
        if isinstance(resp, RoomSendResponse):
            _settle(pending.acked)
        sample = await _finish(pending, start)
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


async def nio_path(server: EmbeddedHomeserver, work: Path) -> tuple[NioPath, list]:
    sender = await _nio_client(server, work, "nio-alice")
    receiver = await _nio_client(server, work, "nio-bob")
    tasks = [
        asyncio.create_task(c.sync_forever(timeout=LONG_POLL_MS), name=f"bench-{c.user_id}")
        for c in (sender, receiver)
    ]

    async def close() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in (sender, receiver):
            await client.close()

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
        await close()
        raise RuntimeError(f"nio room creation failed: {created}")
    joined = await receiver.join(created.room_id)
    if isinstance(joined, JoinError):
        await close()
        raise RuntimeError(f"nio join failed: {joined}")
    async with asyncio.timeout(60):  # nio sets `synced` after every sync
        while receiver.user_id not in getattr(sender.rooms.get(created.room_id), "users", {}):
            await sender.synced.wait()
    return NioPath(sender, receiver, created.room_id), [close]


# -- the run ------------------------------------------------------------------------------------


async def warm_up(path: Route, count: int) -> int:
    """Send until ``count`` messages got through, so key sharing is not measured."""
    got = tries = 0
    while got < count and tries < count + 10:
        tries += 1
        got += (await path.one(nonce(f"warm-up {path.label}", tries))) is not None
    if got < count:
        raise RuntimeError(f"{path.label}: only {got} of {tries} warm-up messages arrived")
    return tries


async def measure(paths: list[Route], messages: int, gap: float) -> dict[str, list[Sample]]:
    """Alternate the paths message by message (the order flips every round)."""
    samples: dict[str, list[Sample]] = {p.label: [] for p in paths}
    lost = dict.fromkeys(samples, 0)
    started = time.perf_counter()
    for index in range(messages):
        for path in paths if index % 2 == 0 else reversed(paths):
            if lost[path.label] >= MAX_LOST:
                continue
            sample = await path.one(nonce(f"latency {path.label}", index))
            if sample is None:
                lost[path.label] += 1
            else:
                samples[path.label].append(sample)
            await asyncio.sleep(gap)
        if (index + 1) % 50 == 0:
            print(f"  {index + 1}/{messages} ({time.perf_counter() - started:.0f} s)", flush=True)
    for label, count in lost.items():
        if count:
            print(f"  {label}: {count} message(s) lost (no arrival within {PER_MESSAGE_SECONDS} s)")
    return samples


Mark = Callable[[Sample], float | None]


def _summary(samples: list[Sample], end: Mark, begin: Mark | None = None) -> Summary:
    """Milliseconds from ``begin`` (default: the send) to ``end`` over the samples having both."""
    values = [v for s in samples if (v := s.ms(end(s), begin(s) if begin else None)) is not None]
    return Summary.of(values)


def report(samples: dict[str, list[Sample]], messages: int) -> dict[str, Any]:
    svc, raw = samples["services"], samples["nio"]
    total_svc = _summary(svc, lambda s: s.received)
    total_raw = _summary(raw, lambda s: s.received)
    parts = {  # key: (label, summary)
        "queue": (
            "services: send_text → network send",
            _summary(svc, lambda s: s.send_start),
        ),
        "send_to_ack": (
            "services: network send → sent notice",
            _summary(svc, lambda s: s.acked, lambda s: s.send_start),
        ),
        "send_to_receiver_sync": (
            "services: network send → receiver sync",
            _summary(svc, lambda s: s.sync_returned, lambda s: s.send_start),
        ),
        "sync_to_notice": (
            "services: receiver sync → notice",
            _summary(svc, lambda s: s.received, lambda s: s.sync_returned),
        ),
        "nio_send_to_ack": ("nio: room_send → response", _summary(raw, lambda s: s.acked)),
    }
    print()
    print(f"send → receive, encrypted room, loopback, {messages} messages per path")
    print(total_svc.line("(a) services (send_text → notice)"))
    print(total_raw.line("(b) raw nio (room_send → callback)"))
    overhead = {
        key: getattr(total_svc, key) - getattr(total_raw, key) for key in ("p50", "p95", "max")
    }
    print(
        f"{'overhead (a) − (b)':<34} p50 {overhead['p50']:+8.1f} ms   "
        f"p95 {overhead['p95']:+8.1f} ms   max {overhead['max']:+8.1f} ms   "
        f"(p50 ×{total_svc.p50 / total_raw.p50:.2f})"
    )
    print("\nwhere the time goes (each part on its own; parts' p50s need not add up):")
    for label, summary in parts.values():
        print(summary.line(f"  {label}", width=42))
    return {
        "messages": messages,
        "services_ms": total_svc.rounded(),
        "nio_ms": total_raw.rounded(),
        "overhead_ms": {k: finite(v) for k, v in overhead.items()},
        "breakdown_ms": {key: summary.rounded() for key, (_, summary) in parts.items()},
    }


async def run(server: EmbeddedHomeserver, work: Path, messages: int, warmup: int, gap: float):
    closers: list[Callable[[], Awaitable[None]]] = []
    try:
        svc, close_svc = await services_path(server, work)
        closers += close_svc
        raw, close_raw = await nio_path(server, work)
        closers += close_raw
        paths: list[Route] = [svc, raw]
        for path in paths:
            tries = await warm_up(path, warmup)
            print(f"{path.label}: warmed up ({tries} message(s) sent)", flush=True)
        return await measure(paths, messages, gap)
    finally:
        for close in reversed(closers):
            try:
                await close()
            except Exception as exc:  # report, but keep closing the others
                print(f"close failed: {type(exc).__name__}: {exc}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument("--messages", type=int, default=200, help="measured messages per path")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured messages per path")
    parser.add_argument("--gap-ms", type=float, default=20.0, help="idle time between two messages")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with running_homeserver("latency") as (server, work):
        samples = asyncio.run(run(server, work, args.messages, args.warmup, args.gap_ms / 1000))
    emit_json("latency", report(samples, args.messages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
