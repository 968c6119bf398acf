"""Instruction round trips on loopback: issue → in the delegate's feed, ack → on the board.

The capital (an official) issues one instruction at a time to one delegation; the clock
stops when the delegate's ``InstructionsChanged`` notice first carries it (decrypted,
archived, checked, folded into the feed; the device's automatic "received" is queued
then too). Once the official's board shows "received" (a person reads before acking),
the delegate acknowledges; the second clock stops when the official's board shows the
delegation at "acknowledged". ``--read-ms`` adds a person's reading pause before the
ack (0 by default: the ack then leaves while the delegate's own "received" is still
crossing the server, a load a reader's pause of even a second never meets). Beside each
instruction, a bare
matrix-nio pair sends one encrypted message (``bench.routes.nio_route``), so the baseline
is measured in the same run against the same server.

Run: ``python -m bench.instructions [--instructions N] [--read-ms MS]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

from app.core.instructions import Draft, Stage
from app.core.roles import Role
from app.core.session import Blueprint, Delegation, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.instructions import Instructions
from app.services.notices import InstructionsChanged, Notice
from app.services.sessions import Sessions
from bench.common import (
    ServicePeer,
    Summary,
    emit_json,
    new_account,
    nonce,
    quiet_environment,
    running_homeserver,
)
from bench.routes import nio_route

WAIT_SECONDS = 30.0


async def _session(server: EmbeddedHomeserver, work: Path, cleanup: contextlib.AsyncExitStack):
    peers = []
    for name in ("fac", "official", "delegate"):
        account = await asyncio.to_thread(new_account, server, f"ins-{name}")
        peer = await ServicePeer(work / name, account).login(server)
        cleanup.push_async_callback(peer.close)
        peers.append(peer)
    fac, official, delegate = peers
    blueprint = Blueprint(
        "Bench corridor",
        "escalation",
        "Africa/Cairo",
        exercise=True,
        delegations=(Delegation("geneva", "Geneva talks", "Europe/Zurich"),),
        participants=(
            Participant(official.user_id, Role.OFFICIAL),
            Participant(delegate.user_id, Role.DELEGATE, "geneva"),
        ),
    )
    info = await Sessions(fac.account.client).convene(blueprint)
    for peer in (official, delegate):
        await Sessions(peer.account.client).join(info.space_id)
    for peer in (official, delegate):
        feature = peer.account.feature(Instructions)
        await peer.wait_for(
            lambda f=feature: (d := f.desk(info.space_id)) is not None and bool(d.rooms),
            "the delegation room",
        )
    return info.space_id, official, delegate


def _watch(peer: ServicePeer, test: Any) -> asyncio.Future[float]:
    """A future resolved with the time of the first notice passing ``test``."""
    done: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    def listener(notice: Notice) -> None:
        if not done.done() and isinstance(notice, InstructionsChanged) and test(notice):
            done.set_result(time.perf_counter())

    peer.listeners.append(listener)
    done.add_done_callback(lambda _: peer.listeners.remove(listener))
    return done


def _row(notice: InstructionsChanged, subject: str):
    return next((r for r in notice.feed.rows if r.instruction.subject == subject), None)


async def measure(
    server: EmbeddedHomeserver, work: Path, count: int, read_ms: float = 0.0
) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"shown": [], "acked": [], "nio": []}
    async with contextlib.AsyncExitStack() as cleanup:
        space, official, delegate = await _session(server, work, cleanup)
        baseline = await nio_route(server, work, cleanup)
        issuer = official.account.feature(Instructions)
        receiver = delegate.account.feature(Instructions)
        for index in range(count + 3):  # the first three warm the rooms' keys up
            subject = nonce("instruction", index)
            shown = _watch(delegate, lambda n, s=subject: _row(n, s) is not None)
            received = _watch(
                official,
                lambda n, s=subject: (r := _row(n, s)) is not None and r.stage is Stage.RECEIVED,
            )
            start = time.perf_counter()
            await issuer.issue(space, Draft(subject, "Bench.", "flash", action=("geneva",)))
            shown_at = await asyncio.wait_for(shown, WAIT_SECONDS)
            row = next(r for r in receiver.feed(space).rows if r.instruction.subject == subject)
            await asyncio.wait_for(received, WAIT_SECONDS)  # a person reads before acking
            await asyncio.sleep(read_ms / 1000)  # the reading itself (the bench's choice)
            acked = _watch(
                official,
                lambda n, s=subject: (
                    (r := _row(n, s)) is not None and r.stage is Stage.ACKNOWLEDGED
                ),
            )
            ack_start = time.perf_counter()
            await receiver.acknowledge(row.instruction.event_id, "acknowledged")
            acked_at = await asyncio.wait_for(acked, WAIT_SECONDS)
            sample = await baseline.one(nonce("nio", index))
            if index < 3:
                continue
            results["shown"].append((shown_at - start) * 1000)
            results["acked"].append((acked_at - ack_start) * 1000)
            if sample is not None:
                results["nio"].append((sample.received - sample.start) * 1000)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    parser.add_argument("--instructions", type=int, default=200, help="measured round trips")
    parser.add_argument(
        "--read-ms", type=float, default=0.0, help="a person's pause before acknowledging"
    )
    args = parser.parse_args(argv)
    quiet_environment()
    with running_homeserver("instructions") as (server, work):
        results = asyncio.run(measure(server, work, args.instructions, args.read_ms))
    labels = {
        "shown": "issue → shown in delegate's feed",
        "acked": "ack → shown on capital's board",
        "nio": "raw nio send → receive",
    }
    payload = {}
    for key, label in labels.items():
        summary = Summary.of(results[key])
        print(summary.line(label), flush=True)
        payload[key] = summary.rounded()
    emit_json(
        "instructions", {"instructions": args.instructions, "read_ms": args.read_ms, **payload}
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
