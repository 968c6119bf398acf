"""Time from process start to a painted main window showing the last room's messages.

Why: in a crisis the app is opened in a hurry, often by someone who closed it an hour
ago. What counts is when the newest messages of the last room are on screen, not when a
window frame appears.

Outside the timed part, one data dir is prepared through the app's services: a logged-in
account with a few rooms, the newest holding ``--messages`` encrypted messages from two
people, then an ordered shutdown. Each run then starts a fresh Python process
(``python -m bench._startup_probe``) that runs the real GUI (``run_gui``, stored login
restored, homeserver already up) and reports milestones relative to ``time.time()``
taken here just before ``Popen``. The same data dir is reused run after run, as when a
user reopens the app, so run 1 may pay for cold file caches.

Run: ``python -m bench.startup [--runs 5] [--messages 200]``.
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
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.homeserver import EmbeddedHomeserver
from bench.common import (
    ServicePeer,
    compile_app,
    emit_json,
    encrypted_room,
    new_account,
    nonce,
    quiet_environment,
    running_homeserver,
)

REPO = Path(__file__).resolve().parent.parent
PROBE_SECONDS = 90.0
OPEN_LIMIT = 200  # AccountService.open_room loads at most this many events
# Printed in this order; the last is the figure the benchmark is about.
MILESTONES = (
    ("interpreter_ready", "python up"),
    ("imports_done", "Qt + app imported"),
    ("event_loop_started", "event loop running"),
    ("window_painted", "window shown (painted)"),
    ("logged_in", "stored login restored"),
    ("rooms_changed", "room list received"),
    ("room_list_painted", "room list painted"),
    ("room_loaded", "last room loaded"),
    ("messages_painted", "last room's messages painted"),
)


@dataclass(frozen=True)
class Prepared:
    data_dir: Path
    newest_body: str
    messages: int


async def prepare(
    server: EmbeddedHomeserver, work: Path, messages: int, extra_rooms: int
) -> Prepared:
    """A data dir whose account's newest room holds ``messages`` messages, then shut down."""
    async with contextlib.AsyncExitStack() as cleanup:  # ordered shutdown of both, always
        peers = []
        for name in ("app", "peer"):
            account = await asyncio.to_thread(new_account, server, f"startup-{name}")
            peer = ServicePeer(work / name, account)
            cleanup.push_async_callback(peer.close)
            peers.append(await peer.login(server))
        owner, other = peers
        for index in range(extra_rooms):  # older rooms, so the list has more than one
            await owner.account.create_room(f"Earlier exercise {index + 1}")
        room_id = await encrypted_room(owner, other, "Evacuation cell")
        bodies = [nonce("startup", i) for i in range(messages - 1)]
        for index, body in enumerate(bodies):  # queued at once; each outbox sends in order
            await (owner if index % 2 else other).account.send_text(room_id, body)
        await owner.wait_for(
            lambda: owner.texts(room_id) >= set(bodies) and not owner.unsent(),
            f"{len(bodies)} messages at the owner",
            seconds=150,
        )
        await other.wait_for(lambda: not other.unsent(), "the peer's outbox to empty")
        newest = nonce("newest", messages)  # sent last, alone: certainly the newest
        await other.account.send_text(room_id, newest)
        await owner.wait_for(lambda: newest in owner.texts(room_id), "the newest message")
        await other.wait_for(lambda: not other.unsent(), "the newest message to be sent")
    return Prepared(work / "app", newest, messages)


def run_probe(prepared: Prepared) -> dict[str, Any]:
    """One cold start of the GUI in a new process; its JSON line, or why there is none."""
    env = dict(os.environ, OOR_CREDENTIALS="file")
    options = ["--data-dir", str(prepared.data_dir), "--expect-body", prepared.newest_body]
    options += ["--timeout", str(PROBE_SECONDS - 20)]
    t0 = time.time()  # the clock starts here: process creation counts
    command = [sys.executable, "-m", "bench._startup_probe", *options, "--t0", repr(t0)]
    proc = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return {"error": "probe did not finish", "stderr": err[-2000:]}
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": f"probe exit code {proc.returncode}", "stderr": err[-2000:]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def report(runs: list[dict[str, Any]], prepared: Prepared) -> dict[str, Any]:
    """Each run's milestones in seconds, then the medians over the runs that finished."""
    good = [r for r in runs if "marks" in r and not r.get("timed_out")]
    print()
    print(
        f"startup to the last room's messages ({prepared.messages} messages in it), "
        f"{len(good)} of {len(runs)} runs complete; seconds since the parent's Popen"
    )
    header = "".join(f"   run{i + 1:>2}" for i in range(len(runs)))
    print(f"{'milestone':<30}{'median':>8}{header}")
    medians: dict[str, float | None] = {}
    for key, label in MILESTONES:
        cells = [r.get("marks", {}).get(key) for r in runs]
        values = [v for r in good if (v := r["marks"].get(key)) is not None]
        medians[key] = round(statistics.median(values), 3) if values else None
        shown = "".join(f"{v:8.3f}" if v is not None else "       —" for v in cells)
        median = f"{medians[key]:8.3f}" if medians[key] is not None else "       —"
        print(f"{label:<30}{median}{shown}")
    cpu = [c for r in good if (c := r.get("cpu_marks", {}).get("room_list_painted")) is not None]
    if cpu:
        print(f"{'(CPU s by room list painted)':<30}{statistics.median(cpu):8.3f}")
    shutdowns = [r["shutdown_s"] for r in good if r.get("shutdown_s") is not None]
    if shutdowns:
        print(
            f"{'(ordered shutdown after)':<30}{statistics.median(shutdowns):8.3f}"
            + "".join(f"{v:8.3f}" for v in shutdowns)
        )
    for index, run in enumerate(runs, 1):
        if "error" in run or run.get("timed_out"):
            print(f"run {index} failed: {run.get('error', 'timed out')}\n{run.get('stderr', '')}")
        for problem in run.get("problems", []):
            print(f"run {index} problem shown in the window: {problem}")
        if "message_rows" in run and run["message_rows"] < min(prepared.messages, OPEN_LIMIT):
            print(f"run {index}: only {run['message_rows']} message rows were shown")
    return {
        "messages": prepared.messages,
        "runs": len(runs),
        "complete": len(good),
        "median_s": medians,
        "window_shown_s": medians["window_painted"],
        "first_room_list_s": medians["room_list_painted"],
        "room_list_cpu_s": round(statistics.median(cpu), 3) if cpu else None,
        "last_room_messages_painted_s": medians["messages_painted"],
        "shutdown_median_s": round(statistics.median(shutdowns), 3) if shutdowns else None,
        "each": [
            {
                "marks": r.get("marks"),
                "cpu_marks": r.get("cpu_marks"),
                "message_rows": r.get("message_rows"),
                "shutdown_s": r.get("shutdown_s"),
                "error": r.get("error") or ("timed out" if r.get("timed_out") else None),
            }
            for r in runs
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--messages", type=int, default=200, help="messages in the last room")
    parser.add_argument("--extra-rooms", type=int, default=2, help="older rooms in the list")
    args = parser.parse_args(argv)
    quiet_environment()  # the probe inherits it
    with running_homeserver("startup") as (server, work):
        started = time.perf_counter()
        prepared = asyncio.run(prepare(server, work, args.messages, args.extra_rooms))
        print(f"data dir prepared in {time.perf_counter() - started:.1f} s", flush=True)
        compile_app(REPO)
        runs = []
        for index in range(args.runs):
            runs.append(run_probe(prepared))
            final = runs[-1].get("marks", {}).get("messages_painted")
            done = f"{final:.3f} s" if final is not None else "no result"
            print(f"run {index + 1}/{args.runs}: {done}", flush=True)
    emit_json("startup", report(runs, prepared))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
