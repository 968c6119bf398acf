"""Opening a room of 200 long rows: the UI thread's CPU from the loaded page arriving to
the first paint of its bottom screen, A/B between source trees.

Why: issue 16 wants any room open in 200 ms at a ministry's scale, and the view used to
measure every loaded row (a text layout each) before painting the ~12 it shows. Each tree
runs in its own process (``PYTHONPATH`` switched), alternating, so both see the same load
on a shared machine. Per open, in a ``WorkspaceView`` 700x800 offscreen: ``first paint``
is ``apply_room_loaded`` plus a synchronous repaint of the timeline (what the event loop
does next); ``settled`` adds the event-loop turns after it (rows measured while idle).
CPU is ``time.thread_time`` of the UI thread.

Run: ``python -m bench.timeline_open [--trees . /work/main] [--rounds 5] [--opens 8]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import emit_json, quiet_environment

ROOM = "!ops:bench.example"
ROWS = 200


def _open_room_figures(opens: int) -> dict[str, list[float]]:
    """In this process (one tree): open the room ``opens`` times with fresh rows."""
    from PySide6.QtWidgets import QApplication

    from app.core.records import RoomEvent, RoomSummary
    from app.services.notices import RoomLoaded, RoomsChanged
    from app.ui.shell.workspace_view import WorkspaceView

    app = QApplication.instance() or QApplication(sys.argv)
    view = WorkspaceView()
    view.resize(700, 800)
    view.show()
    view.set_user("@me:bench.example")
    view.apply_rooms(RoomsChanged((RoomSummary(ROOM, "Operations"),)))
    app.processEvents()

    def event(n: int, open_no: int) -> RoomEvent:
        words = "the convoy holds at the bridge " if n % 3 else "القافلة متوقفة عند الجسر "
        body = f"{open_no}/{n}: " + words * (1 + n % 7 * 2)
        content = {"msgtype": "m.text", "body": body}
        who = f"@person{n % 4}:bench.example"
        return RoomEvent(f"$o{open_no}e{n}", ROOM, who, "m.room.message", n * 60_000, content)

    first, settled = [], []
    for open_no in range(opens + 1):  # the first open warms caches and imports: dropped
        events = tuple(event(n, open_no) for n in range(ROWS))
        start = time.thread_time()
        view.apply_room_loaded(RoomLoaded(ROOM, events, ()))
        view.timeline_view.viewport().repaint()
        painted = time.thread_time()
        for _ in range(60):
            app.processEvents()
        done = time.thread_time()
        if open_no:
            first.append((painted - start) * 1000)
            settled.append((done - start) * 1000)
    return {"first_paint_ms": first, "settled_ms": settled}


def _child(opens: int) -> None:
    quiet_environment()
    figures = _open_room_figures(opens)
    print(" ".join(f"{k}={','.join(f'{v:.2f}' for v in vs)}" for k, vs in figures.items()))


def _run(tree: Path, opens: int) -> dict[str, list[float]]:
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}
    script = Path(__file__).resolve()
    out = (
        subprocess.run(
            [sys.executable, str(script), "--child", "--opens", str(opens)],
            env=env,
            cwd=tree,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return {
        key: [float(v) for v in values.split(",")]
        for key, values in (part.split("=") for part in out.split())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", nargs="+", default=[".", "/work/main"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--opens", type=int, default=8)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.opens)
        return
    trees = [Path(t).resolve() for t in args.trees]
    results: dict[str, dict[str, list[float]]] = {str(t): {} for t in trees}
    for _ in range(args.rounds):
        for tree in trees:
            for key, values in _run(tree, args.opens).items():
                results[str(tree)].setdefault(key, []).extend(values)
    load = os.getloadavg()
    summary: dict[str, dict[str, float]] = {}
    for tree, figures in results.items():
        summary[tree] = {k: round(statistics.median(v), 2) for k, v in figures.items()}
        shown = ", ".join(f"{k} median {v} ms" for k, v in summary[tree].items())
        print(f"{tree}: {shown} ({len(figures['first_paint_ms'])} opens of {ROWS} rows)")
    base = summary[str(trees[-1])]
    for tree in trees[:-1]:
        ratio = summary[str(tree)]["first_paint_ms"] / base["first_paint_ms"]
        print(f"{tree} / {trees[-1]}: first paint x{ratio:.2f}")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    emit_json("timeline_open", {"rows": ROWS, "medians": summary, "load": round(load[0], 2)})


if __name__ == "__main__":
    main()
