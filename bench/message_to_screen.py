"""Message from another client → shown, step by step, against a raw matrix-nio receiver.

``bench.versus_nheko``'s message probe without Nheko and without timed first starts, with
``bench._shown_trace`` in the app: where the time between a plain nio client's send and
our timeline row's paint goes (nio, the store call, the hop to the loop, the bridge, the
UI thread, the paint), for this tree and optionally a ``--baseline`` tree, alternating
warm runs on one Xvfb, as medians of each step's time since the send. The raw nio
receiver (in this process) times the same messages.

Run: ``python -m bench.message_to_screen [--runs 3] [--probes 12] [--baseline DIR]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from app.homeserver import EmbeddedHomeserver
from bench import nheko_driver
from bench.common import compile_app, emit_json, running_homeserver, stored_login
from bench.versus_nheko import REPO, Messages, prepare, run_ours

STEPS = (
    *("http", "parsed", "nio", "batch", "store", "announce", "loop", "emit", "ui", "apply"),
    *("paint_now", "paint", "paint_end", "paint_now_end", "apply_end", "ui_end", "shown"),
)
CPU_SPANS = (  # on one thread each: the store thread's, then the UI thread's
    ("store", "announce"),
    ("ui", "shown"),
    ("apply", "paint_now"),
    ("paint_now", "paint_now_end"),
    ("ui_end", "shown"),
)


async def bench(
    server: EmbeddedHomeserver, work: Path, display: str, args: argparse.Namespace
) -> dict[str, Any]:
    owner, third, last_room = await prepare(server, work, args.rooms, args.messages)
    trees = {"ours": REPO, **({"baseline": Path(args.baseline)} if args.baseline else {})}
    for name, repo in trees.items():
        compile_app(repo)
        profile = (await stored_login(server, work / f"{name}-profile", owner)).root
        await run_ours(repo, profile, display, 0)  # the first sync: a warm profile after it
    messages = Messages(server, work, last_room)
    await messages.open(third, owner)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    try:
        for index in range(args.runs):
            order = list(trees.items()) if index % 2 == 0 else list(trees.items())[::-1]
            for name, repo in order:
                trace = work / f"trace-{name}-{index}.jsonl"
                os.environ["OOR_PROBE_TRACE"] = str(trace)
                sent: dict[str, float] = {}
                probe = _timed(messages, sent, args.probes)
                result = await run_ours(repo, work / f"{name}-profile", display, args.settle, probe)
                rows[name] += _rows(trace, sent, messages.arrived, result["shown_ms"])
            print(f"run {index + 1}/{args.runs} done", flush=True)
    finally:
        await messages.close()
    return {name: _summary(found) for name, found in rows.items()}


def _timed(messages: Messages, sent: dict[str, float], count: int) -> Any:
    """``Messages.send`` with each send's time kept by body."""
    original = messages.clients[0].room_send

    async def room_send(room_id: str, kind: str, content: dict, **kwargs: Any) -> Any:
        sent[content["body"]] = time.time()
        return await original(room_id, kind, content, **kwargs)

    async def probe(app: Any) -> dict[str, list[float]]:
        messages.clients[0].room_send = room_send  # type: ignore[method-assign]
        try:
            return await messages.send(app, count)
        finally:
            del messages.clients[0].room_send

    return probe


def _rows(
    trace: Path, sent: dict[str, float], raw: dict[str, float], shown: dict[str, list[float]]
) -> list[dict[str, Any]]:
    """Each counted message's steps in ms after its send (the first is not counted)."""
    if not trace.exists():
        return []
    found = []
    for line in trace.read_text().splitlines():
        data = json.loads(line)
        body = data["body"]
        if body not in sent or " #0 " in body or body not in raw:
            continue
        t0 = sent[body]
        steps = data["steps"]
        row = {k: (v - t0) * 1000 for k, v in steps.items() if not k.endswith("_cpu")}
        for first, last in CPU_SPANS:  # on one thread: not where a tree decides on the loop
            if f"{first}_cpu" in steps and f"{last}_cpu" in steps and steps[last] >= steps[first]:
                row[f"cpu {first}-{last}"] = (steps[f"{last}_cpu"] - steps[f"{first}_cpu"]) * 1000
        row["raw"] = (raw[body] - t0) * 1000
        row["notices"] = data["notices"]
        found.append(row)
    return found


SPANS = (  # per message, between two steps; a step a tree lacks leaves its span out
    ("http", "batch"),  # nio: parse and decrypt (the raw receiver does the same)
    ("batch", "announce"),  # judged, decided (on the store thread, or on the loop)
    ("announce", "ui"),  # to the UI thread (through the loop, or straight from the store)
    ("batch", "emit"),  # handed to Qt for the window: the same step in every tree
    ("emit", "ui"),  # the queued call reaches the UI thread
    ("ui", "paint_now_end"),  # applied and painted (the backing store flushed to X)
    ("paint_now_end", "shown"),  # until the probe's zero timer after the paint runs
    ("http", "shown"),  # all of ours after the response
    ("http", "raw"),  # the raw receiver's callback, after our response arrived
)


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of each step after the send, and of each span within a message; the gap
    to raw nio per message."""
    out: dict[str, Any] = {"messages": len(rows)}
    cpu = sorted({k for r in rows for k in r if k.startswith("cpu ")})
    for step in ("raw", *STEPS, *cpu):
        values = [r[step] for r in rows if step in r]
        if values:
            out[step] = round(statistics.median(values), 1)
    for first, last in SPANS:
        values = [r[last] - r[first] for r in rows if first in r and last in r]
        if values:
            out[f"{first}→{last}"] = round(statistics.median(values), 2)
    gaps = [r["shown"] - r["raw"] for r in rows if "shown" in r]
    ratios = [r["shown"] / r["raw"] for r in rows if "shown" in r and r["raw"] > 0]
    if gaps:
        out["gap"] = round(statistics.median(gaps), 1)
        out["paired"] = round(statistics.median(ratios), 3)
    kinds: dict[str, int] = {}
    for r in rows:
        for kind, _ms in r["notices"]:
            kinds[kind] = kinds.get(kind, 0) + 1
    out["notices_before_shown"] = kinds
    return out


def main(argv: list[str] | None = None) -> int:
    args = nheko_driver.comparison_args(
        "python -m bench.message_to_screen",
        __doc__,
        argv,
        rooms=3,
        messages=100,
        settle=5.0,
        settle_help="seconds before the probes",
        probes=12,
    )
    if not nheko_driver.ready_to_compare():
        return 2
    with running_homeserver("screen") as (server, work), nheko_driver.xvfb(work.parent) as display:
        work.mkdir(parents=True, exist_ok=True)
        result = asyncio.run(bench(server, work, display.name, args))
    for name, summary in result.items():
        steps = ", ".join(
            f"{k} {v}"
            for k, v in summary.items()
            if k not in ("messages", "gap", "paired", "notices_before_shown")
        )
        print(f"{name}: {summary['messages']} messages; ms after send: {steps}")
        print(f"  gap to raw nio {summary.get('gap')} ms, paired {summary.get('paired')}×;")
        print(
            f"  notices handled between the message's and shown: {summary['notices_before_shown']}"
        )
    emit_json("message_to_screen", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
