"""First starts of this checkout and another, alternated, with the start path timed.

``bench.versus_nheko`` says how long a first start takes (process start → room list
painted); this says where that time goes, so a change to the start path can be judged
against the checkout it changes. Each run is a new device of one account (a stored
login, nothing synced, as ``versus_nheko`` makes it), started through the real GUI by
``bench/_startup_probe.py`` wrapped in ``bench/_first_start_trace.py``, which marks
imports (nio, aiohttp, SQLAlchemy, keyring, on which thread) and calls of the start path
(the window's construction, the first sync's answer read for the list shown before nio,
the backend's start, the login check, nio's first sync request to its answer processed,
the archive's opening).

Under Xvfb with the xcb platform when ``Xvfb`` is installed (as ``versus_nheko`` runs
it), offscreen otherwise. Prints one line per run, the medians per checkout, and one
JSON line. A busy machine moves every figure: alternate, read the medians and ratios,
and say what the load was (each run prints it).

    python -m bench.first_start --runs 5 --baseline /work/main
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import nheko_driver
from bench.common import compile_app, emit_json, quiet_environment, running_homeserver, stored_login
from bench.versus_nheko import prepare

REPO = Path(__file__).resolve().parent.parent
TRACE = REPO / "bench" / "_first_start_trace.py"
FIGURES = (
    "window_painted",
    "answer_read",
    "look_s",
    "nio_imported",
    "backend_started",
    "sync_s",
    "list_painted",
    "cpu_s",
)


def figures(probe: dict[str, Any], marks: list[list[Any]]) -> dict[str, float | None]:
    """One run's figures (seconds since the process was started) from its marks."""

    def first(label: str) -> float | None:
        return next((m[0] for m in marks if m[3] == label), None)

    sync_sent, sync_done = first("AsyncClient.sync >"), first("AsyncClient.sync <")
    look, looked = first("FirstList.look >"), first("FirstList.look <")
    return {
        "window_painted": probe["marks"].get("window_painted"),
        "answer_read": first("FirstList._announce <"),  # announced from the raw answer
        "look_s": round(looked - look, 4) if look and looked else None,
        "nio_imported": first("import nio <"),
        "backend_started": first("Backend.start >"),
        "sync_s": round(sync_done - sync_sent, 4) if sync_sent and sync_done else None,
        "list_painted": probe["marks"].get("room_list_painted"),
        "cpu_s": probe["cpu_marks"].get("room_list_painted"),
    }


def run_once(repo: Path, data_dir: Path, display: str | None, out: Path) -> dict[str, Any]:
    """One first start of ``repo``'s app, quit once the room list is painted."""
    env = dict(os.environ, OOR_CREDENTIALS="file", PYTHONPATH=str(repo), OOR_TRACE_OUT=str(out))
    env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"} if display else {})
    started = time.time()
    command = [sys.executable, "-P", str(TRACE), "--data-dir", str(data_dir)]
    command += ["--t0", repr(started), "--expect-body", "", "--hold", str(out) + ".stop"]
    proc = subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    probe: dict[str, Any] = {}
    for line in proc.stdout:
        if line.startswith('{"ready"'):
            Path(str(out) + ".stop").touch()  # painted: the probe quits at its next check
        elif line.startswith('{"timed_out"'):
            probe = json.loads(line)
    proc.wait(60)
    if not probe.get("marks", {}).get("room_list_painted"):
        raise RuntimeError(f"{repo}: no room list painted ({probe})")
    return figures(probe, json.loads(out.read_text()))


@contextlib.contextmanager
def screen(work: Path) -> Iterator[str | None]:
    """An Xvfb display if Xvfb is installed, else None (offscreen)."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    with nheko_driver.xvfb(work) as display:
        yield display.name


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    trees = {"ours": REPO, **({"baseline": Path(args.baseline)} if args.baseline else {})}
    for repo in trees.values():
        compile_app(repo)
    runs: dict[str, list[dict[str, float | None]]] = {name: [] for name in trees}
    with running_homeserver("first-start") as (server, work), screen(work.parent) as display:
        owner, _third, _room = await prepare(server, work, args.rooms, args.messages)
        for index in range(args.runs):
            order = list(trees.items())
            for name, repo in order if index % 2 == 0 else reversed(order):
                data = (await stored_login(server, work / f"{name}-{index}", owner)).root
                out = work / f"{name}-{index}.trace.json"
                result = await asyncio.to_thread(run_once, repo, data, display, out)
                result["load"] = round(os.getloadavg()[0], 2)
                runs[name].append(result)
                print(name, index + 1, json.dumps(result), flush=True)
    medians = {
        name: {
            key: round(statistics.median(v), 3) if (v := [r[key] for r in rs if r[key]]) else None
            for key in (*FIGURES, "load")
        }
        for name, rs in runs.items()
    }
    for name, values in medians.items():
        print(f"median {name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))
    return {"medians": medians, "each": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_start", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument("--messages", type=int, default=20, help="messages per room")
    parser.add_argument("--baseline", help="another checkout of the app, timed alongside")
    args = parser.parse_args(argv)
    quiet_environment()
    for name in ("nio", "nio.crypto.log"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    result = asyncio.run(bench(args))
    emit_json("first_start", {"rooms": args.rooms, "messages": args.messages, **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
