"""This app against Nheko, side by side in one run: start-up, CPU, memory, message → shown.

Why: a crisis tool is opened in a hurry by someone who closed it an hour ago; Nheko is
the native Matrix client a ministry would otherwise pick. Ratios from the same run on the
same machine say more than absolute times on a shared 2-core box.

One Synapse on loopback, one account with ``--rooms`` rooms of ``--messages`` messages
(sent through the app's services). Both clients run under the same Xvfb (ours with the
xcb platform, Nheko with Qt Quick's software backend) and are timed the same way, from
just before process creation to the room list painted (ours: the probe's
``room_list_painted``, see ``bench._startup_probe``; Nheko: see ``bench.nheko_driver``):

- first start: a profile that holds a fresh login and nothing synced (a new device each run);
- warm restart: the profile of an account that has synced everything before;
- CPU: utime + stime of the main process when the room list was painted;
- memory: Rss / Pss / USS (Private_Clean + Private_Dirty) from ``/proc/<pid>/smaps_rollup``
  ``--settle`` seconds after ready, during the warm runs;
- message → shown: a third client (plain matrix-nio) sends into the account's last room
  while ours is open; our time is the timeline row's first paint, the baseline is a raw
  matrix-nio receiver (another device of the same account, in this process) getting the
  same message. Nheko's is not measured: nothing it logs or draws can be tied to one
  message's arrival without reading pixels as text.

With ``--baseline DIR`` (another checkout, e.g. ``git worktree add /tmp/base main``) that
checkout's app is timed alongside in the same run: before/after figures against one Nheko.
Each tree's warm restarts then use the profile of its own last first start (as Nheko's
do), not the shared ``app-warm``: an archive migrated by one tree may be newer than the
other knows, and one device's keys cannot be shared by two copies of it.

Both checkouts are byte-compiled first (``bench.common.compile_app``), as an installed
app is.

Installs nothing: needs ``nheko``, ``Xvfb`` and ``xdotool`` on PATH
(``installer/install-system-deps.sh --bench``). Run: ``python -m bench.versus_nheko``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from nio import AsyncClient, AsyncClientConfig, LoginResponse, MatrixRoom, RoomMessageText

from app.homeserver import Account, EmbeddedHomeserver
from bench import nheko_driver
from bench.common import (
    ServicePeer,
    compile_app,
    emit_json,
    new_account,
    nonce,
    running_homeserver,
    stored_login,
)

REPO = Path(__file__).resolve().parent.parent
PROBE_PREFIX = "versus probe"
NIO_CONFIG = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)


async def prepare(server: EmbeddedHomeserver, work: Path, rooms: int, messages: int) -> Any:
    """The account's rooms and messages through the app's services; the third client in."""
    owner = await asyncio.to_thread(new_account, server, "versus-owner")
    third = await asyncio.to_thread(new_account, server, "versus-third")
    peer = await ServicePeer(work / "app-warm", owner).login(server)
    try:
        room_ids = []
        for index in range(rooms):
            invite = (third.user_id,) if index == rooms - 1 else ()
            room_ids.append(await peer.account.create_room(f"Cell {index + 1}", invite))
        for count in range(messages):  # round robin, so the last room is the newest
            for room_id in room_ids:
                await peer.account.send_text(room_id, nonce("situation", count))
        await peer.wait_for(lambda: not peer.unsent(), "the outbox to empty", seconds=900)
        await peer.account.send_text(room_ids[-1], "newest")  # alone: the room opened at start
        await peer.wait_for(lambda: not peer.unsent(), "the newest message")
    finally:
        await peer.close()
    return owner, third, room_ids[-1]


async def nheko_profile(server: EmbeddedHomeserver, root: Path, owner: Account) -> Path:
    """A Nheko profile signed in with a new device, nothing cached."""
    client = AsyncClient(server.url, owner.user_id)
    resp = await client.login(owner.password, device_name="nheko (bench)")
    await client.close()
    if not isinstance(resp, LoginResponse):
        raise RuntimeError(f"Nheko's login failed: {resp}")
    nheko_driver.write_profile(root, server.url, resp.user_id, resp.device_id, resp.access_token)
    return root


def memory(pid: int) -> dict[str, float]:
    """Rss, Pss and USS of one process in MB, from its smaps_rollup."""
    kb: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        kb[name] = int(value.split()[0])
    uss = kb["Private_Clean"] + kb["Private_Dirty"]
    return {
        k: round(v / 1024, 1) for k, v in (("rss", kb["Rss"]), ("pss", kb["Pss"]), ("uss", uss))
    }


class OurApp:
    """One run of the app's GUI through the startup probe, held open until stopped."""

    def __init__(self, repo: Path, data_dir: Path, display: str) -> None:
        self.stop_file = Path(tempfile.mkdtemp(prefix="oor-versus-")) / "stop"
        env = dict(os.environ, OOR_CREDENTIALS="file", DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env["PYTHONPATH"] = str(repo)  # this checkout's app (or --baseline's)
        self.t0 = time.time()
        # This checkout's probe for either app, so both are measured the same way (-P:
        # the probe's folder is not put on sys.path, where its modules would shadow others).
        probe = str(REPO / "bench" / "_startup_probe.py")
        command = [sys.executable, "-P", probe, "--data-dir", str(data_dir)]
        command += ["--t0", repr(self.t0), "--expect-body", "", "--hold", str(self.stop_file)]
        command += ["--watch-prefix", PROBE_PREFIX]
        self.proc = subprocess.Popen(
            command, cwd=repo, env=env, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.shown: dict[str, float] = {}
        self.ready: dict[str, float] = {}

    async def lines(self, until: Any, seconds: float = 90) -> None:
        """Read the probe's JSON lines until ``until()`` holds."""
        assert self.proc.stdout is not None
        async with asyncio.timeout(seconds):
            while not until():
                line = await asyncio.to_thread(self.proc.stdout.readline)
                if not line:
                    raise RuntimeError(f"our app ended early (exit {self.proc.wait()})")
                if line.startswith("{"):
                    data = json.loads(line)
                    if "ready" in data:
                        self.ready = data
                    if "shown" in data:
                        self.shown[data["shown"]] = data["at"]

    async def stop(self) -> None:
        self.stop_file.touch()
        with contextlib.suppress(RuntimeError, TimeoutError):
            await self.lines(lambda: False, seconds=30)  # drains to the end of output
        await asyncio.to_thread(self.proc.wait, 30)


async def run_ours(
    repo: Path, data_dir: Path, display: str, settle: float, probes: Any = None
) -> dict:
    app = OurApp(repo, data_dir, display)
    try:
        await app.lines(lambda: bool(app.ready))
        result = {"ready_s": app.ready["ready"], "cpu_s": app.ready["cpu_s"]}
        if settle:
            await asyncio.sleep(settle)
            result["memory_mb"] = memory(app.proc.pid)
        if probes is not None:
            result["shown_ms"] = await probes(app)
        return result
    finally:
        await app.stop()


async def run_nheko(profile: Path, display: nheko_driver.Display, settle: float) -> dict:
    run = await asyncio.to_thread(nheko_driver.start, profile, display)
    try:
        assert run.painted_at is not None
        result = {"ready_s": round(run.painted_at - run.t0, 4), "cpu_s": run.cpu_s}
        if settle:
            await asyncio.sleep(settle)
            result["memory_mb"] = memory(run.proc.pid)
        return result
    finally:
        await asyncio.to_thread(run.stop)


class Messages:
    """The third client (plain nio) sending into the last room, and a raw nio receiver."""

    def __init__(self, server: EmbeddedHomeserver, work: Path, room_id: str) -> None:
        self.server, self.work, self.room_id = server, work, room_id
        self.arrived: dict[str, float] = {}
        self._arrival = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.clients: list[AsyncClient] = []

    async def open(self, third: Account, owner: Account) -> None:
        for name, account in (("third", third), ("raw-receiver", owner)):
            store = self.work / f"nio-{name}"
            store.mkdir(parents=True, exist_ok=True)
            client = AsyncClient(
                self.server.url, account.user_id, store_path=str(store), config=NIO_CONFIG
            )
            await client.login(account.password, device_name=f"bench {name}")
            self.clients.append(client)
        sender, receiver = self.clients
        await sender.join(self.room_id)
        receiver.add_event_callback(self._on_text, RoomMessageText)
        for client in self.clients:
            await client.sync(timeout=0, full_state=True)
            self.tasks.append(asyncio.create_task(client.sync_forever(timeout=30_000)))

    def _on_text(self, _room: MatrixRoom, event: RoomMessageText) -> None:
        if event.body.startswith(PROBE_PREFIX):
            self.arrived.setdefault(event.body, time.time())
            self._arrival.set()

    async def send(self, app: OurApp, count: int) -> dict[str, list[float]]:
        """One at a time; the first only shares the room key and is not counted."""
        ours: list[float] = []
        raw: list[float] = []
        for index in range(count + 1):
            body = nonce(PROBE_PREFIX, index)
            sent = time.time()
            await self.clients[0].room_send(
                self.room_id,
                "m.room.message",
                {"msgtype": "m.text", "body": body},
                ignore_unverified_devices=True,
            )
            async with asyncio.timeout(30):
                while body not in self.arrived:
                    self._arrival.clear()
                    await self._arrival.wait()
            if index:
                raw.append(round((self.arrived[body] - sent) * 1000, 1))
            try:
                await app.lines(lambda b=body: b in app.shown, seconds=20)
            except TimeoutError:  # reported, not fatal: the other rows are still worth having
                print(f"our app did not show {body!r} within 20 s (raw nio had it)", flush=True)
                break
            if index:
                ours.append(round((app.shown[body] - sent) * 1000, 1))
        return {"ours": ours, "raw_nio": raw}

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for client in self.clients:
            await client.close()


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


async def bench(
    server: EmbeddedHomeserver, work: Path, display: nheko_driver.Display, args: argparse.Namespace
) -> dict:
    started = time.perf_counter()
    owner, third, last_room = await prepare(server, work, args.rooms, args.messages)
    print(f"account prepared in {time.perf_counter() - started:.0f} s", flush=True)
    trees = {"ours": REPO, **({"baseline": Path(args.baseline)} if args.baseline else {})}
    runs: dict[str, dict[str, list[dict]]] = {name: {} for name in (*trees, "nheko")}
    for repo in trees.values():
        compile_app(repo)
    for index in range(args.runs):  # first starts, alternating, each on a new device
        for name, repo in trees.items():
            ours = (await stored_login(server, work / f"{name}-first-{index}", owner)).root
            result = await run_ours(repo, ours, display.name, 0)
            runs[name].setdefault("first", []).append(result)
        theirs = await nheko_profile(server, work / f"nheko-{index}", owner)
        runs["nheko"].setdefault("first", []).append(await run_nheko(theirs, display, 0))
        print(f"first start {index + 1}/{args.runs} done", flush=True)
    messages = Messages(server, work, last_room)
    await messages.open(third, owner)
    try:
        for index in range(args.runs):  # warm restarts of profiles that synced before
            for name, repo in trees.items():
                probe = lambda app: messages.send(app, args.probes)  # noqa: E731
                own = work / f"{name}-first-{args.runs - 1}"
                warm = own if args.baseline else work / "app-warm"
                result = await run_ours(repo, warm, display.name, args.settle, probe)
                runs[name].setdefault("warm", []).append(result)
            nheko = await run_nheko(work / f"nheko-{args.runs - 1}", display, args.settle)
            runs["nheko"].setdefault("warm", []).append(nheko)
            print(f"warm restart {index + 1}/{args.runs} done", flush=True)
    finally:
        await messages.close()
    return summarise(runs)


def summarise(runs: dict[str, dict[str, list[dict]]]) -> dict[str, Any]:
    """Medians per client and the ratio to Nheko (below 1: we are faster or smaller);
    message → shown against the raw matrix-nio receiver timed on the same messages."""
    table: dict[str, dict[str, float | None]] = {}
    ratios: dict[str, dict[str, float]] = {}
    for client, phases in runs.items():
        row: dict[str, float | None] = {}
        for phase in ("first", "warm"):
            row[f"{phase}_ready_s"] = median([r["ready_s"] for r in phases[phase]])
            row[f"{phase}_cpu_s"] = median([r["cpu_s"] for r in phases[phase]])
        for kind in ("rss", "pss", "uss"):
            row[f"{kind}_mb"] = median([r["memory_mb"][kind] for r in phases["warm"]])
        if client != "nheko":
            for route in ("ours", "raw_nio"):
                shown = [v for r in phases["warm"] for v in r["shown_ms"][route]]
                row["shown_ms" if route == "ours" else "raw_nio_shown_ms"] = median(shown)
        table[client] = row
    for client in (c for c in runs if c != "nheko"):
        row = table[client]
        ratios[client] = {
            key: round(value / theirs, 2)
            for key, value in row.items()
            if value and (theirs := table["nheko"].get(key))
        }
        if row["shown_ms"] and row["raw_nio_shown_ms"]:
            ratios[client]["shown_vs_raw_nio"] = round(row["shown_ms"] / row["raw_nio_shown_ms"], 2)
    ours = [c for c in runs if c != "nheko"]
    print()
    print(
        f"{'median of the runs':<44}{'Nheko':>10}" + "".join(f"{c:>10}{'ratio':>8}" for c in ours)
    )
    for key, label in LABELS:
        line = f"{label:<44}{_cell(table['nheko'].get(key))}"
        for client in ours:
            ratio = ratios[client].get(key if key != "raw_nio_shown_ms" else "shown_vs_raw_nio")
            line += _cell(table[client].get(key)) + (f"{ratio:.2f}×" if ratio else "—").rjust(8)
        print(line)
    return {"medians": table, "ratios": ratios, "each": runs}


def _cell(value: float | None) -> str:
    return f"{value:>10.3f}" if value is not None else f"{'—':>10}"


LABELS = (
    ("first_ready_s", "first start → room list painted (s)"),
    ("warm_ready_s", "warm restart → room list painted (s)"),
    ("first_cpu_s", "CPU to get there, first start (s)"),
    ("warm_cpu_s", "CPU to get there, warm restart (s)"),
    ("rss_mb", "RSS after settle (MB)"),
    ("pss_mb", "PSS after settle (MB)"),
    ("uss_mb", "USS after settle (MB)"),
    ("shown_ms", "message → shown (ms) (Nheko: not observed)"),
    ("raw_nio_shown_ms", "  raw matrix-nio, same messages (ms); ratio"),
)


def main(argv: list[str] | None = None) -> int:
    args = nheko_driver.comparison_args(
        "python -m bench.versus_nheko",
        __doc__,
        argv,
        rooms=5,
        messages=400,
        settle=10.0,
        settle_help="seconds before memory",
        probes=5,
    )
    if not nheko_driver.ready_to_compare():
        return 2
    with running_homeserver("versus") as (server, work), nheko_driver.xvfb(work.parent) as display:
        result = asyncio.run(bench(server, work, display, args))
    emit_json("versus_nheko", {"rooms": args.rooms, "messages": args.messages, **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
