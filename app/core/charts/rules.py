"""Situation indicators: the rules for a value, a chart, a CSV of a series, and corrections.

Everyone in a session must see the same numbers, so every client applies the same rules
to the same archived events: a value is judged against the charts of its room and the
server's timestamp of its event (not the local clock), and a later value for the same
series, region and time supersedes the earlier one while the earlier one stays in the
history. Nothing here raises on bad input from other clients: it returns a reason.

This module: charts, values and their checks, and a series with its corrections.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.core import protocol, roles

#: A value may refer to a time at most this far after its event was sent (clock skew).
FUTURE_TOLERANCE_MS = 5 * 60 * 1000


#: No crisis indicator (people, flights, crossings, reach) comes near a trillion.
MAX_MAGNITUDE = 1e12
# What a chart calls a value published without a region: the whole session's figure
# (the dashboard's and the record's bars and legends alike).
NO_REGION = "—"


MAX_CHART_ID = 64


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
    """A chart as its definition says: an encrypted event naming its id (2.1), or the
    readable state of protocol 1.x rooms (state key = chart id)."""

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
    """A value that is not plotted, or a chart definition that is not applied, and why
    (malformed, forged, or against the rules)."""

    event_id: str
    sender: str
    series: str
    reason: str
    sent_ts: int = 0
    chart: str = ""  # a refused chart definition: the chart it named (title, id, or "?")


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
    """The org.openopsroom.chart timeline event defining a chart, sent encrypted: the
    server must not read what a crisis counts ("hostages"). 1.x wrote the same fields,
    without ``id``, as state keyed by the chart id."""
    return {
        "body": f"Chart {chart.title}: {', '.join(chart.series)} ({chart.kind})",
        "id": chart.chart_id,
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
        earlier time), 'correct' (replaces a value in force) or 'history' (older than it).
        Each event is placed once: ``RoomIndicators`` judges an event id only once."""
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

    def total(self) -> float | None:
        """The series' figure now, as a KPI shows it: the sum of each region's latest
        value (None while it has none)."""
        latest = [self.latest(r) for r in self.regions()]
        values = [p.value for p in latest if p is not None]
        return sum(values) if values else None

    def __len__(self) -> int:
        return len(self.slots)
