"""What encryption at rest costs: opening the archive, reading a room, converting.

Why: the archive is opened on every start before the room list can show, and an older
plaintext archive is converted once, with the user waiting. Measured in one process,
plain and encrypted alternating, so a busy machine weighs on both alike:

- open: ``open_database`` of a plaintext file vs ``open_archive`` of the same content
  encrypted (key from a 0600 key file, as without a keyring), to the room list;
- read: the newest 200 events of a room (what the timeline opens with);
- convert: a plaintext archive of ``--events`` events encrypted in place (MB/s).

Run: ``python -m bench.at_rest [--events 20000] [--runs 15]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.records import RoomEvent
from app.store import Archive, open_database, sqlite_url
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from bench.common import emit_json

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

ME = "@bench:example.org"
ROOM = "!bench:example.org"


def _events(n: int) -> list[RoomEvent]:
    body = "تعليمات الوفد: الممر الإنساني يفتح عند الفجر — " * 3
    return [
        RoomEvent(
            event_id=f"$e{i}",
            room_id=ROOM,
            sender="@d:example.org",
            type="m.room.message",
            origin_ts=1_700_000_000_000 + i,
            content={"msgtype": "m.text", "body": f"{body} {i}"},
            source={"event_id": f"$e{i}", "type": "m.room.encrypted", "content": {"c": "x" * 400}},
        )
        for i in range(n)
    ]


def _fill(path: Path, n: int) -> None:
    engine = open_database(sqlite_url(path))
    archive = Archive(engine, ME)
    events = _events(n)
    for start in range(0, n, 1000):
        archive.save_sync_batch(events[start : start + 1000], [], f"t{start}")
    engine.dispose()


def _keys(path: Path) -> ArchiveKeys:
    return ArchiveKeys(path.parent, ME, keyring=None, passphrase=lambda: None)


def _archive_only(path: Path) -> Engine:
    """The archive as the app opens it (its outbox too, closed at once: not timed apart)."""
    engine, outbox, _ = open_archive(path, _keys(path), lambda d, t: None)
    outbox.dispose()
    return engine


def _open_and_read(open_engine) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    engine = open_engine()
    archive = Archive(engine, ME)
    archive.rooms()  # what the start-up asks first
    opened = time.perf_counter()
    archive.recent_events(ROOM, 200)
    read = time.perf_counter()
    engine.dispose()
    return opened - started, read - opened


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.at_rest", description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oor-at-rest-") as tmp:
        plain = Path(tmp) / "plain" / "archive.sqlite3"
        encrypted = Path(tmp) / "encrypted" / "archive.sqlite3"
        plain.parent.mkdir()
        encrypted.parent.mkdir()
        _fill(plain, args.events)
        shutil.copy(plain, encrypted)
        size = plain.stat().st_size
        started = time.perf_counter()
        engine, outbox, _ = open_archive(encrypted, _keys(encrypted), lambda done, total: None)
        convert_s = time.perf_counter() - started  # includes the first open
        engine.dispose()
        outbox.dispose()

        figures: dict[str, list[float]] = {
            k: [] for k in ("open_plain", "open_enc", "read_plain", "read_enc")
        }
        for _ in range(args.runs):
            o, r = _open_and_read(lambda: open_database(sqlite_url(plain)))
            figures["open_plain"].append(o)
            figures["read_plain"].append(r)
            o, r = _open_and_read(lambda: _archive_only(encrypted))
            figures["open_enc"].append(o)
            figures["read_enc"].append(r)
    ms = {k: round(statistics.median(v) * 1000, 2) for k, v in figures.items()}
    print(f"archive of {args.events:,} events, {size / 1e6:.1f} MB; medians of {args.runs} runs")
    print(
        f"open to room list    plain {ms['open_plain']:7.2f} ms  encrypted {ms['open_enc']:7.2f} ms"
    )
    print(
        f"newest 200 events    plain {ms['read_plain']:7.2f} ms  encrypted {ms['read_enc']:7.2f} ms"
    )
    print(f"convert in place      {convert_s:.2f} s ({size / 1e6 / convert_s:.1f} MB/s)")
    emit_json(
        "at_rest",
        {
            "events": args.events,
            "bytes": size,
            "runs": args.runs,
            "median_ms": ms,
            "convert_s": round(convert_s, 3),
            "convert_mb_s": round(size / 1e6 / convert_s, 2),
        },
    )


if __name__ == "__main__":
    main()
