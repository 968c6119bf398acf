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

Messages go one at a time (latency, not throughput) and the two routes alternate message
by message, so drift on the server (caches, database growth) hits both alike. Everything
runs on one asyncio loop in this process, unlike two real users' apps: sender and receiver
share a CPU and the GIL, in both routes alike. See ``bench.routes`` for how each is timed.

Run: ``python -m bench.latency [--messages N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.homeserver import EmbeddedHomeserver
from bench.common import (
    Summary,
    emit_json,
    finite,
    nonce,
    quiet_environment,
    running_homeserver,
)
from bench.routes import PER_MESSAGE_SECONDS, Route, Sample, nio_route, services_route

MAX_LOST = 10  # stop using a route that lost this many messages: something is broken


async def warm_up(route: Route, count: int) -> int:
    """Send until ``count`` messages got through, so key sharing is not measured."""
    got = tries = 0
    while got < count and tries < count + 10:
        tries += 1
        got += (await route.one(nonce(f"warm-up {route.label}", tries))) is not None
    if got < count:
        raise RuntimeError(f"{route.label}: only {got} of {tries} warm-up messages arrived")
    return tries


async def measure(routes: list[Route], messages: int, gap: float) -> dict[str, list[Sample]]:
    """Alternate the routes message by message (the order flips every round)."""
    samples: dict[str, list[Sample]] = {r.label: [] for r in routes}
    lost = dict.fromkeys(samples, 0)
    started = time.perf_counter()
    for index in range(messages):
        for route in routes if index % 2 == 0 else reversed(routes):
            if lost[route.label] >= MAX_LOST:
                continue
            sample = await route.one(nonce(f"latency {route.label}", index))
            if sample is None:
                lost[route.label] += 1
            else:
                samples[route.label].append(sample)
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
    """Print totals, overhead and the services breakdown; return the JSON payload."""
    svc, raw = samples["services"], samples["nio"]
    total_svc = _summary(svc, lambda s: s.received)
    total_raw = _summary(raw, lambda s: s.received)
    parts = {  # key: (label, summary); every part measured on its own
        "queue": (
            "services: send_text → network send",
            _summary(svc, lambda s: s.send_start),
        ),
        "services_ack": (
            "services: network send → sent notice",
            _summary(svc, lambda s: s.acked, lambda s: s.send_start),
        ),
        "nio_ack": ("nio: room_send → response", _summary(raw, lambda s: s.acked)),
        "services_server": (
            "services: network send → receiver response",
            _summary(svc, lambda s: s.parsed, lambda s: s.send_start),
        ),
        "nio_server": (
            "nio: room_send → receiver response",
            _summary(raw, lambda s: s.parsed),
        ),
        "services_nio_work": (
            "services: response → sync step returned",
            _summary(svc, lambda s: s.sync_returned, lambda s: s.parsed),
        ),
        "services_store": (
            "services: sync step returned → notice",
            _summary(svc, lambda s: s.received, lambda s: s.sync_returned),
        ),
        "nio_callback": (
            "nio: response → callback",
            _summary(raw, lambda s: s.received, lambda s: s.parsed),
        ),
    }
    print()
    print(f"send → receive, encrypted room, loopback, {messages} messages per route")
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
    print(
        "\nwhere the time goes (each part on its own, p50s need not add up; 'response': the"
        "\nreceiver's nio has parsed the sync response carrying the message, not yet decrypted):"
    )
    for label, summary in parts.values():
        print(summary.line(f"  {label}", width=44))
    return {
        "messages": messages,
        "services_ms": total_svc.rounded(),
        "nio_ms": total_raw.rounded(),
        "overhead_ms": {k: finite(v) for k, v in overhead.items()},
        "breakdown_ms": {key: summary.rounded() for key, (_, summary) in parts.items()},
    }


async def run(
    server: EmbeddedHomeserver, work: Path, messages: int, warmup: int, gap: float
) -> dict[str, list[Sample]]:
    """Set both routes up, warm them, measure; every client is closed whatever happens."""
    async with contextlib.AsyncExitStack() as cleanup:
        routes: list[Route] = [
            await services_route(server, work, cleanup),
            await nio_route(server, work, cleanup),
        ]
        for route in routes:
            tries = await warm_up(route, warmup)
            print(f"{route.label}: warmed up ({tries} message(s) sent)", flush=True)
        return await measure(routes, messages, gap)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument("--messages", type=int, default=200, help="measured messages per route")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured messages per route")
    parser.add_argument("--gap-ms", type=float, default=20.0, help="idle time between two messages")
    args = parser.parse_args(argv)
    quiet_environment()
    with running_homeserver("latency") as (server, work):
        samples = asyncio.run(run(server, work, args.messages, args.warmup, args.gap_ms / 1000))
    emit_json("latency", report(samples, args.messages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
