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

That pair leaves out two things the ack leg cannot: the delegation room has a third
syncing member (the facilitator), whom the server answers too, and the ack leaves right
after the device's own "received". So a second baseline takes the ack's shape with bare
nio (``RawAck``): three syncing members, and the timed message sent the moment the
receiver has the sender's previous one. The ratio to the plain pair stays the goal's.

All peers share one event loop, and the bare pairs start the moment the board shows the
ack, while the delegate and the facilitator still archive it (and the next instruction
the moment the bare pairs are done): ``--settle-ms`` pauses before each of these (0 by
default, as before; the ack keeps its own timing), so both sides can be timed on a quiet
loop as well.

Run: ``python -m bench.instructions [--instructions N] [--read-ms MS] [--settle-ms MS]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from pathlib import Path
from typing import Any

from nio import AsyncClient, AsyncClientConfig, MatrixRoom, RoomMessageText

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
from bench.routes import LONG_POLL_MS, NioRoute, nio_route

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


class RawAck:
    """Bare nio in the ack's shape: a "received" and, the moment the receiver has it, the
    timed message; in a room of three syncing members like a delegation room."""

    def __init__(self, route: NioRoute) -> None:
        self.sender, self.receiver, self.room_id = route.sender, route.receiver, route.room_id
        self._arrivals: dict[tuple[str, str], asyncio.Future[float]] = {}
        self.receiver.add_event_callback(self._on_receiver_text, RoomMessageText)
        self.sender.add_event_callback(self._on_sender_text, RoomMessageText)

    def _arrived(self, side: str, room: MatrixRoom, event: RoomMessageText) -> None:
        done = self._arrivals.pop((side, event.body), None)
        if room.room_id == self.room_id and done is not None and not done.done():
            done.set_result(time.perf_counter())

    def _on_receiver_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        self._arrived("receiver", room, event)

    def _on_sender_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        self._arrived("sender", room, event)

    def _expect(self, side: str, body: str) -> asyncio.Future[float]:
        done = asyncio.get_running_loop().create_future()
        self._arrivals[(side, body)] = done
        return done

    async def _send(self, body: str) -> None:
        content = {"msgtype": "m.text", "body": body}
        await self.sender.room_send(
            self.room_id, "m.room.message", content, ignore_unverified_devices=True
        )

    async def one(self, index: int) -> float:
        """ms from the timed send to the receiver having it (nio decrypted it)."""
        received, acked = nonce("raw received", index), nonce("raw ack", index)
        first = self._expect("receiver", received)
        second, echoed = self._expect("receiver", acked), self._expect("sender", acked)
        await self._send(received)
        await asyncio.wait_for(first, WAIT_SECONDS)
        start = time.perf_counter()
        await self._send(acked)
        arrived = await asyncio.wait_for(second, WAIT_SECONDS)
        await asyncio.wait_for(echoed, WAIT_SECONDS)  # the next round starts on a quiet box
        return (arrived - start) * 1000


async def _raw_ack(
    server: EmbeddedHomeserver, work: Path, cleanup: contextlib.AsyncExitStack
) -> RawAck:
    """A second bare pair with a third member who only syncs, as the facilitator does."""
    route = await nio_route(server, work, cleanup)
    account = await asyncio.to_thread(new_account, server, "nio-third")
    (work / "nio-third").mkdir(parents=True, exist_ok=True)
    config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)
    third = AsyncClient(
        server.url, account.user_id, store_path=str(work / "nio-third"), config=config
    )
    cleanup.push_async_callback(third.close)
    await third.login(account.password, device_name="bench third member")
    await route.sender.room_invite(route.room_id, account.user_id)
    await third.join(route.room_id)
    task = asyncio.create_task(third.sync_forever(timeout=LONG_POLL_MS), name="bench-sync-third")
    cleanup.push_async_callback(_cancelled, task)
    async with asyncio.timeout(WAIT_SECONDS):  # the sender shares its keys with the third too
        while account.user_id not in getattr(route.sender.rooms.get(route.room_id), "users", {}):
            await route.sender.synced.wait()
    return RawAck(route)


async def _cancelled(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


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
    server: EmbeddedHomeserver,
    work: Path,
    count: int,
    read_ms: float = 0.0,
    settle_ms: float = 0.0,
) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {
        "shown": [],
        "acked": [],
        "nio": [],
        "nio_ack": [],
        "issue_paired": [],  # each round's leg over the same round's raw pair
        "ack_paired": [],
    }
    async with contextlib.AsyncExitStack() as cleanup:
        space, official, delegate = await _session(server, work, cleanup)
        baseline = await nio_route(server, work, cleanup)
        raw_ack = await _raw_ack(server, work, cleanup)
        issuer = official.account.feature(Instructions)
        receiver = delegate.account.feature(Instructions)
        for index in range(count + 3):  # the first three warm the rooms' keys up
            await asyncio.sleep(settle_ms / 1000)  # the bare pairs finish (optional)
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
            await asyncio.sleep(settle_ms / 1000)  # the app's peers finish the ack (optional)
            sample = await baseline.one(nonce("nio", index))
            await asyncio.sleep(settle_ms / 1000)
            raw_acked = await raw_ack.one(index)
            if index < 3:
                continue
            results["shown"].append((shown_at - start) * 1000)
            results["acked"].append((acked_at - ack_start) * 1000)
            results["nio_ack"].append(raw_acked)
            if sample is not None:
                raw = (sample.received - sample.start) * 1000
                results["nio"].append(raw)
                results["issue_paired"].append(results["shown"][-1] / raw)
                results["ack_paired"].append(results["acked"][-1] / raw)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    parser.add_argument("--instructions", type=int, default=200, help="measured round trips")
    parser.add_argument(
        "--read-ms", type=float, default=0.0, help="a person's pause before acknowledging"
    )
    parser.add_argument(
        "--settle-ms", type=float, default=0.0, help="a pause before each bare nio sample"
    )
    args = parser.parse_args(argv)
    quiet_environment()
    with running_homeserver("instructions") as (server, work):
        results = asyncio.run(
            measure(server, work, args.instructions, args.read_ms, args.settle_ms)
        )
    labels = {
        "shown": "issue → shown in delegate's feed",
        "acked": "ack → shown on capital's board",
        "nio": "raw nio send → receive",
        "nio_ack": "raw nio, the ack's shape",
    }
    payload = {}
    for key, label in labels.items():
        summary = Summary.of(results[key])
        print(summary.line(label), flush=True)
        payload[key] = summary.rounded()
    for key in ("issue_paired", "ack_paired"):
        payload[key] = round(statistics.median(results[key]), 3)
    for label, leg, base in (
        ("issue leg / raw pair", "shown", "nio"),
        ("ack leg / raw pair", "acked", "nio"),
        ("ack leg / raw nio in the ack's shape", "acked", "nio_ack"),
    ):
        ratio = Summary.of(results[leg]).p50 / Summary.of(results[base]).p50
        print(f"{label:<40} {ratio:5.2f}×  (p50s)", flush=True)
    # The server's answer varies from round to round far more than either client does:
    # each round's ratio to the raw pair of the same round takes that out.
    for label, key in (
        ("issue leg / raw pair", "issue_paired"),
        ("ack leg / raw pair", "ack_paired"),
    ):
        paired = statistics.median(results[key])
        print(f"{label + ', paired by round':<40} {paired:5.2f}×  (median)", flush=True)
    emit_json(
        "instructions",
        {
            "instructions": args.instructions,
            "read_ms": args.read_ms,
            "settle_ms": args.settle_ms,
            **payload,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
