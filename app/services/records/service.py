"""Export a session's record: `record.html` and the signed machine bundle beside it.

Everything comes from the archive, read page by page on the store thread in each room's
chain order and stopping at the head each room had when the export began, so events
archived meanwhile never make the files disagree with each other. The manifest is
signed on the backend loop, where nio's Olm account lives.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from app.core import roles
from app.core.open_round import takes_part
from app.core.protocol import PROTOCOL_VERSION
from app.core.records import EventStatus, RoomEvent
from app.core.records_export import (
    CHAINS,
    EVENTS,
    MANIFEST,
    REPORT,
    SIGNATURE,
    Exporter,
    ReportInput,
    event_line,
    manifest,
    manifest_bytes,
    render_report,
    sha256_of,
)
from app.services.notices import ExportProgress
from app.services.rosters import rosters_of

if TYPE_CHECKING:
    from app.core.session import Roster
    from app.services.account import AccountService

PAGE = 5000  # events per store call: progress moves, memory stays flat
_REPORTED = frozenset(
    {roles.ENTRY, roles.VERIFICATION, roles.INSTRUCTION, roles.ACK, roles.REQUEST}
    | {roles.SITREP, roles.SITREP_REVIEW}
)


class RecordsError(Exception):
    """An export that cannot be made (unknown session, a folder we cannot write)."""


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote."""

    folder: str
    rooms: int
    events: int
    size: int  # bytes, all files together


@dataclass(slots=True)
class _Room:
    room_id: str
    count: int
    head: str


class Records:
    """The feature: no projection of its own, only the export command."""

    def __init__(self, account: AccountService) -> None:
        self._account = account

    async def start(self) -> None:
        """Nothing to rebuild: an export reads the archive when asked."""

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        """Nothing to follow between exports."""

    async def export(self, space_id: str, folder: str) -> Exported:
        """Write the record of the session ``space_id`` into ``folder``."""
        try:
            return await self._export(space_id, Path(folder))
        except OSError as exc:
            raise RecordsError(f"cannot write the record to {folder}: {exc.strerror}") from exc

    async def _export(self, space_id: str, out: Path) -> Exported:
        account, archive = self._account, self._account.archive
        found = await account.db(rosters_of, archive, [space_id])
        if not found:
            raise RecordsError(f"{space_id} is not a session this account has archived")
        roster = found[0].roster
        await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
        rooms = [
            _Room(room_id, *await account.db(archive.chain_position, room_id))
            for room_id in found[0].room_ids
        ]
        total = sum(r.count for r in rooms)
        reported = await self._write_events(out / EVENTS, rooms, space_id, total)
        chains = {r.room_id: {"count": r.count, "head": r.head} for r in rooms}
        exported_at = datetime.now(UTC).isoformat(timespec="seconds")
        report = _report(roster, reported, account.user_id, exported_at)
        await asyncio.to_thread(_write_text, out / CHAINS, json.dumps(chains, indent=2) + "\n")
        await asyncio.to_thread(_write_text, out / REPORT, report)
        files = {n: await asyncio.to_thread(sha256_of, out / n) for n in (REPORT, EVENTS, CHAINS)}
        client = account.client
        exporter = Exporter(account.user_id, client.creds.device_id, client.signing_key)
        session = roster.session
        content = manifest(
            {"space_id": space_id, "title": session.title, "exercise": session.exercise},
            [r.room_id for r in rooms],
            files,
            exporter=exporter,
            exported_at=exported_at,
            protocol=PROTOCOL_VERSION,
        )
        signed = manifest_bytes(content)
        await asyncio.to_thread((out / MANIFEST).write_bytes, signed)
        await asyncio.to_thread(_write_text, out / SIGNATURE, client.sign(signed) + "\n")
        names = (*files, MANIFEST, SIGNATURE)
        size = sum([(await asyncio.to_thread((out / n).stat)).st_size for n in names])
        return Exported(str(out), len(rooms), total, size)

    async def _write_events(
        self, path: Path, rooms: Sequence[_Room], space_id: str, total: int
    ) -> list[RoomEvent]:
        """Write ``events.jsonl`` room by room in chain order; keep what the report shows."""
        account, archive = self._account, self._account.archive
        reported: list[RoomEvent] = []
        done = 0
        account.notify(ExportProgress(space_id, 0, total))
        with path.open("w", encoding="utf-8") as f:
            for room in rooms:
                seq = 0
                while seq < room.count:
                    links = await account.db(
                        archive.chain_links, room.room_id, seq, room.count, PAGE
                    )
                    if not links:
                        break
                    reported += await account.db(_write_page, f, links)
                    seq, done = links[-1][0], done + len(links)
                    account.notify(ExportProgress(space_id, done, total))
        reported.sort(key=lambda e: e.origin_ts)
        return reported


def _write_page(f: IO[str], links: Sequence[tuple[int, str, str, RoomEvent]]) -> list[RoomEvent]:
    """Append one page of chain links (store thread); return the events the report shows."""
    f.writelines(event_line(seq, source, chain_hash, ev) for seq, source, chain_hash, ev in links)
    return [ev for *_, ev in links if _reported(ev) and ev.status is EventStatus.OK]


def _reported(event: RoomEvent) -> bool:
    """What the report shows: the feature events, and what an open round is folded from."""
    return event.type in _REPORTED or takes_part(event)


def _report(roster: Roster, events: list[RoomEvent], user_id: str, exported_at: str) -> str:
    return render_report(ReportInput(roster.session, roster.members, events, user_id, exported_at))


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
