"""The record at scale: exporting a 100k-event session (time, size) and verifying it.

Why: a crisis session is kept for the record and grows for weeks; its export must be a
matter of seconds and its proof (`oor verify`) quick enough to run on every copy received.
Targets: export ≤ 30 s, verify ≤ 10 s.

What is real: a Synapse (started here), a signed-in device whose Olm identity key signs
the manifest, a session convened through the app's services, and the export and verify
code exactly as `oor export` / `oor verify` run them. What is not: the 100k events are
written straight into the device's archive through the store API (``Archive.save_history``,
hash chain included) rather than sent through Synapse, which would take an hour; they are
the timeline bench's mix (chat in English and Arabic, typed entries, ciphertext-sized
sources).

Run: ``python -m bench.records [--events 100000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import replace
from pathlib import Path

from bench.common import ServicePeer, emit_json, new_account, quiet_environment, running_homeserver


async def _run(events: int, server, work: Path) -> dict[str, float | int]:
    from app.core.records_export import verify_bundle
    from app.core.roles import Role, RoomKind
    from app.core.session import Blueprint, Participant
    from app.services.records import Records
    from app.services.sessions import Sessions
    from bench.timeline import _events  # the same mix of rows as the timeline bench

    peer = await ServicePeer(work / "fac", new_account(server, "records")).login(server)
    official = new_account(server, "official")
    try:
        info = await Sessions(peer.account.client).convene(
            Blueprint(
                "Port Sable evacuation",
                "evacuation",
                "Africa/Cairo",
                exercise=True,
                outreach=False,
                participants=(Participant(official.user_id, Role.OFFICIAL),),
            )
        )
        ops = info.room(RoomKind.OPERATIONS)
        assert ops is not None
        account = peer.account
        began = time.perf_counter()
        for batch in _events(events):
            moved = [replace(e, room_id=ops) for e in batch]
            await account.db(account.archive.save_history, moved)
        fill_s = time.perf_counter() - began
        print(f"archive filled with {events} events in {fill_s:.1f} s", flush=True)

        out = work / "record"
        began = time.perf_counter()
        done = await account.feature(Records).export(info.space_id, str(out))
        export_s = time.perf_counter() - began
    finally:
        await peer.close()
    began = time.perf_counter()
    verdict = await asyncio.to_thread(verify_bundle, out)
    verify_s = time.perf_counter() - began
    if not verdict.ok:
        raise RuntimeError(f"the exported record does not verify: {verdict.reason}")
    return {
        "events": done.events,
        "rooms": done.rooms,
        "export_s": round(export_s, 2),
        "size_mb": round(done.size / 1e6, 1),
        "verify_s": round(verify_s, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    quiet_environment()
    with running_homeserver("records") as (server, work):
        figures = asyncio.run(_run(args.events, server, work))
    print(
        f"export of {figures['events']} events ({figures['rooms']} rooms): "
        f"{figures['export_s']} s, {figures['size_mb']} MB (target ≤ 30 s)\n"
        f"verify: {figures['verify_s']} s (target ≤ 10 s)",
        flush=True,
    )
    emit_json("records", {**figures, "export_target_s": 30, "verify_target_s": 10})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
