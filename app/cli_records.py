"""`oor export` and `oor verify`: a session's record as files, and the proof it is whole.

`oor export` runs the account headless (one sync, so the record is as fresh as the server
allows; offline it exports what is archived), then writes the report and the signed
bundle. `oor verify` needs no login and no network: only the files.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.core.paths import DataDir
from app.core.records_export import gap_sentence, gaps_said, room_label, utc, verify_bundle
from app.services.headless import print_opening, start_signed_in
from app.services.notices import ExportProgress, Notice
from app.services.records import DETAILS_PENDING_HELP, Exported, Records

SYNC_WAIT_SECONDS = 30.0
EXIT_UNVERIFIED = 1


async def _export(
    data: DataDir, space_id: str, out: Path, quiet: bool, details_pending: bool
) -> Exported:
    from app.services.backend import Backend  # nio and SQL load only when a command runs

    heard: list[Notice] = []

    def notify(notice: Notice) -> None:
        heard.append(notice)
        print_opening(notice)
        if isinstance(notice, ExportProgress) and not quiet and notice.total:
            print(f"\r{notice.done}/{notice.total} events", end="", file=sys.stderr, flush=True)

    backend = Backend(data, notify)
    try:
        account = await start_signed_in(backend, heard)
        with contextlib.suppress(TimeoutError):  # offline: export what is archived
            await asyncio.wait_for(account.synced.wait(), SYNC_WAIT_SECONDS)
        records = account.feature(Records)
        return await records.export(space_id, str(out), details_pending=details_pending)
    finally:
        if not quiet:
            print(file=sys.stderr)
        await backend.shutdown()


def run_export(args: argparse.Namespace, data: DataDir) -> int:
    out = Path(args.out).expanduser().resolve()
    done = asyncio.run(_export(data, args.space, out, args.json, args.details_pending))
    if args.json:
        print(json.dumps(asdict(done), ensure_ascii=False), flush=True)
    else:
        print(done.summary(), flush=True)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    verdict = verify_bundle(Path(args.folder).expanduser())
    if args.json:
        print(json.dumps(asdict(verdict), ensure_ascii=False), flush=True)
    else:
        where = f" ({verdict.events} events in {verdict.rooms} rooms)" if verdict.ok else ""
        stated = None if verdict.gaps is None else len(verdict.gaps)
        gaps = f"; {gaps_said(stated)}" if verdict.ok else ""
        print(f"{args.folder}: {verdict.reason}{where}{gaps}", flush=True)
        for gap in verdict.gaps or ():
            print(f"  {gap_sentence(gap, room_label(gap.room_id, None), utc)}", flush=True)
    return 0 if verdict.ok else EXIT_UNVERIFIED


def add_commands(commands: Any, data_dir: Callable[[str | None], DataDir]) -> None:
    """Register `export` and `verify` on the main parser's subparsers."""
    export = commands.add_parser("export", help="export a session's record to a folder")
    export.add_argument("space", help="the session's space id")
    export.add_argument("--out", required=True, help="the folder to write the record into")
    export.add_argument("--data-dir", default=argparse.SUPPRESS, help="a signed-in data dir")
    export.add_argument("--json", action="store_true", help="print machine-readable output")
    export.add_argument("--details-pending", action="store_true", help=DETAILS_PENDING_HELP)
    export.set_defaults(run=lambda args: run_export(args, data_dir(args.data_dir)))
    verify = commands.add_parser("verify", help="check an exported record is whole and untampered")
    verify.add_argument("folder", help="the folder `oor export` wrote")
    verify.add_argument("--json", action="store_true", help="print machine-readable output")
    verify.set_defaults(run=run_verify)
