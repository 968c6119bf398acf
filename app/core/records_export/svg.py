"""The drawing kit the record's charts share: the page's measures, text that knows its
direction, and the value axis with round ticks.

Apart from ``charts`` so that each kind of chart (lines, bars, KPI numbers) is drawn in a
module of its own on the same measures, and the record's charts look like one family.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from html import escape

from app.core.text import is_rtl

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, PLOT_HEIGHT = 80, 45, 50, 200
BOTTOM = TOP + PLOT_HEIGHT
TICKS = 5
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2")
FONT = 'font-family="Noto Sans, DejaVu Sans, sans-serif"'


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: int,
    anchor: str,
    bold: bool = False,
    rotate: bool = False,
    cls: str = "",
) -> str:
    """One SVG text, marked right-to-left when it is (Arabic titles and names)."""
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
    if cls:
        attrs = f'class="{cls}" {attrs}'
    if bold:
        attrs += ' font-weight="bold"'
    if rotate:
        attrs += f' transform="rotate(-90 {x:.1f} {y:.1f})"'
    if is_rtl(content):
        attrs += ' direction="rtl" unicode-bidi="embed"'
    return f"<text {attrs}>{escape(content)}</text>"


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


def value_axis(values: Sequence[float]) -> tuple[Callable[[float], float], list[str]]:
    """The y scale for these values and what draws it: both axis lines, the gridlines and
    the tick labels."""
    ticks = nice_ticks(min(values), max(values))
    v0, v1 = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return BOTTOM - (value - v0) / (v1 - v0) * PLOT_HEIGHT

    right = WIDTH - RIGHT
    out = [
        f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{right}" y2="{BOTTOM}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}" stroke="#333"/>',
    ]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    for tick in ticks:
        out.append(f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}" '
                   'stroke="#ddd"/>')  # fmt: skip
        out.append(text(LEFT - 6, y(tick) + 4, f"{tick:,.{decimals}f}", size=11, anchor="end"))
    return y, out


def time_axis(times: Sequence[int]) -> tuple[Callable[[float], float], list[str]]:
    """The x scale for these instants (ms since the epoch) and its ticks: time over date,
    in UTC; one instant alone gets an hour either side."""
    t0, t1 = min(times), max(times)
    if t0 == t1:
        t0, t1 = t0 - 3_600_000, t1 + 3_600_000
    right = WIDTH - RIGHT

    def x(ms: float) -> float:
        return LEFT + (ms - t0) / (t1 - t0) * (right - LEFT)

    out = []
    for i in range(TICKS):
        at = t0 + (t1 - t0) * i / (TICKS - 1)
        when = datetime.fromtimestamp(at / 1000, UTC)
        out.append(f'<line x1="{x(at):.1f}" y1="{BOTTOM}" x2="{x(at):.1f}" y2="{BOTTOM + 4}" '
                   'stroke="#333"/>')  # fmt: skip
        out.append(text(x(at), BOTTOM + 17, when.strftime("%H:%M"), size=11, anchor="middle"))
        out.append(text(x(at), BOTTOM + 30, when.strftime("%Y-%m-%d"), size=10, anchor="middle"))
    out.append(text(right, BOTTOM + 43, "UTC", size=10, anchor="end"))
    return x, out


def number(value: float) -> str:
    """A figure as a reader expects it: thousands grouped, no trailing '.0'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")
