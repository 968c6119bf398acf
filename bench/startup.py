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

With ``--sessions N`` the account has first convened N crisis sessions (another account
an official in each), as a facilitator's has: the list then holds their spaces and rooms,
grouped by their rosters. With ``--baseline DIR`` another checkout's app is started on its
own copy of the same data dir (a newer schema would be refused by an older release),
alternating run by run with this one, and the ratios are printed; ``--warmup`` starts
each tree that often before the timed runs (a first start may migrate its archive).

Run: ``python -m bench.startup [--runs 5] [--messages 200] [--sessions 0]
[--baseline DIR] [--warmup 0]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.core.paths import DataDir
from app.core.roles import Role
from app.core.session import Blueprint, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.notices import RosterChanged
from app.services.sessions import Sessions
from app.store import CredentialStore
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
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
    server: EmbeddedHomeserver, work: Path, messages: int, extra_rooms: int, sessions: int = 0
) -> Prepared:
    """A data dir whose account convened ``sessions`` sessions and whose newest room holds
    ``messages`` messages, then shut down."""
    async with contextlib.AsyncExitStack() as cleanup:  # ordered shutdown of both, always
        peers = []
        for name in ("app", "peer"):
            account = await asyncio.to_thread(new_account, server, f"startup-{name}")
            peer = ServicePeer(work / name, account)
            cleanup.push_async_callback(peer.close)
            peers.append(await peer.login(server))
        owner, other = peers
        if sessions:
            await convene_sessions(owner, other, sessions)
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


async def convene_sessions(owner: ServicePeer, other: ServicePeer, count: int) -> None:
    """``count`` sessions convened by the owner, ``other`` an official in each; returns
    once the owner has archived each one's encrypted details (its title is known)."""
    titles = {f"Crisis {index + 1}" for index in range(count)}
    for title in sorted(titles):
        participants = (Participant(other.user_id, Role.OFFICIAL),)
        blueprint = Blueprint(title, "evacuation", "Africa/Cairo", participants=participants)
        await Sessions.of(owner.account).convene(blueprint)

    def all_titled() -> bool:
        rosters = (n.roster.session for n in owner.notices if isinstance(n, RosterChanged))
        return titles <= {info.title for info in rosters if info.details_known}

    await owner.wait_for(all_titled, f"{count} sessions' details at the owner")


def run_probe(prepared: Prepared, tree: Path = REPO) -> dict[str, Any]:
    """One cold start of ``tree``'s GUI in a new process, timed by this checkout's probe
    (``-P``: its folder stays off ``sys.path``); its JSON line, or why there is none."""
    env = dict(os.environ, OOR_CREDENTIALS="file", PYTHONPATH=str(tree))
    options = ["--data-dir", str(prepared.data_dir), "--expect-body", prepared.newest_body]
    options += ["--timeout", str(PROBE_SECONDS - 20)]
    probe = str(REPO / "bench" / "_startup_probe.py")
    t0 = time.time()  # the clock starts here: process creation counts
    command = [sys.executable, "-P", probe, *options, "--t0", repr(t0)]
    proc = subprocess.Popen(
        command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
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
    parser.add_argument("--sessions", type=int, default=0, help="sessions the account convened")
    parser.add_argument("--baseline", help="another checkout of the app, started alongside")
    parser.add_argument("--warmup", type=int, default=0, help="untimed starts of each tree")
    args = parser.parse_args(argv)
    quiet_environment()  # the probe inherits it
    trees = {"ours": REPO, **({"baseline": Path(args.baseline)} if args.baseline else {})}
    with running_homeserver("startup") as (server, work):
        started = time.perf_counter()
        prepared = asyncio.run(
            prepare(server, work, args.messages, args.extra_rooms, args.sessions)
        )
        print(f"data dir prepared in {time.perf_counter() - started:.1f} s", flush=True)
        copies = {}
        for name, tree in trees.items():
            compile_app(tree)
            copy = prepared.data_dir.with_name(f"app-{name}")
            shutil.copytree(prepared.data_dir, copy, symlinks=True)
            at_schema_of(tree, copy)
            copies[name] = replace(prepared, data_dir=copy)
            for _ in range(args.warmup):
                run_probe(copies[name], tree)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for index in range(args.runs):  # alternating, so each tree sees the same load
            for name, tree in trees.items():
                runs[name].append(run_probe(copies[name], tree))
                final = runs[name][-1].get("marks", {}).get("room_list_painted")
                done = f"{final:.3f} s" if final is not None else "no result"
                print(f"run {index + 1}/{args.runs} {name}: list painted {done}", flush=True)
    results = {}
    for name, tree in trees.items():
        print(f"\n== {name} ({tree})")
        results[name] = report(runs[name], prepared)
    payload = {"sessions": args.sessions, "load": os.getloadavg(), **results["ours"]}
    if "baseline" in results:
        payload["baseline"] = results["baseline"]
        payload["ratio"] = ratios(results["ours"], results["baseline"])
        print(f"\nours / baseline: {payload['ratio']}")
    print(f"load average now: {payload['load']}")
    emit_json("startup", payload)
    return 0


def at_schema_of(tree: Path, root: Path) -> None:
    """Step the archive in the data dir ``root`` back to ``tree``'s newest schema (this
    checkout prepared it at its own): an older release refuses a newer schema."""
    from alembic import command

    from app.store.database import alembic_config

    versions = tree / "app" / "store" / "migrations" / "versions"
    head = max(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py"))
    creds = CredentialStore(root).load()
    assert creds is not None, "the prepared data dir keeps its login"
    data = DataDir(root)
    keys = ArchiveKeys(data.account(creds.user_id), creds.user_id)
    engine, outbox, _key = open_archive(data.archive(creds.user_id), keys, lambda _d, _t: None)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), head)
    finally:
        engine.dispose()
        outbox.dispose()


def ratios(ours: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float | None]:
    """This tree's medians over the baseline's, for the figures a restart is judged by."""
    keys = ("first_room_list_s", "room_list_cpu_s", "last_room_messages_painted_s")
    return {
        key: round(ours[key] / baseline[key], 3) if ours[key] and baseline[key] else None
        for key in keys
    }


if __name__ == "__main__":
    raise SystemExit(main())
