"""The chaos run shared by ``tests/test_chaos.py`` and ``bench/chaos.py``.

A sender (the app's services, in a process of its own) queues N encrypted messages into
a room whose Megolm sessions rotate every few messages, while Synapse is SIGKILLed and
restarted, and the sender process is SIGKILLed and restarted; kills are aimed at the
moment the sender is about to share a room key, the window where nio 0.26 lost keys for
good. A receiver that is plain matrix-nio, plus a second device of its account signed in
mid-run, then reads the room from ``/messages``: the figures say what was lost, doubled,
reordered or left unreadable, and how long after the last kill everything was readable.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from app.homeserver import EmbeddedHomeserver
from bench.chaos_receiver import Receiver, RoomReading
from bench.chaos_sender import body


@dataclass(frozen=True, slots=True)
class ChaosPlan:
    messages: int
    server_kills: int
    sender_kills: int
    rotation_msgs: int = 5
    device_added_after_kill: int = 2  # the receiver signs in a second device then
    send_deadline_s: float = 300.0  # for the sender to queue and send everything
    settle_deadline_s: float = 60.0  # then for the receiver to read everything
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class ChaosFigures:
    sent: int
    received: int
    lost: int
    duplicated: int
    out_of_order: int
    undecryptable: int
    server_kills: int
    sender_kills: int
    kills_while_sharing: int
    sender_finished: bool
    convergence_s: float | None  # from the last kill until all was readable; None: never

    @classmethod
    def of(cls, plan: ChaosPlan, reading: RoomReading, kills: Kills, converged: float | None):
        bodies = reading.bodies
        wanted = {body(i) for i in range(plan.messages)}
        readable = set(bodies) & wanted
        order = [int(b.split()[-1]) for b in bodies if b in wanted]
        return cls(
            sent=plan.messages,
            received=len(bodies) + reading.undecryptable,
            lost=max(0, plan.messages - len(readable) - reading.undecryptable),
            duplicated=len(bodies) - len(set(bodies)),
            out_of_order=sum(1 for a, b in itertools.pairwise(order) if b < a),
            undecryptable=reading.undecryptable,
            server_kills=kills.server,
            sender_kills=kills.sender,
            kills_while_sharing=kills.while_sharing,
            sender_finished=kills.sender_done.is_set(),
            convergence_s=converged,
        )

    def lines(self) -> list[str]:
        seconds = "never" if self.convergence_s is None else f"{self.convergence_s:.1f} s"
        return [
            f"sent {self.sent}   received {self.received}   lost {self.lost}   "
            f"duplicated {self.duplicated}   out of order {self.out_of_order}   "
            f"undecryptable {self.undecryptable}",
            f"kills: {self.server_kills} of the server, {self.sender_kills} of the sender, "
            f"{self.kills_while_sharing} while a room key was being shared",
            f"readable by the receiver {seconds} after the last kill",
        ]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Kills:
    """Kills the server or the sender when the sender is about to share a room key."""

    def __init__(self, plan: ChaosPlan, server: EmbeddedHomeserver, sender: SenderProcess) -> None:
        self.plan = plan
        self._homeserver = server
        self._sender_proc = sender
        self.server = self.sender = self.while_sharing = 0
        self.last_kill = time.monotonic()
        self.sender_done = asyncio.Event()
        self.added_device = asyncio.Event()
        self._busy = asyncio.Lock()
        self._shares_seen = 0
        self._random = random.Random(plan.seed)

    @property
    def left(self) -> int:
        return self.plan.server_kills - self.server + self.plan.sender_kills - self.sender

    async def on_sharing(self, progress: int) -> None:
        """Kill at this key share if the kills so far lag behind the sender's progress,
        so that they spread over the whole run; or at every share if the sender shares
        rarely (it ignores the room's rotation period): then each share is the window."""
        self._shares_seen += 1
        rare = self._shares_seen / max(progress, 1) < 1 / (2 * self.plan.rotation_msgs)
        total = self.plan.server_kills + self.plan.sender_kills
        lagging = total - self.left < math.ceil(total * (progress + 1) / self.plan.messages)
        if self._busy.locked() or not (rare or lagging):
            return
        async with self._busy:
            self.while_sharing += await self._kill_one(jitter=0.02)

    async def kill_one(self) -> None:
        """One kill now (after the one in progress, if any)."""
        async with self._busy:
            await self._kill_one(jitter=0.0)

    async def _kill_one(self, jitter: float) -> int:
        """Kill the server or the sender, by what is left; 1 if a kill happened."""
        if self.left <= 0:
            return 0
        await asyncio.sleep(self._random.uniform(0, jitter))  # land at varied points
        server_left = self.plan.server_kills - self.server
        sender_left = self.plan.sender_kills - self.sender
        if self._random.random() * (server_left + sender_left) < server_left:
            self._homeserver.kill()
            self.server += 1
            self.last_kill = time.monotonic()
            await asyncio.to_thread(self._homeserver.start)
            if self.server == self.plan.device_added_after_kill:
                self.added_device.set()
        else:
            await self._sender_proc.kill_and_restart()
            self.sender += 1
            self.last_kill = time.monotonic()
        return 1


class SenderProcess:
    """``bench.chaos_sender`` as a child process, relaunched after each kill."""

    def __init__(self, args: list[str], log: Path) -> None:
        self._args = args
        self._log = log
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self.kills: Kills | None = None
        self.progress = 0
        self.ready = asyncio.Event()
        self._aimed: set[asyncio.Task[None]] = set()  # kills under way (kept from the GC)

    async def launch(self) -> None:
        self.ready.clear()
        with self._log.open("ab") as err:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.chaos_sender", *self._args,
                stdout=asyncio.subprocess.PIPE, stderr=err,
            )  # fmt: skip
        self._reader = asyncio.create_task(self._read(self._proc))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None and self.kills is not None
        async for raw in proc.stdout:
            line = raw.decode().strip()
            if line == "READY":
                self.ready.set()
            elif line == "DONE":
                self.kills.sender_done.set()
            elif line.startswith("PROGRESS "):
                self.progress = int(line.split()[1])
            elif line == "SHARING" and self.ready.is_set():
                task = asyncio.create_task(self.kills.on_sharing(self.progress))
                self._aimed.add(task)
                task.add_done_callback(self._aimed.discard)

    async def kill_and_restart(self) -> None:
        await self.ready.wait()  # a kill before the first sign-in is not what we test
        await self.stop()
        await self.launch()

    async def stop(self) -> None:
        """SIGKILL: no clean shutdown, as a crash would."""
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            await self._proc.wait()
        if self._reader is not None:
            await self._reader


async def _converge(
    plan: ChaosPlan, receiver: Receiver, room_id: str, sender: str, kills: Kills
) -> tuple[RoomReading, float | None]:
    """Read the room after every receiver sync until it is all readable, or give up."""
    reading = RoomReading((), 0)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(plan.settle_deadline_s):
            while True:
                found = await receiver.read(room_id, sender)
                if found is not None:
                    reading = found
                    if len(set(found.bodies)) >= plan.messages and not found.undecryptable:
                        return reading, time.monotonic() - kills.last_kill
                await receiver.next_sync(5.0)
    return reading, None


async def run_chaos(plan: ChaosPlan, root: Path) -> ChaosFigures:
    """One chaos run on its own homeserver in ``root``; returns the figures."""
    server = EmbeddedHomeserver(root / "homeserver")
    await asyncio.to_thread(server.start)
    receivers: list[Receiver] = []
    sender_proc: SenderProcess | None = None
    try:
        them = await asyncio.to_thread(server.create_account, "receiver")
        us = await asyncio.to_thread(server.create_account, "sender")
        first = Receiver(server.url, them, root / "receiver-1")
        receivers.append(first)
        await first.login("receiver one")
        room_id = await first.create_room(us.user_id, plan.rotation_msgs)
        args = [str(root / "sender"), server.url, us.user_id, us.password, room_id]
        sender_proc = SenderProcess([*args, str(plan.messages)], root / "sender.log")
        kills = Kills(plan, server, sender_proc)
        sender_proc.kills = kills
        await sender_proc.launch()

        async def second_device() -> None:
            await kills.added_device.wait()
            receivers.append(Receiver(server.url, them, root / "receiver-2"))
            await receivers[-1].login("receiver two")

        adding = asyncio.create_task(second_device())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(plan.send_deadline_s):
                await kills.sender_done.wait()
                while kills.left:  # the sender was quicker than the aimed kills
                    await kills.kill_one()
                await sender_proc.ready.wait()
        adding.cancel()
        reading, converged = await _converge(plan, first, room_id, us.user_id, kills)
        return ChaosFigures.of(plan, reading, kills, converged)
    finally:
        if sender_proc is not None:
            await sender_proc.stop()
        for receiver in receivers:
            await receiver.close()
        await asyncio.to_thread(server.stop)
