"""The records keeper's ingest rate into PostgreSQL (events/s).

Why: after an outage or a restart the keeper back-fills whole sessions at once, and a
busy ministry runs many; the records database must not be what holds it back.
Target: ≥ 2,000 events/s.

What is real: Debian's PostgreSQL, started here in a temp dir on a free loopback port
(the local deployment's own `TempPostgres`), and the keeper's store call exactly as its
loop makes it: one transaction per `/messages` page (`KeeperArchive.save_page`: events,
hash chain, room state, the page's cursor). What is not: the pages come from the timeline
bench's mix of records (chat in English and Arabic, typed entries, ciphertext-sized
sources) rather than from Synapse, so the figure is the database's side alone.

Run: ``python -m bench.keeper [--events 100000] [--rooms 4]``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from bench.common import emit_json, quiet_environment

TARGET = 2_000


def _ingest(url: str, events: int, rooms: int) -> dict[str, float | int]:
    from app.services.keeper.service import PAGE
    from app.store.keeper import open_keeper_archive
    from bench.timeline import _events  # the same mix of rows as the timeline bench

    archive = open_keeper_archive(url, "@keeper:bench.example")
    try:
        room_ids = [f"!room{n}:bench.example" for n in range(rooms)]
        page: list = []
        pages = 0
        began, cpu = time.perf_counter(), time.process_time()
        for batch in _events(events):
            for event in batch:
                page.append(event)
                if len(page) == PAGE:
                    room = room_ids[pages % rooms]
                    archive.save_page(room, [replace(e, room_id=room) for e in page], f"t{pages}")
                    pages, page = pages + 1, []
        if page:
            room = room_ids[pages % rooms]
            archive.save_page(room, [replace(e, room_id=room) for e in page], f"t{pages}")
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        stored = archive.count()
        whole = all(archive.verify_chain(room) for room in room_ids)
    finally:
        archive.close()
    if stored != events or not whole:
        raise RuntimeError(f"the keeper stored {stored} of {events} events (chains whole: {whole})")
    return {
        "events": events,
        "rooms": rooms,
        "page": PAGE,
        "seconds": round(seconds, 2),
        "events_per_s": round(events / seconds),
        # The keeper's own CPU (PostgreSQL's is not counted): on a shared, loaded machine
        # the wall-clock rate says more about the neighbours than about the keeper.
        "keeper_cpu_s": round(cpu, 2),
    }


def main(argv: list[str] | None = None) -> int:
    from app.homeserver.deployment.local.services import TempPostgres

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rooms", type=int, default=4)
    args = parser.parse_args(argv)
    quiet_environment()
    postgres = TempPostgres()
    postgres.start()
    try:
        figures = _ingest(postgres.create_database("keeper_bench"), args.events, args.rooms)
    finally:
        postgres.stop()
    print(
        f"keeper ingest into PostgreSQL: {figures['events']} events in {figures['seconds']} s, "
        f"{figures['events_per_s']} events/s (target ≥ {TARGET}); "
        f"the keeper's own CPU: {figures['keeper_cpu_s']} s",
        flush=True,
    )
    emit_json("keeper", {**figures, "target_events_per_s": TARGET})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
