"""How many messages per second one machine carries, single process vs. Synapse workers.

N participants, each a real account driven through the app's services (a ``Backend`` with
its own data dir, persisted outbox and archive, as the exercise cast is), sit in M
sessions; each session is one encrypted room of N/M members (a session's operations room,
without the space and side rooms, which carry no traffic here). The offered load steps up
(messages per second over all participants, round robin); each message is timed from
``send_text`` to the ``EventsArrived`` notice at every other member of its room, i.e. until
it is shown. A step holds if p95 send → shown stays under 1 s, nothing is lost and the
senders keep up; the last step that holds is the sustained rate, the first that does not is
where it breaks.

Two targets, one after the other, same cast and steps: (a) the embedded single Synapse
process on SQLite (what `oor demo` runs); (b) the worker deployment `oor server init`
writes (PostgreSQL, Redis, main + client worker(s) + event persister + media worker,
nginx), run locally by app.homeserver.deployment.local. All participants run in this one
process on one event loop, on the same machine as the server: on a small machine the
clients' own crypto and archives compete with the server for CPU, so the figures are a
floor; each step prints the CPU share this process (all participants) used, which says
whether the clients or the server ran out first, and the machine's load average, which
says whether something else (other work on a shared machine) did.

Run: ``python -m bench.scale [--participants N] [--sessions M] [--rates 2,4,8] [--seconds S]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.homeserver import Account
from app.homeserver.deployment.local import LocalDeployment, missing_programs
from app.services.notices import EventsArrived, Notice
from bench.common import (
    ServicePeer,
    Summary,
    emit_json,
    finite,
    new_account,
    nonce,
    quiet_environment,
    running_homeserver,
)

SHOWN_WITHIN_MS = 1000.0
LATE_SECONDS = 10.0  # a message not shown this long after its step is counted lost


class Server(Protocol):
    url: str

    def create_account(self, localpart: str) -> Account: ...


@dataclass
class Step:
    """One offered rate and what came of it."""

    rate: float
    sent_per_s: float
    shown_per_s: float  # displays: one message shown to three members counts three
    latency: Summary
    lost: int
    client_cpu: float  # CPU seconds of this process (all participants) per wall second
    load: float  # the machine's 1-minute load average at the end of the step

    @property
    def holds(self) -> bool:
        return (
            self.latency.p95 < SHOWN_WITHIN_MS
            and self.lost == 0
            and self.sent_per_s >= 0.9 * self.rate
        )

    def line(self) -> str:
        verdict = "holds" if self.holds else "BREAKS"
        return (
            f"  {self.rate:6.1f} msg/s offered: sent {self.sent_per_s:6.1f}/s, displays "
            f"{self.shown_per_s:6.1f}/s, send→shown p50 {self.latency.p50:7.1f} ms "
            f"p95 {self.latency.p95:7.1f} ms, lost {self.lost}, clients' CPU "
            f"{self.client_cpu:4.0%}, load {self.load:.1f}  {verdict}"
        )

    def payload(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "sent_per_s": finite(self.sent_per_s),
            "shown_per_s": finite(self.shown_per_s),
            "shown_ms": self.latency.rounded(),
            "lost": self.lost,
            "client_cpu": finite(self.client_cpu),
            "load": finite(self.load),
            "holds": self.holds,
        }


class Cast:
    """The participants, their rooms, and the messages on their way to being shown."""

    def __init__(self, peers: list[ServicePeer], sessions: int) -> None:
        self.peers = peers
        self.room_members: dict[str, list[ServicePeer]] = {}
        self.room_of: dict[str, str] = {}
        self._sessions = sessions
        self._pending: dict[str, tuple[float, set[str]]] = {}
        self._latencies: list[float] = []
        self._quiet = asyncio.Event()
        for peer in peers:
            peer.listeners.append(lambda notice, p=peer: self._on_notice(p, notice))

    def _on_notice(self, peer: ServicePeer, notice: Notice) -> None:
        if not isinstance(notice, EventsArrived):
            return
        now = time.perf_counter()
        for event in notice.events:
            waiting = self._pending.get(str(event.content.get("body")))
            if waiting is not None and peer.user_id in waiting[1]:
                waiting[1].discard(peer.user_id)
                self._latencies.append((now - waiting[0]) * 1000)
        if all(not receivers for _, receivers in self._pending.values()):
            self._quiet.set()

    async def seat(self) -> None:
        """One encrypted room per session; every member sees every other member join."""
        groups = [self.peers[i :: self._sessions] for i in range(self._sessions)]
        for index, members in enumerate(groups):
            owner, guests = members[0], members[1:]
            room = await owner.account.create_room(
                f"Session {index + 1} operations", tuple(g.user_id for g in guests)
            )
            for guest in guests:
                await guest.account.client.join(room)
            for member in members:
                for other in members:
                    await member.wait_for(
                        lambda m=member, o=other, r=room: m.has_joined(r, o.user_id), "the joins"
                    )
            self.room_members[room] = members
            self.room_of.update({m.user_id: room for m in members})

    def send(self, sender: ServicePeer, body: str) -> asyncio.Task[object]:
        room = self.room_of[sender.user_id]
        receivers = {m.user_id for m in self.room_members[room]} - {sender.user_id}
        self._pending[body] = (time.perf_counter(), receivers)
        self._quiet.clear()
        return asyncio.create_task(sender.account.send_text(room, body))

    async def settle(self) -> tuple[list[float], int]:
        """Wait for what is still on its way (bounded); return latencies and losses."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(LATE_SECONDS):
                await self._quiet.wait()
        latencies, self._latencies = self._latencies, []
        lost = sum(len(receivers) for _, receivers in self._pending.values())
        self._pending.clear()
        return latencies, lost


async def run_step(cast: Cast, rate: float, seconds: float, label: str) -> Step:
    count = max(1, round(rate * seconds))
    started, cpu_started = time.perf_counter(), time.process_time()
    sends = []
    for index in range(count):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sender = cast.peers[index % len(cast.peers)]
        sends.append(cast.send(sender, nonce(f"{label} {rate:g}", index)))
    await asyncio.gather(*sends)
    sent_seconds = time.perf_counter() - started
    latencies, lost = await cast.settle()
    shown_seconds = max(time.perf_counter() - started, 1e-9)
    cpu = (time.process_time() - cpu_started) / shown_seconds
    # The last send is due at (count - 1) / rate: a step that kept up reports the offered rate.
    sent_per_s = count / max(sent_seconds, count / rate)
    displays = len(latencies) / shown_seconds
    load = os.getloadavg()[0]
    return Step(rate, sent_per_s, displays, Summary.of(latencies), lost, cpu, load)


async def measure(
    server: Server, work: Path, label: str, args: argparse.Namespace
) -> dict[str, Any]:
    """Seat the cast on `server`, warm up, then step the rate until it breaks."""
    peers: list[ServicePeer] = []
    try:
        for index in range(args.participants):
            account = new_account(server, f"scale-{index}")
            peers.append(await ServicePeer(work / account.localpart, account).login(server))
        cast = Cast(peers, args.sessions)
        await cast.seat()
        warm = await run_step(cast, 2.0, len(peers) / 2, f"warm-up {label}")  # keys shared
        seated = f"{len(peers)} participants in {args.sessions} sessions"
        print(f"{label}: {seated}; warm-up lost {warm.lost}", flush=True)
        steps: list[Step] = []
        for rate in args.rates:
            steps.append(await run_step(cast, rate, args.seconds, label))
            print(steps[-1].line(), flush=True)
            if not steps[-1].holds:
                break
    finally:
        for peer in peers:
            await peer.close()
    held = [s.rate for s in steps if s.holds]
    broke = next((s.rate for s in steps if not s.holds), None)
    sustained = max(held, default=0.0)
    print(f"{label}: sustained {sustained:g} msg/s with p95 send→shown < 1 s; breaks at {broke}")
    return {
        "sustained_msg_per_s": sustained,
        "breaks_at": broke,
        "steps": [s.payload() for s in steps],
    }


@contextlib.contextmanager
def worker_deployment(client_workers: int) -> Iterator[tuple[LocalDeployment, Path]]:
    with tempfile.TemporaryDirectory(prefix="oor-bench-scale-") as tmp:
        started = time.perf_counter()
        with LocalDeployment(Path(tmp), client_workers=client_workers) as deployment:
            took = time.perf_counter() - started
            print(f"workers up at {deployment.url} in {took:.1f} s {deployment.startup_seconds}")
            yield deployment, Path(tmp) / "work"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--participants", type=int, default=12)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument(
        "--rates",
        type=lambda text: [float(r) for r in text.split(",")],
        default=[2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0],
        help="offered messages/s, comma-separated, tried in order until one breaks",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each step")
    parser.add_argument("--client-workers", type=int, default=1, help="client workers (b)")
    parser.add_argument("--only", choices=["single", "workers"], help="measure one target")
    args = parser.parse_args(argv)
    if args.participants < 2 * args.sessions:
        parser.error("each session needs at least two participants")
    quiet_environment()
    results: dict[str, Any] = {}
    if args.only != "workers":
        with running_homeserver("scale") as (server, work):
            results["single"] = asyncio.run(measure(server, work, "single process", args))
    if args.only != "single":
        missing = missing_programs()
        if missing:
            print(f"worker deployment skipped: {', '.join(missing)} missing")
            results["workers"] = None
        else:
            with worker_deployment(args.client_workers) as (deployment, work):
                results["workers"] = asyncio.run(measure(deployment, work, "workers", args))
    emit_json(
        "scale",
        {
            "participants": args.participants,
            "sessions": args.sessions,
            "seconds_per_step": args.seconds,
            "shown_within_ms": SHOWN_WITHIN_MS,
            **results,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
