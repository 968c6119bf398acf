"""The record's charts as SVG: drawn here, without plotly or script, so the report stays one
self-contained page a person can print, and each image is a file the manifest hashes.

Every chart of the session is folded from the archived events by the same rules as the
dashboard (``project_room``) and drawn as lines over time: one line per series and
region, its values in force (corrections applied). Text in a right-to-left script is
marked so, so Arabic titles and names read right to left.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from app.core import roles
from app.core.charts import ChartDef, Point, Rejected, Series, project_room
from app.core.charts.rules import CHART_ID
from app.core.records import RoomEvent

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, PLOT_HEIGHT = 80, 45, 50, 200
LEGEND_ROW = 18
TICKS = 5
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2")
FONT = 'font-family="Noto Sans, DejaVu Sans, sans-serif"'
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


def session_charts(events: Iterable[RoomEvent], *, exercise: bool) -> list[DrawnChart]:
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
            drawn.append(DrawnChart(name, chart.title, chart_svg(chart, room.series, exercise)))
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


def chart_svg(chart: ChartDef, series: Mapping[str, Series], exercise: bool) -> str:
    """The chart as a standalone SVG document (also valid inline in HTML)."""
    lines = _lines(chart, series)
    legend_top = TOP + PLOT_HEIGHT + 45
    height = max(HEIGHT, legend_top + LEGEND_ROW * len(lines) + 10)
    parts = [
        f'<svg{XMLNS} width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(chart.title)}" {FONT}>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        _text(WIDTH / 2, 22, chart.title, size=16, anchor="middle", bold=True),
    ]
    if exercise:
        parts.append(_watermark(height))
    if chart.unit:
        parts.append(_text(16, TOP + PLOT_HEIGHT / 2, chart.unit, size=12, anchor="middle",
                           rotate=True))  # fmt: skip
    if lines:
        parts += _plot(lines)
        parts += _legend(lines, legend_top)
    else:
        parts.append(_text(WIDTH / 2, TOP + PLOT_HEIGHT / 2, NO_VALUES, size=14, anchor="middle"))
    parts.append("</svg>")
    return "\n".join(parts)


def _plot(lines: Sequence[tuple[str, list[Point]]]) -> list[str]:
    """Axes, ticks and one path per line."""
    times = [p.at for _, points in lines for p in points]
    values = [p.value for _, points in lines for p in points]
    t0, t1 = min(times), max(times)
    if t0 == t1:
        t0, t1 = t0 - 3_600_000, t1 + 3_600_000  # one instant: an hour either side
    y_ticks = nice_ticks(min(values), max(values))
    v0, v1 = y_ticks[0], y_ticks[-1]
    right, bottom = WIDTH - RIGHT, TOP + PLOT_HEIGHT

    def x(ms: float) -> float:
        return LEFT + (ms - t0) / (t1 - t0) * (right - LEFT)

    def y(value: float) -> float:
        return bottom - (value - v0) / (v1 - v0) * PLOT_HEIGHT

    out = [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#333"/>',
    ]
    decimals = _decimals(y_ticks)
    for tick in y_ticks:
        out.append(f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}" '
                   'stroke="#ddd"/>')  # fmt: skip
        out.append(_text(LEFT - 6, y(tick) + 4, f"{tick:,.{decimals}f}", size=11, anchor="end"))
    for i in range(TICKS):
        at = t0 + (t1 - t0) * i / (TICKS - 1)
        when = datetime.fromtimestamp(at / 1000, UTC)
        out.append(f'<line x1="{x(at):.1f}" y1="{bottom}" x2="{x(at):.1f}" y2="{bottom + 4}" '
                   'stroke="#333"/>')  # fmt: skip
        out.append(_text(x(at), bottom + 17, when.strftime("%H:%M"), size=11, anchor="middle"))
        out.append(_text(x(at), bottom + 30, when.strftime("%Y-%m-%d"), size=10, anchor="middle"))
    out.append(_text(right, bottom + 43, "UTC", size=10, anchor="end"))
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


def _legend(lines: Sequence[tuple[str, list[Point]]], top: int) -> list[str]:
    out = []
    for index, (name, _) in enumerate(lines):
        row = top + index * LEGEND_ROW
        colour = COLOURS[index % len(COLOURS)]
        out.append(f'<rect x="{LEFT}" y="{row - 9}" width="14" height="4" fill="{colour}"/>')
        out.append(_text(LEFT + 20, row, name, size=12, anchor="start"))
    return out


def _watermark(height: int) -> str:
    """EXERCISE across the image and in its corner: a copied chart still says what it is."""
    cx, cy = WIDTH / 2, height / 2
    return (
        f'<text x="{cx}" y="{cy}" text-anchor="middle" font-size="64" font-weight="bold" '
        f'fill="#d32f2f" fill-opacity="0.12" transform="rotate(-20 {cx} {cy})">EXERCISE</text>'
        f'\n<text x="{WIDTH - RIGHT}" y="{TOP - 12}" text-anchor="end" font-size="12" '
        'font-weight="bold" fill="#d32f2f">EXERCISE</text>'
    )


def is_rtl(text: str) -> bool:
    """Whether the text's first strong character is right-to-left (Arabic, Hebrew)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int,
    anchor: str,
    bold: bool = False,
    rotate: bool = False,
) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="bold"'
    if rotate:
        attrs += f' transform="rotate(-90 {x:.1f} {y:.1f})"'
    if is_rtl(text):
        attrs += ' direction="rtl" unicode-bidi="embed"'
    return f"<text {attrs}>{escape(text)}</text>"


def nice_ticks(low: float, high: float, count: int = TICKS) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering ``low``..``high``; a
    chart of counts starts at zero when its values are all positive."""
    if low > 0:
        low = 0.0
    if high < 0:
        high = 0.0
    if low == high:
        high = low + 1
    raw = (high - low) / (count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(first + step * len(ticks))
    return [round(t, 12) for t in ticks]


def _decimals(ticks: Sequence[float]) -> int:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0
