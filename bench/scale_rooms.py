"""A ministry-sized account: restart, opening rooms and memory at 400 rooms / 1M events.

Why: a crisis centre keeps every session it ever convened (50 sessions of a space and
seven rooms), and the archive keeps every event for the public record. The app must
open as fast on that account as on a fresh one: the room list painted within 2 s of a
restart, any room open within 200 ms, memory growing slower than the room count.

How the account is built: a real account on the embedded Synapse (its stored login is
real, so a restart checks it and syncs as usual), but its history is written straight
into its archive through the store layer (``Archive.save_sync_batch``, hash chain and
search index included), not sent through the server: a million events through Synapse
would take hours. Rows are what a sync would archive: per room its state (create,
encryption, power levels, members, name, space links; and, unless ``--plain-spaces``,
what makes each space a session: its session state, everyone's role in the space and
its rooms, the delegation rooms' ids, so a restart rebuilds 50 sessions' rosters) and
m.room.encrypted messages from the session's members, decrypted to text of ordinary
lengths, with a ciphertext source of the size Megolm gives that text. The server does
not know these rooms; the app shows what its archive holds, as it does offline.

Measured, in this order, growing one archive in steps of ``--step`` rooms:
- restart -> room list painted: the real GUI in a new process (``bench._startup_probe``),
  median of ``--runs`` starts, and its CPU seconds by then;
- memory: RSS / USS of that process ``--settle`` s after the list is painted and the
  backend signed in (the list is painted first, from the archive, while the backend
  starts: on a loaded machine a fixed wait after the list could read the process before
  it had loaded nio); reported per 100 rooms as the slope between the smallest and the
  largest step;
- opening a room (at the largest step), as a user does: in the last restart of the
  real GUI, after the memory reading, ``--opens`` rooms at random clicked in the painted
  room list, each timed from the click to the end of the first timeline paint holding
  that room's newest message (``bench._room_opens``; the first open is cold); the median
  and the worst;
- and, for comparison with earlier sessions, the archive read alone: ``load_room`` and
  the timeline model's ``load`` of its result, in this process, for as many rooms.

The archive is encrypted at rest as the app keeps it (opened through ``open_archive``
with the account's key), so a restart reads it as a user's would. With ``--baseline DIR``
(another checkout) each step restarts that checkout's app on the same archive too,
alternating with this one, both timed by this checkout's probe.

Run: ``python -m bench.scale_rooms [--sessions 50] [--events 1000000] [--baseline DIR]``
(minutes; the account is built once per run and deleted after). With ``--keep DIR`` it
is built there and kept: a second run with the same sizes and ``DIR`` skips the build
and measures the full size only (no memory slope then).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.services.preview import load_room
from app.store import Archive, Outbox
from bench.common import compile_app, emit_json, quiet_environment, running_homeserver
from bench.scale_account import ROOMS_PER_SESSION, Built, build_or_reuse, open_account_archive

REPO = Path(__file__).resolve().parent.parent


def memory(pid: int) -> dict[str, float]:
    kb: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        kb[name] = int(value.split()[0])
    return {
        "rss": round(kb["Rss"] / 1024, 1),
        "uss": round((kb["Private_Clean"] + kb["Private_Dirty"]) / 1024, 1),
    }


def restart(tree: Path, data: DataDir, built: Built, settle: float, opens: int = 0) -> dict:
    """One start of ``tree``'s GUI until its room list is painted (and memory after settle),
    timed by this checkout's probe (``-P``: its folder stays off ``sys.path``); then, if
    ``opens``, that many rooms opened by clicks in the list (``bench._room_opens``)."""
    signals = Path(tempfile.mkdtemp(prefix="oor-scale-"))
    stop, go, rooms_file = signals / "stop", signals / "open", signals / "rooms.json"
    rooms_file.write_text(json.dumps(built.newest_by_room))
    env = dict(os.environ, OOR_CREDENTIALS="file", QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = str(tree)
    t0 = time.time()
    probe = str(REPO / "bench" / "_startup_probe.py")
    command = [sys.executable, "-P", probe, "--data-dir", str(data.root)]
    command += ["--t0", repr(t0), "--expect-body", built.newest_body, "--hold", str(stop)]
    command += ["--open-rooms", str(rooms_file), "--opens", str(opens), "--open-when", str(go)]
    proc = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        seen: dict[str, Any] = {}
        for line in proc.stdout:  # the list painted, and the backend up (it may come later)
            if line.startswith(('{"ready"', '{"logged_in"')):
                seen |= json.loads(line)
            if {"ready", "logged_in"} <= seen.keys():
                break
        else:
            raise RuntimeError(f"the app ended before its room list was painted ({proc.wait()})")
        time.sleep(settle)
        result = {"ready_s": seen["ready"], "cpu_s": seen["cpu_s"], **memory(proc.pid)}
        if opens:
            go.touch()
            result["opens"] = next(
                json.loads(line)["opens"] for line in proc.stdout if line.startswith('{"opens"')
            )
    finally:
        stop.touch()
        proc.communicate(timeout=60)
        shutil.rmtree(signals, ignore_errors=True)
    return result


def gui_opens(opened: list[dict[str, Any]]) -> dict[str, Any]:
    """Click -> painted, over the rooms opened in one process (the first one cold)."""
    times, cpu = [o["ms"] for o in opened], [o["cpu_ms"] for o in opened]
    ui = [o["ui_cpu_ms"] for o in opened]
    return {
        "gui_open_n": len(times),
        "gui_open_first_ms": times[0],
        "gui_open_median_ms": round(statistics.median(times), 1),
        "gui_open_max_ms": max(times),
        "gui_open_cpu_first_ms": cpu[0],
        "gui_open_cpu_median_ms": round(statistics.median(cpu), 1),
        "gui_open_cpu_max_ms": max(cpu),
        "gui_open_ui_cpu_median_ms": round(statistics.median(ui), 1),
        "gui_open_timed_out": sum(o["timed_out"] for o in opened),
    }


def open_rooms(data: DataDir, user_id: str, count: int) -> dict[str, float]:
    """Time the archive read a room opens with, and the timeline model taking it in."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.ui.timeline.model import TimelineModel

    app = QApplication.instance() or QApplication([])
    engine, outbox_engine = open_account_archive(data, user_id)
    archive, outbox = Archive(engine, user_id), Outbox(outbox_engine)
    talk = [r.room_id for r in archive.rooms() if not r.is_space]
    reads, loads = [], []
    for room_id in random.Random(7).sample(talk, min(count, len(talk))):
        started = time.perf_counter()
        loaded = load_room(archive, outbox, room_id)
        read = time.perf_counter()
        model = TimelineModel(user_id)
        model.load(loaded)
        reads.append((read - started) * 1000)
        loads.append((time.perf_counter() - read) * 1000)
    engine.dispose()
    outbox_engine.dispose()
    del app
    total = [r + m for r, m in zip(reads, loads, strict=True)]
    return {
        "read_median_ms": round(statistics.median(reads), 1),
        "model_median_ms": round(statistics.median(loads), 1),
        "open_median_ms": round(statistics.median(total), 1),
        "open_max_ms": round(max(total), 1),
    }


def load() -> str:
    """The box's load averages (1, 5, 15 min): every figure here is read beside them."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


async def bench(server: EmbeddedHomeserver, work: Path, args: argparse.Namespace) -> dict:
    data, sizes = await build_or_reuse(server, work, args)
    trees = {"ours": REPO, **({"baseline": Path(args.baseline)} if args.baseline else {})}
    for tree in trees.values():
        compile_app(tree)
    measured: list[dict[str, Any]] = []
    clicked: list[dict[str, Any]] = []
    for sessions, built in sizes:
        last = sessions == args.sessions
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        row: dict[str, Any] = {"rooms": sessions * ROOMS_PER_SESSION, "events": built.events}
        row["load_before"] = load()
        for run in range(args.runs):  # alternating, so both see the same load
            for name, tree in trees.items():
                opens = args.opens if last and name == "ours" and run == args.runs - 1 else 0
                runs[name].append(restart(tree, data, built, args.settle, opens))
        row["load_after"] = load()
        for name, done_runs in runs.items():
            prefix = "" if name == "ours" else f"{name}_"
            for key, field, digits in (
                ("ready_s", "ready_s", 3),
                ("cpu_s", "cpu_s", 3),
                ("rss_mb", "rss", 1),
                ("uss_mb", "uss", 1),
            ):
                row[prefix + key] = round(statistics.median(r[field] for r in done_runs), digits)
            row[prefix + "ready_all_s"] = [r["ready_s"] for r in done_runs]
            row[prefix + "cpu_all_s"] = [r["cpu_s"] for r in done_runs]
            print(
                f"  {name}: restart -> room list painted {row[prefix + 'ready_s']:.3f} s "
                f"(CPU {row[prefix + 'cpu_s']:.2f} s), RSS {row[prefix + 'rss_mb']} MB, "
                f"USS {row[prefix + 'uss_mb']} MB  [load {row['load_after']}]",
                flush=True,
            )
        clicked = next((r["opens"] for r in runs["ours"] if "opens" in r), clicked)
        measured.append(row)
    opened = open_rooms(data, built.user_id, args.opens) if args.opens else {}
    if clicked:
        opened |= gui_opens(clicked)
    first, last_row = measured[0], measured[-1]
    span = (last_row["rooms"] - first["rooms"]) / 100
    per_100 = {
        k: round((last_row[k] - first[k]) / span, 2) if span else None for k in ("rss_mb", "uss_mb")
    }
    print()
    print(f"{last_row['rooms']} rooms, {last_row['events']:,} archived events (load {load()})")
    print(f"restart -> room list painted: {last_row['ready_s']:.3f} s (goal <= 2 s)")
    if "baseline_ready_s" in last_row:
        print(
            f"baseline, same archive and runs: {last_row['baseline_ready_s']:.3f} s "
            f"(CPU {last_row['baseline_cpu_s']:.2f} s; ours {last_row['cpu_s']:.2f} s)"
        )
    if clicked:
        print(
            f"opening a room in the GUI (click -> its messages painted, {len(clicked)} rooms, "
            f"first {opened['gui_open_first_ms']} ms cold): median "
            f"{opened['gui_open_median_ms']} ms, worst {opened['gui_open_max_ms']} ms "
            f"(goal <= 200 ms; {opened['gui_open_timed_out']} timed out); the process's CPU "
            f"meanwhile: median {opened['gui_open_cpu_median_ms']} ms, worst "
            f"{opened['gui_open_cpu_max_ms']} ms, first {opened['gui_open_cpu_first_ms']} ms "
            f"(UI thread median {opened['gui_open_ui_cpu_median_ms']} ms)"
        )
    if opened:
        print(
            f"archive read + timeline model alone: median {opened['open_median_ms']} ms, worst "
            f"{opened['open_max_ms']} ms (read {opened['read_median_ms']} ms + model "
            f"{opened['model_median_ms']} ms)"
        )
    if span:
        print(f"memory per 100 rooms: RSS +{per_100['rss_mb']} MB, USS +{per_100['uss_mb']} MB")
    return {"steps": measured, "open": opened, "gui_opens": clicked, "per_100_rooms_mb": per_100}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_rooms", description=__doc__)
    parser.add_argument("--sessions", type=int, default=50, help="a space and 7 rooms each")
    parser.add_argument("--events", type=int, default=1_000_000, help="archived events in all")
    parser.add_argument("--step", type=int, default=100, help="rooms added between measures")
    parser.add_argument("--runs", type=int, default=3, help="restarts per step")
    parser.add_argument("--opens", type=int, default=24, help="rooms opened at the end")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds before memory")
    parser.add_argument("--baseline", help="another checkout of the app, restarted alongside")
    parser.add_argument(
        "--plain-spaces",
        action="store_true",
        help="spaces without session state (as before session 8): no rosters to rebuild",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the account in this dir and keep it; a later run with the same sizes "
        "reuses it and measures its full size only (delete the dir when done)",
    )
    args = parser.parse_args(argv)
    quiet_environment()
    with running_homeserver("scale-rooms", args.keep) as (server, work):
        result = asyncio.run(bench(server, work, args))
    emit_json("scale_rooms", {"sessions": args.sessions, "events": args.events, **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
