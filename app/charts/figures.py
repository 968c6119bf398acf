"""Figures for the four chart kinds, and the payload that extends one in place.

Figures are plain dicts in plotly's JSON schema (building graph objects would validate
every one of 100,000 points and cost seconds). Time axes take milliseconds since the
epoch as they are, so no date is formatted per point. Every layout carries a
``uirevision`` named after the chart: Plotly.react then keeps the user's zoom and pan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.charts import NO_REGION, ChartDef, Point, Series

MARKERS_UP_TO = 200


@dataclass(frozen=True, slots=True)
class ChartFigure:
    """One chart ready to draw: its definition and its plotly figure."""

    chart: ChartDef
    figure: Mapping[str, Any]


def trace_keys(chart: ChartDef, series: Mapping[str, Series]) -> list[tuple[str, str]]:
    """(series, region) of every line of a time chart, in trace order."""
    return [(key, region) for key in chart.series for region in _regions(series.get(key))]


def _regions(series: Series | None) -> list[str]:
    return series.regions() if series is not None else []


def _name(key: str, region: str) -> str:
    return f"{key} — {region}" if region else key


def _layout(chart: ChartDef, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": chart.title},
        "uirevision": chart.chart_id,
        "margin": {"l": 50, "r": 20, "t": 40, "b": 30},
        # Below the axis, clear of the date labels (two lines: time, then date).
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top"},
        "meta": {"chart_id": chart.chart_id, "kind": chart.kind, "unit": chart.unit},
        **extra,
    }


def _time_figure(chart: ChartDef, series: Mapping[str, Series]) -> dict[str, Any]:
    traces = []
    for key, region in trace_keys(chart, series):
        points = series[key].points(region)
        trace: dict[str, Any] = {
            "type": "scatter",
            # Markers only where they can be told apart: thousands of SVG markers make
            # every redraw (and every extendTraces) cost seconds.
            "mode": "lines+markers" if len(points) <= MARKERS_UP_TO else "lines",
            "name": _name(key, region),
            "x": [p.at for p in points],
            "y": [p.value for p in points],
            "hovertemplate": "%{x|%Y-%m-%d %H:%M} UTC<br>%{y:,}<extra>%{fullData.name}</extra>",
        }
        if chart.kind == "area":
            trace["stackgroup"] = "stack"
        traces.append(trace)
    axis: dict[str, Any] = {"title": {"text": chart.unit}} if chart.unit else {}
    xaxis: dict[str, Any] = {"type": "date"}
    if not any(t["x"] for t in traces):
        # No value yet: plotly would invent an axis around 1 January 2000, a date that
        # reads like data. Show no axes until the first value (it redraws the chart).
        xaxis["visible"] = axis["visible"] = False
    layout = _layout(chart, xaxis=xaxis, yaxis=axis)
    layout["margin"] = {**layout["margin"], "b": 80}
    return {"data": traces, "layout": layout}


def _bar_figure(chart: ChartDef, series: Mapping[str, Series]) -> dict[str, Any]:
    """The latest value of each series in each region, side by side."""
    traces = []
    for key in chart.series:
        latest = [(r, p) for r in _regions(series.get(key)) if (p := series[key].latest(r))]
        traces.append(
            {
                "type": "bar",
                "name": key,
                "x": [r or NO_REGION for r, _ in latest],
                "y": [p.value for _, p in latest],
            }
        )
    return {"data": traces, "layout": _layout(chart, barmode="group")}


def _kpi_figure(chart: ChartDef, series: Mapping[str, Series]) -> dict[str, Any]:
    """One big number per series, side by side."""
    count = len(chart.series)
    traces = []
    for index, key in enumerate(chart.series):
        found = series.get(key)
        value = found.total() if found is not None else None
        traces.append(
            {
                "type": "indicator",
                "mode": "number",
                "name": key,
                "value": value,
                "title": {"text": key, "font": {"size": 14}},
                "number": {"suffix": f" {chart.unit}" if chart.unit else "", "valueformat": ","},
                "domain": {"x": [index / count, (index + 1) / count], "y": [0, 0.8]},
            }
        )
    return {"data": traces, "layout": _layout(chart)}


def figure(chart: ChartDef, series: Mapping[str, Series]) -> ChartFigure:
    """The whole figure of a chart from the series as they stand."""
    build = {"bar": _bar_figure, "kpi": _kpi_figure}.get(chart.kind, _time_figure)
    return ChartFigure(chart, build(chart, series))


def extension(
    chart: ChartDef, series: Mapping[str, Series], appended: Sequence[Point]
) -> dict[str, Any] | None:
    """The Plotly.extendTraces payload for points appended at the end of their lines, or
    None when the chart must be drawn again (a bar or KPI chart, a new line)."""
    if chart.kind not in ("timeseries", "area"):
        return None
    order = {key: index for index, key in enumerate(trace_keys(chart, series))}
    grouped: dict[int, list[Point]] = {}
    for point in appended:
        index = order.get((point.series, point.region))
        if index is None:
            return None
        grouped.setdefault(index, []).append(point)
    indices = sorted(grouped)
    return {
        "x": [[p.at for p in grouped[i]] for i in indices],
        "y": [[p.value for p in grouped[i]] for i in indices],
        "indices": indices,
    }
