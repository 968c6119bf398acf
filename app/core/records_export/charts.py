"""The record's charts as SVG: drawn here, without plotly or script, so the report stays one
self-contained page a person can print, and each image is a file the manifest hashes.

Every chart of the session is folded from the archived events by the same rules as the
dashboard (``project_room``) and drawn as its kind: a time chart as lines over time, one
per series and region, its values in force (corrections applied); an area, bar or KPI
chart as the dashboard draws it (``chart_kinds``). Text in a right-to-left script is
marked so, so Arabic titles and names read right to left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from app.core import roles
from app.core.charts import ChartDef, Point, Rejected, Series, project_room
from app.core.charts.rules import CHART_ID
from app.core.records import RoomEvent
from app.core.records_export.chart_kinds import Drawing, bars, numbers, stacked_areas
from app.core.records_export.marking import RecordMark
from app.core.records_export.svg import (
    BOTTOM,
    COLOURS,
    FONT,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    text,
    time_axis,
    value_axis,
)

LEGEND_ROW = 18
NO_VALUES = "No values"
XMLNS = ' xmlns="http://www.w3.org/2000/svg"'  # a file needs it; inline HTML does not


@dataclass(frozen=True, slots=True)
class DrawnChart:
    """One chart of the record: its file name beside the bundle, title and SVG text."""

    name: str  # charts/<name>.svg, safe on every file system
    title: str
    svg: str

    def inline(self) -> str:
        """The SVG as it goes into the HTML page: no namespace URL (HTML implies it, and the
        page names no address at all)."""
        return self.svg.replace(XMLNS, "", 1)


def session_charts(events: Iterable[RoomEvent], *, mark: RecordMark) -> list[DrawnChart]:
    """Every chart of the session's rooms, drawn from their chart definitions (encrypted
    events and 1.x state) and values."""
    by_room: dict[str, tuple[list[RoomEvent], list[RoomEvent]]] = {}
    for e in events:
        if e.type in (roles.CHART, roles.INDICATOR):
            by_room.setdefault(e.room_id, ([], []))[int(e.type == roles.INDICATOR)].append(e)
    drawn: list[DrawnChart] = []
    taken: set[str] = set()
    for room_id, (charts, values) in sorted(by_room.items()):
        room = project_room(room_id, charts, values)
        for chart_id, chart in sorted(room.charts.items()):
            name = _file_name(chart_id, taken)
            drawn.append(DrawnChart(name, chart.title, chart_svg(chart, room.series, mark)))
    return drawn


def refused_definitions(events: Iterable[RoomEvent]) -> list[Rejected]:
    """Chart definitions no client applied (forged: the sender had no right to define
    charts; malformed), room by room in the order they came: the record names them."""
    by_room: dict[str, list[RoomEvent]] = {}
    for e in events:
        if e.type == roles.CHART:
            by_room.setdefault(e.room_id, []).append(e)
    found = [project_room(room_id, defs, ()).rejected for room_id, defs in sorted(by_room.items())]
    return [r for rejected in found for r in rejected]


def _file_name(chart_id: str, taken: set[str]) -> str:
    """The chart id when it is a plain name (a state key comes from others: never a path),
    made unique across rooms."""
    base = chart_id if CHART_ID.match(chart_id) else re.sub(r"[^a-z0-9_-]+", "-", chart_id)
    base = base.strip("-")[:64] or "chart"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def _lines(chart: ChartDef, series: Mapping[str, Series]) -> list[tuple[str, list[Point]]]:
    """(legend name, points in time order) of every line: each series in each region."""
    found = []
    for key in chart.series:
        s = series.get(key)
        for region in s.regions() if s is not None else ():
            found.append((f"{key} — {region}" if region else key, s.points(region)))
    return [(name, points) for name, points in found if points]


def _drawing(chart: ChartDef, series: Mapping[str, Series]) -> Drawing | None:
    """What the chart's kind draws (None while it has no value to draw)."""
    if chart.kind == "bar":
        return bars(chart, series)
    if chart.kind == "kpi":
        return numbers(chart, series)
    lines = _lines(chart, series)
    if not lines:
        return None
    drawn = stacked_areas(lines) if chart.kind == "area" else _plot(lines)
    return Drawing(drawn, [name for name, _ in lines])


def chart_svg(chart: ChartDef, series: Mapping[str, Series], mark: RecordMark) -> str:
    """The chart as a standalone SVG document (also valid inline in HTML), drawn as its
    kind, with the session's mark (EXERCISE, DETAILS PENDING) across it."""
    drawing = _drawing(chart, series)
    legend = drawing.legend if drawing is not None else []
    legend_top = BOTTOM + 45
    least = drawing.height if drawing is not None else HEIGHT
    height = max(least, legend_top + LEGEND_ROW * len(legend) + 10) if legend else least
    parts = [
        f'<svg{XMLNS} width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(chart.title)}" {FONT}>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        text(WIDTH / 2, 22, chart.title, size=16, anchor="middle", bold=True),
    ]
    if mark is not RecordMark.NONE:
        parts.append(_watermark(height, mark))
    if chart.unit and (drawing is None or drawing.shows_unit):
        parts.append(text(16, (TOP + BOTTOM) / 2, chart.unit, size=12, anchor="middle",
                          rotate=True))  # fmt: skip
    if drawing is not None:
        parts += drawing.parts
        parts += _legend(legend, legend_top)
    else:
        parts.append(text(WIDTH / 2, (TOP + BOTTOM) / 2, NO_VALUES, size=14, anchor="middle"))
    parts.append("</svg>")
    return "\n".join(parts)


def _plot(lines: Sequence[tuple[str, list[Point]]]) -> list[str]:
    """Axes, ticks and one path per line."""
    y, out = value_axis([p.value for _, points in lines for p in points])
    x, ticks = time_axis([p.at for _, points in lines for p in points])
    out += ticks
    for index, (name, points) in enumerate(lines):
        colour = COLOURS[index % len(COLOURS)]
        d = " ".join(
            f"{'M' if i == 0 else 'L'}{x(p.at):.1f},{y(p.value):.1f}" for i, p in enumerate(points)
        )
        out.append(f'<path class="series" d="{d}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"><title>{escape(name)}</title></path>')  # fmt: skip
        if len(points) == 1:  # a single value is a dot, not an invisible line
            out.append(f'<circle cx="{x(points[0].at):.1f}" cy="{y(points[0].value):.1f}" r="3" '
                       f'fill="{colour}"/>')  # fmt: skip
    return out


def _legend(names: Sequence[str], top: int) -> list[str]:
    out = []
    for index, name in enumerate(names):
        row = top + index * LEGEND_ROW
        colour = COLOURS[index % len(COLOURS)]
        out.append(f'<rect x="{LEFT}" y="{row - 9}" width="14" height="4" fill="{colour}"/>')
        out.append(text(LEFT + 20, row, name, size=12, anchor="start"))
    return out


def _watermark(height: int, mark: RecordMark) -> str:
    """The mark across the image and in its corner: a copied chart still says what it is."""
    cx, cy = WIDTH / 2, height / 2
    size = 64 if mark is RecordMark.EXERCISE else 48  # the longer words fit the width
    return (
        f'<text x="{cx}" y="{cy}" text-anchor="middle" font-size="{size}" font-weight="bold" '
        f'fill="{mark.ink}" fill-opacity="0.12" transform="rotate(-20 {cx} {cy})">'
        f"{mark.value}</text>"
        f'\n<text x="{WIDTH - RIGHT}" y="{TOP - 12}" text-anchor="end" font-size="12" '
        f'font-weight="bold" fill="{mark.ink}">{mark.value}</text>'
    )
