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
encryption, power levels, members, name, space links) and m.room.encrypted messages
from the session's members, decrypted to text of ordinary lengths, with a ciphertext
source of the size Megolm gives that text. The server does not know these rooms; the
app shows what its archive holds, as it does offline.

Measured, in this order, growing one archive in steps of ``--step`` rooms:
- restart -> room list painted: the real GUI in a new process (``bench._startup_probe``),
  median of ``--runs`` starts, and its CPU seconds by then;
- memory: RSS / USS of that process ``--settle`` s after the list is painted; reported
  per 100 rooms as the slope between the smallest and the largest step;
- opening a room (at the largest step): ``load_room`` (the archive read a room opens
  with) and the timeline model's ``load`` of its result, for ``--opens`` rooms chosen at
  random; the median and the worst.

The archive is encrypted at rest as the app keeps it (opened through ``open_archive``
with the account's key), so a restart reads it as a user's would. With ``--baseline DIR``
(another checkout) each step restarts that checkout's app on the same archive too,
alternating with this one, both timed by this checkout's probe.

Run: ``python -m bench.scale_rooms [--sessions 50] [--events 1000000] [--baseline DIR]``
(minutes; the account is built once per run and deleted after).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.core.paths import DataDir
from app.core.records import RoomEvent, RoomSummary
from app.homeserver import EmbeddedHomeserver
from app.services.preview import load_room
from app.store import Archive, Outbox
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from bench.common import (
    compile_app,
    emit_json,
    new_account,
    quiet_environment,
    running_homeserver,
    stored_login,
)

REPO = Path(__file__).resolve().parent.parent
ROOMS_PER_SESSION = 8  # the space and seven rooms: operations, restricted, delegations …
KINDS = ("Operations", "Restricted", "Delegation A", "Delegation B", "Outreach", "Press", "Legal")
WORDS = [
    "convoy",
    "border",
    "crossing",
    "consulate",
    "evacuation",
    "flight",
    "manifest",
    "citizens",
    "hostage",
    "talks",
    "ceasefire",
    "corridor",
    "embassy",
    "ministry",
    "statement",
    "confirmed",
    "unverified",
    "rumour",
    "sitrep",
    "delegation",
    "capital",
    "instruction",
    "acknowledged",
    "hospital",
    "supplies",
    "airport",
    "closed",
    "open",
]


def _id(prefix: str, *parts: object) -> str:
    return f"{prefix}{'-'.join(str(p) for p in parts)}"


class Builder:
    """Rows for one session at a time, written through the archive in sync-sized batches."""

    def __init__(self, archive: Archive, owner: str, events_per_room: int, seed: int = 16):
        self.archive, self.owner, self.per_room = archive, owner, events_per_room
        self.rand = random.Random(seed)
        self.clock = int(time.time() * 1000) - 400 * 24 * 3600 * 1000  # sessions of a year
        self.written = 0
        self.newest: tuple[str, str] = ("", "")  # room id and body of the newest message

    def session(self, index: int) -> None:
        members = [self.owner] + [f"@member{index}-{m}:localhost" for m in range(11)]
        space = _id("!space", index, ":localhost")
        rooms = [_id("!room", index, k, ":localhost") for k in range(len(KINDS))]
        self._room(space, f"Session {index + 1}", members, is_space=True, children=rooms)
        for room_id, kind in zip(rooms, KINDS, strict=True):
            self._room(room_id, f"{kind} {index + 1}", members, parent=space)

    def _room(
        self,
        room_id: str,
        name: str,
        members: list[str],
        *,
        is_space: bool = False,
        children: list[str] = (),  # type: ignore[assignment]
        parent: str = "",
    ) -> None:
        state = [
            (
                "m.room.create",
                "",
                {"creator": self.owner, "type": "m.space"} if is_space else {"creator": self.owner},
            )
        ]
        state += [("m.room.encryption", "", {"algorithm": "m.megolm.v1.aes-sha2"})]
        levels = {"users": {self.owner: 100}, "events_default": 0, "state_default": 50}
        state += [("m.room.power_levels", "", levels), ("m.room.name", "", {"name": name})]
        state += [("m.room.member", m, {"membership": "join"}) for m in members]
        state += [("m.space.child", c, {"via": ["localhost"]}) for c in children]
        if parent:
            state += [("m.space.parent", parent, {"via": ["localhost"], "canonical": True})]
        events = [self._event(room_id, self.owner, t, c, key) for t, key, c in state]
        if not is_space:
            events += [self._message(room_id, members) for _ in range(self.per_room - len(state))]
        summary = RoomSummary(room_id, name, encrypted=True, is_space=is_space)
        for start in range(0, len(events), 1000):  # sync-sized transactions
            self.archive.save_sync_batch(events[start : start + 1000], [summary], None)
        self.written += len(events)

    def _event(
        self, room_id: str, sender: str, kind: str, content: dict[str, Any], key: str | None
    ) -> RoomEvent:
        self.clock += self.rand.randint(1_000, 60_000)
        event_id = f"$e{self.written + self.rand.getrandbits(64):x}{self.clock}"
        source = {"type": kind, "event_id": event_id, "sender": sender, "room_id": room_id}
        source |= {"origin_server_ts": self.clock, "content": content}
        if key is not None:
            source["state_key"] = key
        return RoomEvent(event_id, room_id, sender, kind, self.clock, content, key, source=source)

    def _message(self, room_id: str, members: list[str]) -> RoomEvent:
        body = " ".join(self.rand.choices(WORDS, k=self.rand.randint(4, 40)))
        sender = self.rand.choice(members)
        cipher = {
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": base64.b64encode(self.rand.randbytes(len(body) + 180)).decode(),
            "device_id": "DEVICEID",
            "sender_key": base64.b64encode(self.rand.randbytes(32)).decode(),
            "session_id": base64.b64encode(self.rand.randbytes(32)).decode(),
        }
        event = self._event(room_id, sender, "m.room.encrypted", cipher, None)
        self.newest = (room_id, body)
        decrypted = {"msgtype": "m.text", "body": body}
        return RoomEvent(
            event.event_id, room_id, sender, "m.room.message", event.origin_ts, decrypted,
            source=event.source,
        )  # fmt: skip


def memory(pid: int) -> dict[str, float]:
    kb: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        kb[name] = int(value.split()[0])
    return {
        "rss": round(kb["Rss"] / 1024, 1),
        "uss": round((kb["Private_Clean"] + kb["Private_Dirty"]) / 1024, 1),
    }


def open_account_archive(data: DataDir, user_id: str) -> Any:
    """The account's archive as the app opens it: encrypted, with the account's key."""
    keys = ArchiveKeys(data.account(user_id), user_id)
    engine, _file_key = open_archive(data.archive(user_id), keys, lambda _done, _total: None)
    return engine


def restart(tree: Path, data: DataDir, newest_body: str, settle: float) -> dict[str, Any]:
    """One start of ``tree``'s GUI until its room list is painted (and memory after settle),
    timed by this checkout's probe (``-P``: its folder stays off ``sys.path``)."""
    stop = Path(tempfile.mkdtemp(prefix="oor-scale-")) / "stop"
    env = dict(os.environ, OOR_CREDENTIALS="file", QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = str(tree)
    t0 = time.time()
    probe = str(REPO / "bench" / "_startup_probe.py")
    command = [sys.executable, "-P", probe, "--data-dir", str(data.root)]
    command += ["--t0", repr(t0), "--expect-body", newest_body, "--hold", str(stop)]
    proc = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith('{"ready"'):
                ready = json.loads(line)
                break
        else:
            raise RuntimeError(f"the app ended before its room list was painted ({proc.wait()})")
        time.sleep(settle)
        result = {"ready_s": ready["ready"], "cpu_s": ready["cpu_s"], **memory(proc.pid)}
    finally:
        stop.touch()
        proc.communicate(timeout=60)
    return result


def open_rooms(data: DataDir, user_id: str, count: int) -> dict[str, float]:
    """Time the archive read a room opens with, and the timeline model taking it in."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.ui.timeline.model import TimelineModel

    app = QApplication.instance() or QApplication([])
    engine = open_account_archive(data, user_id)
    archive, outbox = Archive(engine, user_id), Outbox(engine)
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
    del app
    total = [r + m for r, m in zip(reads, loads, strict=True)]
    return {
        "read_median_ms": round(statistics.median(reads), 1),
        "model_median_ms": round(statistics.median(loads), 1),
        "open_median_ms": round(statistics.median(total), 1),
        "open_max_ms": round(max(total), 1),
    }


def steps(sessions: int, step_rooms: int) -> Iterator[int]:
    """Session counts at which to measure: every ``step_rooms`` rooms, and the last."""
    per_step = max(1, step_rooms // ROOMS_PER_SESSION)
    yield from range(per_step, sessions, per_step)
    yield sessions


async def bench(server: EmbeddedHomeserver, work: Path, args: argparse.Namespace) -> dict:
    owner = await asyncio.to_thread(new_account, server, "scale-owner")
    data = await stored_login(server, work / "app", owner)
    rooms_total = args.sessions * (ROOMS_PER_SESSION - 1)  # rooms holding messages
    engine = open_account_archive(data, owner.user_id)
    builder = Builder(Archive(engine, owner.user_id), owner.user_id, args.events // rooms_total)
    trees = {"ours": REPO, **({"baseline": Path(args.baseline)} if args.baseline else {})}
    for tree in trees.values():
        compile_app(tree)
    measured: list[dict[str, Any]] = []
    done = 0
    for upto in steps(args.sessions, args.step):
        started = time.perf_counter()
        for index in range(done, upto):
            builder.session(index)
        done = upto
        print(
            f"archive: {upto * ROOMS_PER_SESSION} rooms, {builder.written:,} events "
            f"(+{time.perf_counter() - started:.0f} s to write)",
            flush=True,
        )
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for _ in range(args.runs):  # alternating, so both see the same load
            for name, tree in trees.items():
                runs[name].append(restart(tree, data, builder.newest[1], args.settle))
        row = {"rooms": upto * ROOMS_PER_SESSION, "events": builder.written}
        for name, done_runs in runs.items():
            prefix = "" if name == "ours" else f"{name}_"
            for key, field, digits in (
                ("ready_s", "ready_s", 3),
                ("cpu_s", "cpu_s", 3),
                ("rss_mb", "rss", 1),
                ("uss_mb", "uss", 1),
            ):
                row[prefix + key] = round(statistics.median(r[field] for r in done_runs), digits)
            print(
                f"  {name}: restart -> room list painted {row[prefix + 'ready_s']:.3f} s "
                f"(CPU {row[prefix + 'cpu_s']:.2f} s), RSS {row[prefix + 'rss_mb']} MB, "
                f"USS {row[prefix + 'uss_mb']} MB",
                flush=True,
            )
        measured.append(row)
    engine.dispose()
    opened = open_rooms(data, owner.user_id, args.opens)
    first, last = measured[0], measured[-1]
    span = (last["rooms"] - first["rooms"]) / 100 or 1
    per_100 = {k: round((last[k] - first[k]) / span, 2) for k in ("rss_mb", "uss_mb")}
    print()
    print(f"{last['rooms']} rooms, {last['events']:,} archived events")
    print(f"restart -> room list painted: {last['ready_s']:.3f} s (goal <= 2 s)")
    if "baseline_ready_s" in last:
        print(
            f"baseline, same archive and runs: {last['baseline_ready_s']:.3f} s "
            f"(CPU {last['baseline_cpu_s']:.2f} s; ours {last['cpu_s']:.2f} s)"
        )
    print(
        f"opening a room: median {opened['open_median_ms']} ms, worst {opened['open_max_ms']} ms "
        f"(archive read {opened['read_median_ms']} ms + timeline model "
        f"{opened['model_median_ms']} ms; goal <= 200 ms)"
    )
    print(f"memory per 100 rooms: RSS +{per_100['rss_mb']} MB, USS +{per_100['uss_mb']} MB")
    return {"steps": measured, "open": opened, "per_100_rooms_mb": per_100}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_rooms", description=__doc__)
    parser.add_argument("--sessions", type=int, default=50, help="a space and 7 rooms each")
    parser.add_argument("--events", type=int, default=1_000_000, help="archived events in all")
    parser.add_argument("--step", type=int, default=100, help="rooms added between measures")
    parser.add_argument("--runs", type=int, default=3, help="restarts per step")
    parser.add_argument("--opens", type=int, default=40, help="rooms opened at the end")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds before memory")
    parser.add_argument("--baseline", help="another checkout of the app, restarted alongside")
    args = parser.parse_args(argv)
    quiet_environment()
    with running_homeserver("scale-rooms") as (server, work):
        result = asyncio.run(bench(server, work, args))
    emit_json("scale_rooms", {"sessions": args.sessions, "events": args.events, **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
