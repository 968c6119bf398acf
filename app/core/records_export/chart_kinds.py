"""The record's bar, KPI and area charts, drawn as the dashboard draws them
(``app.charts``): a bar chart shows each series' latest value in each region side by
side, a KPI chart one big number per series (the sum of its regions' latest values), an
area chart its lines stacked one on the next.

Why not lines for every kind: a reader of the record must see the chart the participants
saw. A KPI drawn as lines over time shows no figure at all to read off, and bars drawn as
lines suggest a trend between regions that are not a time axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from app.core.charts import NO_REGION, ChartDef, Point, Series
from app.core.records_export.svg import (
    BOTTOM,
    COLOURS,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    number,
    text,
    time_axis,
    value_axis,
)

KPI_HEIGHT = 180
NO_VALUE = "—"


@dataclass(frozen=True, slots=True)
class Drawing:
    """What a kind draws inside the frame (title, marking, legend are the frame's)."""

    parts: list[str]
    legend: list[str] = field(default_factory=list)  # one entry per colour, in order
    height: int = HEIGHT  # the least the image needs
    shows_unit: bool = True  # a rotated unit beside the value axis


def bars(chart: ChartDef, series: Mapping[str, Series]) -> Drawing | None:
    """Grouped bars: one group per region, one bar per series (None: no value yet)."""
    latest = {
        key: {r: p.value for r in s.regions() if (p := s.latest(r)) is not None}
        for key in chart.series
        if (s := series.get(key)) is not None
    }
    # In the dashboard's order: plotly places a category where it first appears, going
    # through the chart's series in turn, each in its own region order (``regions()``).
    regions = list(dict.fromkeys(r for values in latest.values() for r in values))
    if not regions:
        return None
    y, parts = value_axis([v for values in latest.values() for v in values.values()])
    group = (WIDTH - RIGHT - LEFT) / len(regions)
    width = group * 0.8 / len(chart.series)
    for g, region in enumerate(regions):
        centre = LEFT + group * (g + 0.5)
        parts.append(text(centre, BOTTOM + 17, region or NO_REGION, size=11, anchor="middle"))
        for index, key in enumerate(chart.series):
            value = latest.get(key, {}).get(region)
            if value is None:
                continue
            x = LEFT + group * g + group * 0.1 + width * index
            top, base = sorted((y(value), y(0)))
            name = f"{key} — {region or NO_REGION}: {number(value)}"
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{base - top:.1f}" fill="{COLOURS[index % len(COLOURS)]}">'
                f"<title>{escape(name)}</title></rect>"
            )
    return Drawing(parts, list(chart.series))


def stacked_areas(lines: Sequence[tuple[str, Sequence[Point]]]) -> list[str]:
    """Areas stacked one on the next, as plotly's stack group draws an area chart: at
    every instant any line has a value, a line without one adds zero there."""
    times = sorted({p.at for _, points in lines for p in points})
    below = dict.fromkeys(times, 0.0)
    tops = []
    for _, points in lines:
        values = {p.at: p.value for p in points}
        top = {at: below[at] + values.get(at, 0.0) for at in times}
        tops.append((dict(below), top))
        below = top
    y, out = value_axis([0.0, *(v for _, top in tops for v in top.values())])
    x, ticks = time_axis(times)
    out += ticks
    for index, ((name, _), (lower, upper)) in enumerate(zip(lines, tops, strict=True)):
        colour = COLOURS[index % len(COLOURS)]
        edge = [f"{x(at):.1f},{y(upper[at]):.1f}" for at in times]
        back = [f"{x(at):.1f},{y(lower[at]):.1f}" for at in reversed(times)]
        out.append(f'<path class="area" d="M{" L".join(edge + back)} Z" fill="{colour}" '
                   f'fill-opacity="0.45" stroke="{colour}" stroke-width="1.5">'
                   f"<title>{escape(name)}</title></path>")  # fmt: skip
    return out


def numbers(chart: ChartDef, series: Mapping[str, Series]) -> Drawing | None:
    """One big number per series, side by side, its unit after it (None: no value yet)."""
    totals = [(key, s.total() if (s := series.get(key)) is not None else None)
              for key in chart.series]  # fmt: skip
    if all(value is None for _, value in totals):
        return None
    share = (WIDTH - 2 * LEFT) / len(totals)
    parts = []
    for index, (key, value) in enumerate(totals):
        centre = LEFT + share * (index + 0.5)
        shown = NO_VALUE if value is None else number(value)
        if value is not None and chart.unit:
            shown = f"{shown} {chart.unit}"
        parts.append(text(centre, TOP + 35, key, size=14, anchor="middle"))
        parts.append(text(centre, TOP + 95, shown, size=40, anchor="middle", bold=True, cls="kpi"))
    return Drawing(parts, height=KPI_HEIGHT, shows_unit=False)
