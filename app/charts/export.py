"""A chart as a self-contained HTML file, and the values behind it as CSV.

The HTML embeds plotly.js (no CDN: it opens on an air-gapped machine and in the archive
years later). The CSV lists every value of the chart's series, superseded ones too,
each with its sender and event id, so a figure can be traced back to who said it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.charts.figures import ChartFigure
from app.core.charts import Point, Series

CSV_HEADER = (
    "series",
    "region",
    "at",
    "value",
    "unit",
    "source",
    "sender",
    "event_id",
    "sent",
    "status",
)


def chart_html(chart: ChartFigure, banner: str = "") -> str:
    """One standalone HTML page showing the chart (``banner``: e.g. EXERCISE)."""
    layout = dict(chart.figure["layout"])
    if banner:
        title = f"{banner} — {chart.chart.title}"
        layout["title"] = {"text": title}
    figure = {"data": list(chart.figure["data"]), "layout": layout}
    import plotly.io  # here, not at the top: a client that exports no chart never loads it

    return plotly.io.to_html(
        figure, include_plotlyjs=True, full_html=True, validate=False, config={"responsive": True}
    )


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def _row(point: Point, status: str) -> list[Any]:
    return [
        point.series,
        point.region,
        _iso(point.at),
        format(point.value, ".15g"),
        point.unit,
        point.source,
        point.sender,
        point.event_id,
        _iso(point.sent_ts),
        status,
    ]


def chart_csv(chart: ChartFigure, series: Mapping[str, Series], banner: str = "") -> str:
    """Every value behind the chart: in force and superseded, by series, region and time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*CSV_HEADER, "marking") if banner else CSV_HEADER)
    for key in chart.chart.series:
        found = series.get(key)
        if found is None:
            continue
        for (_region, _at), slot in sorted(found.slots.items()):
            rows = [_row(p, "superseded") for p in slot.history] + [_row(slot.current, "current")]
            for row in rows:
                writer.writerow([*row, banner] if banner else row)
    return out.getvalue()
