"""Situation indicators: the rules for a value, a chart, a CSV of a series, and corrections.

Everyone in a session must see the same numbers, so every client applies the same rules
to the same archived events: a value is judged against the charts of its room and the
server's timestamp of its event (not the local clock), and a later value for the same
series, region and time supersedes the earlier one while the earlier one stays in the
history. Nothing here raises on bad input from other clients: it returns a reason.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.core import protocol, roles

#: A value may refer to a time at most this far after its event was sent (clock skew).
FUTURE_TOLERANCE_MS = 5 * 60 * 1000
#: No crisis indicator (people, flights, crossings, reach) comes near a trillion.
MAX_MAGNITUDE = 1e12
MAX_CSV_ROWS = 2_000  # one event per row: a bigger import belongs in a scripted feed
MAX_CHART_ID = 64
MAX_REJECTED_SHOWN = 500  # refused values a dashboard lists (the archive keeps them all)
CHART_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PERCENT_UNITS = frozenset({"%", "percent"})
#: Units that count things: a negative number of people or flights is a typo, not a figure.
COUNT_UNITS = frozenset(
    {
        "people", "persons", "person", "citizens", "evacuees", "evacuated", "refugees",
        "hostages", "casualties", "injured", "deaths", "cases", "flights", "buses",
        "vehicles", "crossings", "households", "families", "posts", "views", "count",
        "أشخاص", "شخص", "مواطنون", "رحلات", "حالات",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ChartDef:
    """A chart as its state event defines it (state key = chart id)."""

    chart_id: str
    title: str
    series: tuple[str, ...]
    kind: str  # timeseries | bar | area | kpi
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Point:
    """One accepted indicator value, with where it came from."""

    series: str
    value: float
    at: int  # ms since the epoch: the time the value refers to
    region: str = ""
    unit: str = ""
    source: str = ""
    sender: str = ""
    event_id: str = ""
    sent_ts: int = 0  # the server's timestamp of the event: orders corrections


@dataclass(frozen=True, slots=True)
class Rejected:
    """A value that is not plotted, and why (malformed, forged, or against the rules)."""

    event_id: str
    sender: str
    series: str
    reason: str
    sent_ts: int = 0


@dataclass(frozen=True, slots=True)
class Slot:
    """What the series holds at one (region, time): the value in force and those it replaced."""

    current: Point
    history: tuple[Point, ...] = ()  # superseded values, oldest first


def chart_id_from_title(title: str) -> str:
    """A readable state key from a title (non-Latin titles fall back to 'chart')."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:MAX_CHART_ID].strip("-")
    return slug or "chart"


def read_chart(chart_id: str, content: Mapping[str, Any]) -> ChartDef | None:
    """A chart from its state, or None if the content does not fit the schema."""
    if protocol.problem(roles.CHART, content) or not content["series"]:
        return None
    return ChartDef(
        chart_id,
        content["title"],
        tuple(dict.fromkeys(s for s in content["series"] if s)),
        content["kind"],
        str(content.get("unit") or ""),
    )


def chart_content(chart: ChartDef) -> dict[str, Any]:
    """The org.openopsroom.chart state for a chart."""
    return {
        "body": f"Chart {chart.title}: {', '.join(chart.series)} ({chart.kind})",
        "title": chart.title,
        "series": list(chart.series),
        "kind": chart.kind,
        "unit": chart.unit,
    }


def chart_problem(chart: ChartDef) -> str:
    """Why a chart definition cannot be published; '' when it can."""
    if not CHART_ID.match(chart.chart_id):
        return "the chart id must be 1-64 characters a-z 0-9 - _"
    if not chart.series:
        return "a chart needs at least one series"
    if any(len(s) > 100 for s in chart.series):
        return "a series key is at most 100 characters"
    return protocol.problem(roles.CHART, chart_content(chart))


def value_problem(content: Any, known_series: Collection[str], reference_ms: int) -> str:
    """Why an indicator value must not be plotted; '' when it may.

    ``reference_ms`` is the server timestamp of the event (or, before sending, the local
    clock): every client judges the same event alike, whenever it reads it.
    """
    why = protocol.problem(roles.INDICATOR, content)
    if why:
        return why
    value, at, series = content["value"], content["at"], content["series"]
    if abs(value) > MAX_MAGNITUDE:
        return f"value {value:g} is beyond {MAX_MAGNITUDE:g}: not a plausible figure"
    unit = str(content.get("unit") or "").strip().lower()
    if unit in PERCENT_UNITS and not 0 <= value <= 100:
        return f"value {value:g} is not a percentage between 0 and 100"
    if unit in COUNT_UNITS and value < 0:
        return f"value {value:g} is a count of {unit[:40]} and cannot be negative"
    if at > reference_ms + FUTURE_TOLERANCE_MS:
        minutes = (at - reference_ms) // 60_000
        ahead = f"{minutes} minutes" if minutes < 2 * 1440 else f"{minutes // 1440} days"
        return f"at is {ahead} in the future"
    if series not in known_series:
        return f"series {series[:100]!r} is in no chart of this session"
    return ""


@dataclass(frozen=True, slots=True)
class Reading:
    """A value someone is about to publish (by hand or from a CSV row)."""

    series: str
    value: float
    at: int  # ms since the epoch
    unit: str = ""
    region: str = ""
    source: str = ""


def indicator_content(reading: Reading) -> dict[str, Any]:
    """The org.openopsroom.indicator event for a value (with a body any client can show)."""
    r = reading
    where = f" in {r.region}" if r.region else ""
    when = datetime.fromtimestamp(r.at / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    content: dict[str, Any] = {
        "body": f"{r.series}{where}: {r.value:g} {r.unit}".rstrip() + f" at {when}",
        "series": r.series,
        # Integral values go as integers: unencrypted rooms of v6+ refuse floats.
        "value": int(r.value) if float(r.value).is_integer() else r.value,
        "at": r.at,
    }
    for name, text in (("unit", r.unit), ("region", r.region), ("source", r.source)):
        if text:
            content[name] = text
    return content


def point_of(content: Mapping[str, Any], sender: str, event_id: str, sent_ts: int) -> Point:
    """A Point from content that passed value_problem."""
    return Point(
        series=content["series"],
        value=float(content["value"]),
        at=content["at"],
        region=str(content.get("region") or ""),
        unit=str(content.get("unit") or ""),
        source=str(content.get("source") or ""),
        sender=sender,
        event_id=event_id,
        sent_ts=sent_ts,
    )


@dataclass
class Series:
    """All values of one series in one room, by region and time, corrections kept.

    A value for a (region, at) that already holds one supersedes it if it was sent later
    (server time; event id breaks ties the same way on every client); an earlier one
    arriving late goes into the history instead. Either way nothing is dropped.
    """

    key: str
    slots: dict[tuple[str, int], Slot] = field(default_factory=dict)
    _latest_at: dict[str, int] = field(default_factory=dict)

    def add(self, point: Point) -> str:
        """Place a point; returns 'append' (new, latest in its region), 'insert' (new, at an
        earlier time), 'correct' (replaces a value in force) or 'history' (older than it)."""
        slot_key = (point.region, point.at)
        slot = self.slots.get(slot_key)
        if slot is None:
            self.slots[slot_key] = Slot(point)
            latest = self._latest_at.get(point.region)
            self._latest_at[point.region] = max(point.at, latest if latest is not None else -1)
            return "append" if latest is None or point.at > latest else "insert"
        if (point.sent_ts, point.event_id) > (slot.current.sent_ts, slot.current.event_id):
            self.slots[slot_key] = Slot(point, (*slot.history, slot.current))
            return "correct"
        history = sorted((*slot.history, point), key=lambda p: (p.sent_ts, p.event_id))
        self.slots[slot_key] = Slot(slot.current, tuple(history))
        return "history"

    def regions(self) -> list[str]:
        return sorted(self._latest_at)

    def has_region(self, region: str) -> bool:
        return region in self._latest_at

    def points(self, region: str) -> list[Point]:
        """The values in force in one region, in time order."""
        found = [s.current for (r, _), s in self.slots.items() if r == region]
        return sorted(found, key=lambda p: p.at)

    def latest(self, region: str) -> Point | None:
        at = self._latest_at.get(region)
        return None if at is None else self.slots[(region, at)].current

    def __len__(self) -> int:
        return len(self.slots)


# -- CSV ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvRow:
    """A row that will be published: its line in the file and its event content."""

    line: int
    content: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CsvRejection:
    line: int
    reason: str
    text: str  # the row as it was, shortened, so the person can find it


@dataclass(frozen=True, slots=True)
class CsvImport:
    """What a CSV file would publish, and every row refused with the reason."""

    series: str
    rows: tuple[CsvRow, ...] = ()
    rejected: tuple[CsvRejection, ...] = ()
    problem: str = ""  # the file as a whole cannot be used (no header, wrong columns)


CSV_COLUMNS = ("at", "value", "region", "unit", "source")


def parse_time(text: str) -> int | None:
    """ms since the epoch from ISO 8601 (a time without zone is UTC) or a plain ms count."""
    text = text.strip()
    if re.fullmatch(r"-?\d{1,16}", text):
        return int(text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def parse_number(text: str) -> float | None:
    """A finite number; thousands separators and spaces allowed (never a decimal comma)."""
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("\u066c", "")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_csv(
    text: str, series: str, known_series: Collection[str], now_ms: int, unit: str = ""
) -> CsvImport:
    """Read a CSV of one series: header with at and value, optionally region, unit, source.

    Every row is checked with the same rules as a value typed by hand; refused rows are
    listed with their line number and reason, the others are ready to publish.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        return CsvImport(series, problem="the file is empty or not CSV")
    missing = [c for c in ("at", "value") if c not in header]
    if missing:
        return CsvImport(series, problem=f"the header has no column {', '.join(missing)}")
    index = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    rows: list[CsvRow] = []
    rejected: list[CsvRejection] = []
    seen: set[tuple[str, int]] = set()
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_CSV_ROWS:
                rejected.append(
                    CsvRejection(line, f"more than {MAX_CSV_ROWS} rows", ",".join(record)[:80])
                )
                break
            content, why = _csv_content(record, index, series, unit)
            if not why:
                why = value_problem(content, known_series, now_ms)
            key = (str(content.get("region", "")), content.get("at", 0))
            if not why and key in seen:
                why = "the same region and time as an earlier row"
            if why:
                rejected.append(CsvRejection(line, why, ",".join(record)[:80]))
            else:
                seen.add(key)
                rows.append(CsvRow(line, content))
    except csv.Error as exc:
        rejected.append(CsvRejection(reader.line_num, f"unreadable CSV: {exc}", ""))
    return CsvImport(series, tuple(rows), tuple(rejected))


def _csv_content(
    record: list[str], index: Mapping[str, int], series: str, unit: str
) -> tuple[dict[str, Any], str]:
    def cell(name: str) -> str:
        at = index.get(name)
        return record[at].strip() if at is not None and at < len(record) else ""

    at = parse_time(cell("at"))
    if at is None or not 0 <= at <= protocol.LATEST_MS:
        return {}, f"at {cell('at')[:40]!r} is not a date and time between 1970 and 9999"
    value = parse_number(cell("value"))
    if value is None:
        return {}, f"value {cell('value')[:40]!r} is not a finite number"
    reading = Reading(series, value, at, cell("unit") or unit, cell("region"), cell("source"))
    content = indicator_content(reading)
    return content, ""


# -- one room's indicators -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """What one accepted value did to a series: ``op`` as Series.add says, and whether its
    region is new (a new line on the charts that show the series)."""

    series: str
    point: Point
    op: str
    new_region: bool


class RoomIndicators:
    """The charts, series and refused values of one room (a session's operations room).

    Rebuilt from the archive at start and fed every fresh event after: the same events
    in the same order give every client the same series.
    """

    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        self.charts: dict[str, ChartDef] = {}
        self.series: dict[str, Series] = {}
        # The newest refusals only: a flood of junk values must not grow without bound
        # (every one stays in the archive, marked, for whoever audits it).
        self.rejected: deque[Rejected] = deque(maxlen=MAX_REJECTED_SHOWN)
        self._known: frozenset[str] = frozenset()

    def known_series(self) -> frozenset[str]:
        return self._known

    def set_chart(self, chart_id: str, content: Mapping[str, Any]) -> ChartDef | None:
        """Apply chart state; content that does not fit removes nothing but is ignored."""
        chart = read_chart(chart_id, content)
        if chart is not None:
            self.charts[chart_id] = chart
            self._known = frozenset(s for c in self.charts.values() for s in c.series)
        return chart

    def add_value(
        self,
        content: Any,
        sender: str,
        event_id: str,
        sent_ts: int,
        refused: str = "",
    ) -> Change | Rejected:
        """Judge and place one indicator event; ``refused`` is why the archive already
        refused it (malformed, forged), which wins over every other check."""
        why = refused or value_problem(content, self.known_series(), sent_ts)
        if why:
            series = content.get("series") if isinstance(content, Mapping) else None
            rejected = Rejected(event_id, sender, str(series or "")[:100], why, sent_ts)
            self.rejected.append(rejected)
            return rejected
        point = point_of(content, sender, event_id, sent_ts)
        series = self.series.setdefault(point.series, Series(point.series))
        new_region = not series.has_region(point.region)
        return Change(point.series, point, series.add(point), new_region)

    def charts_showing(self, series: str) -> list[ChartDef]:
        return [c for c in self.charts.values() if series in c.series]
