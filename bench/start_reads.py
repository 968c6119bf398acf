"""The archive reads every start runs for the open round and the instruction feeds,
as they were (every message of the rooms, by type) and as they are (their own types and
the few messages an index holds), side by side on one account; and the sessions'
rosters the start's four readers ask for (the account, the open round, the instruction
feeds, the sitreps), each read for itself as before session 9 and through one
``SessionRosters`` memo as now.

Why: on a ministry's account these reads run on the single store thread at each start,
and the first room opened waits behind them (docs/performance.md, session 8). They grow
with the archive; what they keep does not. So the bench times both ways, alternating in
one process on the same archive, in thread CPU (the box is shared: wall time at load 8
says little), and checks that both ways keep the very same events, in the same order.

Run on an account ``bench.scale_rooms --keep DIR`` built (with sessions, not
``--plain-spaces``): ``python -m bench.start_reads DIR/work [--runs 3]``. The first open of
an archive from before migration 0007 creates its index: timed and printed apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core import instructions as ins
from app.core import roles
from app.core.instructions import desk_of
from app.core.open_round import polls
from app.core.paths import DataDir
from app.core.records import RoomEvent
from app.services.instructions.service import READ_TYPES as FEED_READ
from app.services.notices import RosterChanged
from app.services.open_round.service import READ_TYPES as ROUND_READ
from app.services.open_round.service import ROUND_ROOMS
from app.services.open_round.service import _takes_part as round_keeps
from app.services.rosters import SessionRosters, rosters_of
from app.store import Archive
from bench.common import emit_json, quiet_environment
from bench.scale_account import open_account_archive

ROUND_BY_TYPE = ("m.room.message", *polls.TYPES, roles.ENTRY)  # the read before session 8
START_READERS = ("account", "open round", "instruction feeds", "sitreps")


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _timed(read: Callable[[], list[list[RoomEvent]]]) -> tuple[float, list[list[RoomEvent]]]:
    started = time.thread_time()
    found = read()
    return time.thread_time() - started, found


def _each_reads(archive: Archive) -> list[RosterChanged]:
    """``AccountService.rosters()`` before session 9: the spaces, then their rosters."""
    return rosters_of(archive, [r.room_id for r in archive.rooms() if r.is_space])


def _shared_reads(memo: SessionRosters) -> list[list[RosterChanged]]:
    """``AccountService.rosters()`` now: each reader asks the account's one memo."""
    return [memo.read() for _ in START_READERS]


def _start_rosters(archive: Archive, runs: int) -> dict[str, Any]:
    """The start's rosters both ways, alternating: CPU per start, how many whole-state
    reads it made (``Archive.state`` without types: a roster makes two, its space's and
    its delegation rooms'), and whether both ways found the same rosters."""
    full_reads = 0
    state = archive.state

    def counted(room_ids: Any, types: Any = ()) -> list[RoomEvent]:
        nonlocal full_reads
        full_reads += not types
        return state(room_ids, types)

    archive.state = counted  # type: ignore[method-assign]  # this bench's archive only
    ways: dict[str, Callable[[], list[list[RosterChanged]]]] = {
        "each reads (before)": lambda: [_each_reads(archive) for _ in START_READERS],
        "one memo (after)": lambda: _shared_reads(SessionRosters(archive)),
    }
    cpu: dict[str, list[float]] = {}
    reads: dict[str, int] = {}
    found: dict[str, list[list[RosterChanged]]] = {}
    for _ in range(runs):
        for way, run in ways.items():
            full_reads, started = 0, time.thread_time()
            found[way] = run()
            cpu.setdefault(way, []).append(time.thread_time() - started)
            reads[way] = full_reads
    del archive.state
    before, after = ways
    same = found[before] == found[after]
    b, a = (statistics.median(cpu[w]) * 1000 for w in ways)
    print(
        f"rosters at a start ({len(START_READERS)} readers): {b:,.0f} ms CPU, "
        f"{reads[before]:,} whole-state reads -> {a:,.0f} ms, {reads[after]:,} reads "
        f"({b / max(a, 0.01):.1f}x less CPU); the same rosters: {same} (load {_load()})"
    )
    return {
        "before_cpu_ms": round(b, 1),
        "after_cpu_ms": round(a, 1),
        "before_state_reads": reads[before],
        "after_state_reads": reads[after],
        "same": same,
    }


def bench(work: Path, runs: int) -> dict[str, Any]:
    user_id = json.loads((work / "account.json").read_text())["user_id"]
    started = time.perf_counter()
    engine, outbox = open_account_archive(DataDir(work / "app"), user_id)
    outbox.dispose()  # only the archive's start reads are timed
    print(f"archive opened (and migrated if it was older) in {time.perf_counter() - started:.1f} s")
    archive = Archive(engine, user_id)
    spaces = [r.room_id for r in archive.rooms() if r.is_space]
    clock = time.thread_time()
    rosters = [n.roster for n in rosters_of(archive, spaces)]
    roster_cpu = time.thread_time() - clock
    round_rooms = [r for ro in rosters for k in ROUND_ROOMS if (r := ro.session.room(k))]
    desks = [desk_of(ro, user_id, "") for ro in rosters]
    print(
        f"{len(spaces)} spaces, {len(rosters)} sessions, {archive.count():,} events; rosters "
        f"read in {roster_cpu * 1000:.0f} ms CPU; {len(round_rooms)} round rooms, "
        f"{sum(len(d.rooms) for d in desks)} delegation rooms (load {_load()})"
    )
    ways: dict[str, dict[str, Callable[[], list[list[RoomEvent]]]]] = {
        "by type (before)": {
            "open round": lambda: [archive.events_of_types(round_rooms, ROUND_BY_TYPE, False)],
            "instruction feeds": lambda: [
                archive.events_of_types(list(d.rooms), ins.FEED_TYPES) for d in desks
            ],
        },
        "folded (after)": {
            "open round": lambda: [archive.folded_events(round_rooms, ROUND_READ, False)],
            "instruction feeds": lambda: [
                archive.folded_events(list(d.rooms), FEED_READ) for d in desks
            ],
        },
    }
    keeps = {"open round": round_keeps, "instruction feeds": ins.in_feed}
    cpu: dict[tuple[str, str], list[float]] = {}
    read: dict[tuple[str, str], int] = {}
    kept: dict[tuple[str, str], list[list[str]]] = {}
    for _ in range(runs):
        for way, reads in ways.items():  # alternating, so the load falls on both
            for name, run in reads.items():
                seconds, found = _timed(run)
                cpu.setdefault((way, name), []).append(seconds)
                read[way, name] = sum(len(f) for f in found)
                kept[way, name] = [[e.event_id for e in f if keeps[name](e)] for f in found]
    result: dict[str, Any] = {"load": _load(), "rosters_cpu_ms": round(roster_cpu * 1000)}
    result["start_rosters"] = _start_rosters(archive, runs)
    for name in keeps:
        before, after = ("by type (before)", name), ("folded (after)", name)
        same = kept[before] == kept[after]
        b, a = (statistics.median(cpu[k]) * 1000 for k in (before, after))
        print(
            f"{name}: {b:,.0f} ms CPU reading {read[before]:,} events -> {a:,.0f} ms reading "
            f"{read[after]:,} ({b / max(a, 0.01):,.0f}x less CPU); kept "
            f"{sum(len(k) for k in kept[after]):,} events, the same: {same}"
        )
        result[name.replace(" ", "_")] = {
            "before_cpu_ms": round(b, 1),
            "after_cpu_ms": round(a, 1),
            "before_read": read[before],
            "after_read": read[after],
            "kept": sum(len(k) for k in kept[after]),
            "same_kept": same,
        }
    print(f"load {_load()}")
    engine.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.start_reads", description=__doc__)
    parser.add_argument("work", type=Path, help="the --keep dir of bench.scale_rooms")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs of each way")
    args = parser.parse_args(argv)
    quiet_environment()
    emit_json("start_reads", bench(args.work, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
