"""Live situation charts: publish values and chart definitions, keep every room's series.

A Feature of the account. At start it rebuilds each room's series from the archive (so
the dashboard opens from disk, before the first sync); after that it absorbs every fresh
archived batch. The dashboard the UI shows is told only what changed: lines to extend in
place, or single charts to redraw. Values the rules refuse, and events the archive
marked malformed or forged, are never plotted; they are listed with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from app.charts.export import chart_csv, chart_html
from app.charts.figures import extension, figure
from app.charts.page import write_page
from app.core import roles
from app.core.charts import (
    Change,
    ChartDef,
    CsvImport,
    CsvRow,
    Point,
    Reading,
    Rejected,
    RoomIndicators,
    absorb_value,
    chart_content,
    chart_problem,
    indicator_content,
    parse_csv,
    project_room,
    value_problem,
)
from app.core.records import EventStatus, OutboxItem, RoomEvent
from app.services.account import AccountService
from app.services.authority import AUTH_TYPES, RoomAuthority
from app.services.notices import (
    ChartExported,
    ChartsLoaded,
    ChartsUpdated,
    CsvPreviewed,
    IndicatorRefused,
    Problem,
    Refused,
)
from app.store import Archive

log = logging.getLogger(__name__)
MAX_CSV_BYTES = 2 * 1024 * 1024
TIME_KINDS = ("timeseries", "area")
_ROOM_TYPES = ("m.room.create", "m.room.encryption")


def _now_ms() -> int:
    return int(time.time() * 1000)


def chart_definitions(archive: Archive, room_ids: Sequence[str]) -> list[RoomEvent]:
    """Rooms' chart definitions: the 1.x state as it stands, and every encrypted
    definition (the fold puts them in order)."""
    encrypted = archive.events_of_types(room_ids, (roles.CHART,), with_source=False)
    return archive.state(room_ids, (roles.CHART,)) + [e for e in encrypted if e.state_key is None]


def new_member(event: RoomEvent, me: str) -> bool:
    """Whether this event makes someone else a member: a join whose previous membership
    (as the server gives it) was not one. A display-name or avatar change is a join
    after a join, and is not."""
    if event.type != "m.room.member" or event.state_key in (None, me):
        return False
    if event.status is not EventStatus.OK or event.content.get("membership") != "join":
        return False
    return event.membership_before() != "join"


def to_resend(
    archive: Archive, room_id: str, me: str, joins: Sequence[RoomEvent]
) -> list[dict[str, Any]]:
    """What to send so newcomers read the room's charts (store thread); empty unless
    this device is the one to. A member who joins later cannot read earlier
    definitions, so one device repeats them all: the device that sent the latest
    definition of the newest definer still in the room and still allowed to define
    (its archive alone holds that event's transaction id). Only for a join that is
    still the member's current membership: an old one fetched with history (scrolling
    back, a gap) was answered when it happened."""
    members = archive.state([room_id], ("m.room.member",))
    current = {e.state_key: e.event_id for e in members}
    if not any(current.get(j.state_key) == j.event_id for j in joins):
        return []
    authority = RoomAuthority(archive.state([room_id], AUTH_TYPES))
    allowed = {
        e.state_key
        for e in members
        if e.state_key
        and e.content.get("membership") == "join"
        and authority.may_send(room_id, e.state_key, roles.CHART)
    }
    room = project_room(room_id, chart_definitions(archive, [room_id]), ())
    latest = room.resender(allowed)
    if latest is None or latest.sender != me or not latest.txn_id:
        return []
    return room.resends()


def project_rooms(archive: Archive, room_ids: Sequence[str]) -> dict[str, RoomIndicators]:
    """Rooms' indicators from the archive alone (what a restart sees); only rooms that
    have charts or values."""
    charts = chart_definitions(archive, room_ids)
    values = archive.events_of_types(room_ids, (roles.INDICATOR,), with_source=False)
    by_room: dict[str, tuple[list[RoomEvent], list[RoomEvent]]] = {}
    for index, events in enumerate((charts, values)):
        for event in events:
            by_room.setdefault(event.room_id, ([], []))[index].append(event)
    return {room_id: project_room(room_id, *found) for room_id, found in by_room.items()}


class Charts:
    """The account's indicator series and charts, room by room."""

    def __init__(self, account: AccountService, page_dir: Path) -> None:
        self.account = account
        self._page_dir = page_dir
        self._page: Path | None = None
        self._rooms: dict[str, RoomIndicators] = {}
        # One reader or writer of the projections at a time: a room read from the archive
        # while a batch is absorbed must not replace the projection that absorbed it.
        self._lock = asyncio.Lock()
        self.watched = ""  # the room whose dashboard the UI shows: the only one told of changes

    # -- Feature ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Write the page; rooms are projected when first needed (a room with 100,000
        values takes seconds to read, and the first sync must not wait for it)."""
        self._page = await asyncio.to_thread(write_page, self._page_dir)

    def projections(self, room_ids: Sequence[str]) -> dict[str, RoomIndicators]:
        """Rooms' projections from the archive (store thread); empty rooms included."""
        found = project_rooms(self.account.archive, room_ids)
        return {room_id: found.get(room_id) or RoomIndicators(room_id) for room_id in room_ids}

    async def _project(self, room_ids: Sequence[str]) -> None:
        if room_ids:
            self._rooms.update(await self.account.db(self.projections, sorted(room_ids)))

    async def _ensure(self, room_id: str) -> RoomIndicators:
        """The room's projection, read from the archive the first time it is needed."""
        async with self._lock:
            if room_id not in self._rooms:
                await self._project([room_id])
            return self._rooms[room_id]

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        ours = [e for e in fresh if e.type in (roles.CHART, roles.INDICATOR)]
        if ours:
            async with self._lock:
                await self._absorb(ours)
        await self._resend_on_join(fresh)

    async def _resend_on_join(self, fresh: Sequence[RoomEvent]) -> None:
        """Someone became a member: if this device is the one to (``to_resend``), send
        the room's charts again, encrypted to the members now in it, through the outbox."""
        me = self.account.user_id
        joins: dict[str, list[RoomEvent]] = {}
        for event in fresh:
            if new_member(event, me):
                joins.setdefault(event.room_id, []).append(event)
        for room_id, joined in sorted(joins.items()):
            archive = self.account.archive
            for content in await self.account.db(to_resend, archive, room_id, me, joined):
                await self.account.send(room_id, roles.CHART, content)

    async def _absorb(self, ours: Sequence[RoomEvent]) -> None:
        # Rebuilt whole from the archive (which already holds this batch): rooms read for
        # the first time, and rooms with a chart definition that may change their charts
        # (which series exist may change, so every value is judged again). A forged one
        # is only listed, and a re-send changes nothing: a flood of either costs no
        # re-read of the room.
        rebuilt = {e.room_id for e in ours if e.room_id not in self._rooms}
        rebuilt |= {
            e.room_id
            for e in ours
            if e.type == roles.CHART
            and e.room_id not in rebuilt
            and self._rooms[e.room_id].may_change(e)
        }
        await self._project(list(rebuilt))
        changes: dict[str, list[Change]] = {}
        refused: dict[str, list[Rejected]] = {}
        for event in ours:
            if event.room_id in rebuilt:
                continue
            room = self._rooms[event.room_id]
            outcome = room.define(event) if event.type == roles.CHART else absorb_value(room, event)
            if isinstance(outcome, Change):
                changes.setdefault(event.room_id, []).append(outcome)
            elif isinstance(outcome, Rejected):
                refused.setdefault(event.room_id, []).append(outcome)
                log.info("%s refused: %s", outcome.event_id, outcome.reason)
        if self.watched in rebuilt:
            self.account.notify(self._loaded(self.watched))
        elif self.watched in changes or self.watched in refused:
            self.account.notify(
                self._updates(
                    self._rooms[self.watched],
                    changes.get(self.watched, []),
                    refused.get(self.watched, []),
                )
            )

    def _updates(
        self, room: RoomIndicators, changes: Sequence[Change], refused: Sequence[Rejected]
    ) -> ChartsUpdated:
        """Extend what only grew at its end; redraw a chart that changed any other way."""
        appended: dict[str, list[Point]] = {}
        redraw: set[str] = set()
        for change in changes:
            for chart in room.charts_showing(change.series):
                grows = change.op == "append" and not change.new_region
                if grows and chart.kind in TIME_KINDS:
                    appended.setdefault(chart.chart_id, []).append(change.point)
                else:
                    redraw.add(chart.chart_id)
        extend = []
        for chart_id, points in appended.items():
            if chart_id in redraw:
                continue
            payload = extension(room.charts[chart_id], room.series, points)
            if payload is None:
                redraw.add(chart_id)
            else:
                extend.append((chart_id, payload))
        figures = tuple(figure(room.charts[c], room.series) for c in sorted(redraw))
        return ChartsUpdated(room.room_id, tuple(extend), figures, tuple(refused))

    def _loaded(self, room_id: str) -> ChartsLoaded:
        room = self._rooms.get(room_id) or RoomIndicators(room_id)
        charts = tuple(figure(c, room.series) for c in room.charts.values())
        assert self._page is not None, "the feature has not started"
        return ChartsLoaded(room_id, str(self._page), charts, tuple(room.rejected))

    # -- queries ---------------------------------------------------------------------------

    def room(self, room_id: str) -> RoomIndicators:
        """One room's projection (read on the backend loop only)."""
        return self._rooms.get(room_id) or RoomIndicators(room_id)

    # -- commands --------------------------------------------------------------------------

    async def load_charts(self, room_id: str) -> ChartsLoaded:
        """Show this room's dashboard: every chart drawn whole; later only what changes."""
        self.watched = room_id
        await self._ensure(room_id)
        loaded = self._loaded(room_id)
        self.account.notify(loaded)
        return loaded

    def _refuse(self, room_id: str, what: str, reason: str) -> None:
        log.info("%s refused in %s: %s", what, room_id, reason)
        self.account.notify(IndicatorRefused(room_id, what, reason))

    async def publish(self, room_id: str, reading: Reading) -> OutboxItem | None:
        """Publish one value through the outbox, after the checks every receiver applies."""
        content = indicator_content(reading)
        room = await self._ensure(room_id)
        why = value_problem(content, room.known_series(), _now_ms())
        why = why or await self.account.db(self._below_the_ladder, room_id, content)
        if why:
            self._refuse(room_id, "value", why)
            return None
        return await self.account.send(room_id, roles.INDICATOR, content)

    def _below_the_ladder(
        self, room_id: str, content: Mapping[str, Any], event_type: str = roles.INDICATOR
    ) -> str:
        """Why every receiver would record our event as forged ('' if it would not): the
        same check as theirs, on the room's power levels as we hold them (store thread)."""
        state = self.account.archive.state([room_id], AUTH_TYPES)
        ours = RoomEvent("", room_id, self.account.user_id, event_type, 0, content)
        checked = RoomAuthority(state).check(ours)
        return checked.note if checked.status is EventStatus.FORGED else ""

    def _not_here(self, room_id: str, content: Mapping[str, Any]) -> str:
        """Why a chart may not be defined in this room ('' when it may): not in a room
        the server reads in clear, and not by someone every receiver would refuse."""
        known = {e.type for e in self.account.archive.state([room_id], _ROOM_TYPES)}
        if "m.room.create" not in known:
            return "this room is not known on this device yet (wait for it to sync)"
        if "m.room.encryption" not in known:
            return "this room is not encrypted: the server would read the chart's title and series"
        return self._below_the_ladder(room_id, content, roles.CHART)

    async def define_chart(self, room_id: str, chart: ChartDef) -> OutboxItem:
        """Publish a chart definition as an encrypted event, through the outbox: the
        server must not read what the session counts. It cannot check the sender's level
        in ciphertext, so every receiver does (officials and above) and so do we, first:
        a refusal is raised to whoever defined the chart, and nothing is queued."""
        content = chart_content(chart)
        why = chart_problem(chart) or await self.account.db(self._not_here, room_id, content)
        if why:
            log.info("chart refused in %s: %s", room_id, why)
            raise Refused(Problem("chart_refused", why))
        return await self.account.send(room_id, roles.CHART, content)

    async def preview_csv(self, room_id: str, series: str, path: str, unit: str = "") -> CsvImport:
        """Read and check a CSV file of one series; nothing is published yet."""
        try:
            text = await asyncio.to_thread(_read_text, Path(path))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            result = CsvImport(series, problem=str(exc))
        else:
            known = (await self._ensure(room_id)).known_series()
            result = parse_csv(text, series, known, _now_ms(), unit)
        self.account.notify(CsvPreviewed(room_id, path, result))
        return result

    async def import_rows(self, room_id: str, rows: Sequence[CsvRow]) -> int:
        """Publish previewed rows, each checked again (a chart may have changed meanwhile)."""
        known, now, sent = (await self._ensure(room_id)).known_series(), _now_ms(), 0
        if rows and (
            why := await self.account.db(self._below_the_ladder, room_id, rows[0].content)
        ):
            self._refuse(room_id, "import", why)
            return 0
        for row in rows:
            why = value_problem(row.content, known, now)
            if why:
                self._refuse(room_id, "import", f"line {row.line}: {why}")
                continue
            await self.account.send(room_id, roles.INDICATOR, row.content)
            sent += 1
        return sent

    async def export(
        self, room_id: str, chart_id: str, fmt: str, path: str, banner: str = ""
    ) -> bool:
        """Write a chart as self-contained HTML or its values as CSV."""
        room = await self._ensure(room_id)
        chart = room.charts.get(chart_id)
        if chart is None:
            self._refuse(room_id, "export", f"no chart {chart_id!r} in this room")
            return False
        drawn = figure(chart, room.series)
        text = chart_html(drawn, banner) if fmt == "html" else chart_csv(drawn, room.series, banner)
        try:
            await asyncio.to_thread(Path(path).write_text, text, "utf-8")
        except OSError as exc:
            self._refuse(room_id, "export", str(exc))
            return False
        self.account.notify(ChartExported(path))
        return True


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise ValueError(f"the file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB")
    return path.read_text(encoding="utf-8-sig")
