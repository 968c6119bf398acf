"""Export a session's record: `record.html` and the signed machine bundle beside it.

Everything comes from the archive, read page by page on the store thread in each room's
chain order and stopping at the head each room had when the export began, so events
archived meanwhile never make the files disagree with each other. The manifest is
signed on the backend loop, where nio's Olm account lives. The charts are drawn from the
same events and written beside the report; a facilitator's export of an exercise adds
the evaluator notes kept (sealed) on their machine, which no other account ever holds.
The holes the archive knows in the session's rooms when the export begins are stated in
the report and the signed manifest (``known_gaps``): a record never looks whole when its
archive knows it is not.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from app.core import roles
from app.core.exercise import EvaluatorNote
from app.core.open_round import takes_part
from app.core.protocol import PROTOCOL_VERSION
from app.core.records import EventStatus, RoomEvent
from app.core.records_export import (
    CHAINS,
    CHARTS_DIR,
    EVENTS,
    MANIFEST,
    REPORT,
    SIGNATURE,
    DrawnChart,
    Exporter,
    RecordMark,
    ReportInput,
    chart_file,
    event_line,
    gaps_said,
    manifest,
    manifest_bytes,
    render_report,
    session_charts,
    sha256_of,
)
from app.core.roles import Role
from app.services.notices import ExportProgress, RosterChanged
from app.services.records.known_gaps import known_gaps
from app.services.rosters import StateReads, claimed_rooms, guarded_roster
from app.store import JsonDocument, StoreError

if TYPE_CHECKING:
    from app.core.session import Roster
    from app.services.account import AccountService

log = logging.getLogger(__name__)

PAGE = 5000  # events per store call: progress moves, memory stays flat
_REPORTED = frozenset(
    {roles.ENTRY, roles.VERIFICATION, roles.INSTRUCTION, roles.ACK, roles.REQUEST}
    | {roles.SITREP, roles.SITREP_REVIEW, roles.CHART, roles.INDICATOR}
)


class RecordsError(Exception):
    """An export that cannot be made (unknown session, a folder we cannot write)."""


def archived_session(
    archive: StateReads, space_id: str, archived_by: str = "this account"
) -> RosterChanged:
    """The roster of the session ``space_id`` (store thread), for a command on that one
    session: unknown and unreadable are told apart, since a user told that a session
    they see in the list was never archived would look for it in the wrong place."""
    found, failure = guarded_roster(archive, space_id)
    if failure is not None:
        log.error("the roster of %s could not be read", space_id, exc_info=failure)
        raise RecordsError(
            f"the session {space_id} could not be read from the archive; see the log"
        ) from failure
    if found is None:
        raise RecordsError(f"{space_id} is not a session {archived_by} has archived")
    return found


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote."""

    folder: str
    rooms: int
    events: int
    size: int  # bytes, all files together
    gaps: int = 0  # known gaps the record states

    def summary(self) -> str:
        """What `oor export` and `oor keeper export` say they did."""
        said = f"; the record states {gaps_said(self.gaps)}" if self.gaps else ""
        return f"Exported {self.events} events of {self.rooms} rooms to {self.folder}{said}"


@dataclass(slots=True)
class _Room:
    room_id: str
    count: int
    head: str


# What `oor export --details-pending` and `oor keeper export --details-pending` mean.
DETAILS_PENDING_HELP = (
    "export even if the session's encrypted details (its title, whether it is an exercise) "
    "never arrived: the record then says on every page that this is not known"
)


class Records:
    """The feature: no projection of its own, only the export command."""

    def __init__(self, account: AccountService, notes: JsonDocument | None = None) -> None:
        self._account = account
        self._notes = notes  # the facilitator's evaluator notes (none for the keeper)

    async def start(self) -> None:
        """Nothing to rebuild: an export reads the archive when asked."""

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        """Nothing to follow between exports."""

    async def export(
        self, space_id: str, folder: str, *, details_pending: bool = False
    ) -> Exported:
        """Write the record of the session ``space_id`` into ``folder``.

        Refused while the session's details are not decrypted, unless ``details_pending``
        says to go ahead (the key may never come: a lost device, a facilitator gone), and
        then the record says on every page, in every picture and in its signed manifest
        that whether it is an exercise is not known."""
        try:
            return await self._export(space_id, Path(folder), details_pending)
        except OSError as exc:
            raise RecordsError(f"cannot write the record to {folder}: {exc.strerror}") from exc

    async def _export(self, space_id: str, out: Path, details_pending: bool) -> Exported:
        account, archive = self._account, self._account.archive
        found = await account.db(archived_session, archive, space_id)
        roster = found.roster
        known = roster.session.details_known
        if not known and not details_pending:  # a record must never pass for a real session
            raise RecordsError(
                f"the details of {space_id} (its title, whether it is an exercise) are not "
                "decrypted yet; export its record once they are, or export it marked as "
                "not known (--details-pending)"
            )
        await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
        rooms = [
            _Room(room_id, *await account.db(archive.chain_position, room_id))
            for room_id in found.room_ids
        ]
        claimed = await account.db(claimed_rooms, archive, space_id)  # nothing read there too
        gaps = await account.db(known_gaps, archive, claimed)
        total = sum(r.count for r in rooms)
        reported = await self._write_events(out / EVENTS, rooms, space_id, total)
        chains = {r.room_id: {"count": r.count, "head": r.head} for r in rooms}
        exported_at = datetime.now(UTC).isoformat(timespec="seconds")
        session = roster.session
        mark = RecordMark.of(session)
        charts = await asyncio.to_thread(session_charts, reported, mark=mark)
        report = render_report(
            ReportInput(
                session, roster.members, reported, account.user_id, exported_at,
                charts, await self._evaluator_notes(roster), gaps,
            )
        )  # fmt: skip
        await asyncio.to_thread(_write_text, out / CHAINS, json.dumps(chains, indent=2) + "\n")
        await asyncio.to_thread(_write_text, out / REPORT, report)
        await asyncio.to_thread(_write_charts, out, charts)
        names = (REPORT, EVENTS, CHAINS, *(chart_file(c.name) for c in charts))
        files = {n: await asyncio.to_thread(sha256_of, out / n) for n in names}
        client = account.client
        exporter = Exporter(account.user_id, client.creds.device_id, client.signing_key)
        said = {"space_id": space_id, "title": session.title, "exercise": session.exercise}
        content = manifest(
            said if known else said | {"details_known": False},
            [r.room_id for r in rooms],
            files,
            exporter=exporter,
            exported_at=exported_at,
            protocol=PROTOCOL_VERSION,
            gaps=gaps,
        )
        signed = manifest_bytes(content)
        await asyncio.to_thread((out / MANIFEST).write_bytes, signed)
        await asyncio.to_thread(_write_text, out / SIGNATURE, client.sign(signed) + "\n")
        names = (*files, MANIFEST, SIGNATURE)
        size = sum([(await asyncio.to_thread((out / n).stat)).st_size for n in names])
        return Exported(str(out), len(rooms), total, size, len(gaps))

    async def _evaluator_notes(self, roster: Roster) -> list[EvaluatorNote] | None:
        """The session's evaluator notes when this account facilitates the exercise; None
        (no section at all) for anyone else."""
        user = self._account.user_id
        facilitates = any(m.user_id == user and m.role is Role.FACILITATOR for m in roster.members)
        if self._notes is None or not roster.session.exercise or not facilitates:
            return None
        try:
            saved = await asyncio.to_thread(self._notes.load)
        except StoreError as exc:
            raise RecordsError(f"the evaluator notes cannot be read: {exc}") from exc
        space_id = roster.session.space_id
        try:
            return [EvaluatorNote(**n) for n in saved.get("notes", []) if n["space_id"] == space_id]
        except (TypeError, KeyError) as exc:
            raise RecordsError(f"the evaluator notes are not in the expected form: {exc}") from exc

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


def _write_charts(out: Path, charts: Sequence[DrawnChart]) -> None:
    """Each chart's SVG beside the report, named as the manifest lists it."""
    if charts:
        (out / CHARTS_DIR).mkdir(exist_ok=True)
    for chart in charts:
        _write_text(out / chart_file(chart.name), chart.svg)


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
