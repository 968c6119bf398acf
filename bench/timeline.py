"""The shared timeline at scale: archive ingest, opening a 100k-event room, paging back,
search latency at 100k and 1M rows, and memory with the big room open.

Why: a crisis room is kept for the record and grows for weeks; the timeline must open
and scroll it without loading it, and search must stay interactive as the archive grows.

Everything goes through the real code: events are archived with ``Archive.save_sync_batch``
(the hash chain and the full-text triggers included), the room is opened the way the app
does (newest page from the archive into ``TimelineModel``, painted by ``TimelineDelegate``
in a ``QListView``), and search is ``Archive.search``. No homeserver is involved: these are
the archive's and the view's figures; back-pagination from the server is tested in
tests/test_timeline_entries.py.

Rows are a mix of what a crisis room holds: chat in English and Arabic, typed entries with
tags and sources, each with a ciphertext-sized source as an encrypted room stores it.

Run: ``python -m bench.timeline [--rows 100000] [--big-rows 1000000]`` (``--big-rows 0``
skips the 1M archive, which takes a few minutes to build).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import Summary, emit_json, finite, quiet_environment

ROOM = "!ops:bench.example"
BATCH = 500  # a busy sync batch
SEARCHES = (
    ("english word", "convoy"),
    ("arabic word", "الوفد"),
    ("rare word", "zeppelin"),
    ("two words", "crossing north"),
    ("short word (LIKE)", "ok"),
)
_EN = (
    "The convoy left the northern crossing at {n}",
    "Embassy reports {n} citizens registered for evacuation",
    "Talks resume in Geneva, session {n}",
    "ok, noted {n}",
)
_AR = (
    "وصل الوفد إلى المعبر الشمالي رقم {n}",
    "السفارة تسجل {n} مواطنا للإجلاء",
    "استئناف المحادثات في جنيف، الجلسة {n}",
)


def _events(count: int, start: int = 0) -> Iterator[list]:
    """Batches of archive records, oldest first (one fake ciphertext per event)."""
    from app.core import roles
    from app.core.records import RoomEvent
    from app.core.timeline import EntryDraft, entry_content

    rng = random.Random(7)
    batch = []
    for n in range(start, start + count):
        ts = 1_780_000_000_000 + n * 1_000
        source = {"type": "m.room.encrypted", "content": {"ciphertext": f"{n:x}" * 40}}
        if n % 4 == 0:
            draft = EntryDraft(
                kind=rng.choice(("sitrep", "rumour", "analysis", "decision")),
                title=rng.choice(_EN + _AR).format(n=n),
                body=" ".join(rng.choice(_EN + _AR).format(n=n) for _ in range(3)),
                sources=("Embassy",),
                tags=(rng.choice(("crossing", "geneva", "evacuation")),),
            )
            event_type, content = roles.ENTRY, entry_content(draft)
        else:
            body = rng.choice(_EN + _AR).format(n=n)
            event_type, content = "m.room.message", {"msgtype": "m.text", "body": body}
        if n == start + count // 2:
            content = {**content, "body": f"{content['body']} zeppelin"}
        batch.append(
            RoomEvent(
                f"$e{n}",
                ROOM,
                f"@u{n % 40}:bench.example",
                event_type,
                ts,
                content,
                source={**source, "event_id": f"$e{n}"},
            )
        )
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ingest(archive, rows: int, start: int = 0) -> float:
    """Archive ``rows`` events; returns events per second."""
    began = time.perf_counter()
    for batch in _events(rows, start):
        archive.save_sync_batch(batch, [], None)
    return rows / (time.perf_counter() - began)


def _searches(archive, rounds: int = 5) -> dict[str, Summary]:
    from app.core.timeline import TimelineQuery

    found: dict[str, Summary] = {}
    for label, text in SEARCHES:
        samples = []
        for _ in range(rounds):
            began = time.perf_counter()
            archive.search(TimelineQuery(text=text, limit=200))
            samples.append((time.perf_counter() - began) * 1000)
        found[label] = Summary.of(samples)
    return found


def _open_room(archive) -> tuple[float, float, float, int]:
    """Open the room as the app does; returns (archive ms, paint ms, page-back ms, rows)."""
    from PySide6.QtWidgets import QApplication, QListView

    from app.services.notices import OlderLoaded, RoomLoaded
    from app.ui.timeline.delegate import TimelineDelegate
    from app.ui.timeline.model import TimelineModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    model = TimelineModel("@me:bench.example")
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(TimelineDelegate(view))
    view.setWordWrap(True)
    view.resize(900, 700)
    view.show()
    began = time.perf_counter()
    events = archive.recent_events(ROOM, 200)
    read_ms = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    model.load(RoomLoaded(ROOM, tuple(events), ()))
    view.scrollToBottom()
    app.processEvents()
    view.grab()  # forces a full layout and paint of the visible rows
    paint_ms = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    for _ in range(5):  # the user scrolls back five pages
        older = archive.events_before(ROOM, model.oldest_key(), 200)
        model.add_older(OlderLoaded(ROOM, model.oldest_key(), tuple(older), False))
        app.processEvents()
    page_ms = (time.perf_counter() - began) * 1000 / 5
    rows = model.rowCount()
    view.close()
    return read_ms, paint_ms, page_ms, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.timeline", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big-rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    quiet_environment()
    from app.store import Archive, open_database, sqlite_url

    with tempfile.TemporaryDirectory(prefix="oor-bench-timeline-") as tmp:
        engine = open_database(sqlite_url(Path(tmp) / "archive.db"))
        archive = Archive(engine, "@me:bench.example")
        rate = _ingest(archive, args.rows)
        print(f"ingest: {rate:,.0f} events/s into the archive ({args.rows:,} events)")
        rss_before = _rss_mb()
        read_ms, paint_ms, page_ms, rows = _open_room(archive)
        rss_open = _rss_mb()
        print(
            f"open a {args.rows:,}-event room: archive {read_ms:.1f} ms, "
            f"model + paint {paint_ms:.1f} ms"
        )
        print(f"scroll back one page of 200: {page_ms:.1f} ms (model holds {rows:,} rows)")
        print(f"RSS with the room open: {rss_open:.0f} MB (before opening {rss_before:.0f} MB)")
        small = _searches(archive)
        for label, summary in small.items():
            print(summary.line(f"search {args.rows:,}: {label}"))
        big: dict[str, Summary] = {}
        big_rate = None
        if args.big_rows > args.rows:
            big_rate = _ingest(archive, args.big_rows - args.rows, start=args.rows)
            print(f"ingest up to {args.big_rows:,}: {big_rate:,.0f} events/s")
            big = _searches(archive)
            for label, summary in big.items():
                print(summary.line(f"search {args.big_rows:,}: {label}"))
        size_mb = (Path(tmp) / "archive.db").stat().st_size / 1e6
        print(f"archive file: {size_mb:,.0f} MB")
        engine.dispose()
    emit_json(
        "timeline",
        {
            "rows": args.rows,
            "ingest_per_s": finite(rate, 0),
            "open_archive_ms": finite(read_ms),
            "open_paint_ms": finite(paint_ms),
            "page_back_ms": finite(page_ms),
            "rss_open_mb": finite(rss_open, 0),
            "search_ms": {k: v.rounded() for k, v in small.items()},
            "big_rows": args.big_rows if big else 0,
            "big_ingest_per_s": finite(big_rate, 0) if big_rate else None,
            "big_search_ms": {k: v.rounded() for k, v in big.items()},
            "archive_mb": finite(size_mb, 0),
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
