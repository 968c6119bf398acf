"""The record's charts as SVG images: what a reader of a printed record sees of each chart,
drawn without plotly or script, from the same fold of the archived events as the dashboard."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.charts.figures import figure
from app.core import roles
from app.core.charts import NO_REGION, ChartDef, Point, Series, chart_content
from app.core.records import EventStatus, RoomEvent
from app.core.records_export import RecordMark, chart_svg, session_charts
from app.core.records_export.svg import nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
HOUR = 3_600_000
T0 = 1_700_000_000_000
ARABIC_TITLE = "المواطنون الذين تم إجلاؤهم"
CHART = ChartDef(
    "evacuated", "Citizens evacuated", ("evacuated", "injured"), "timeseries", "people"
)


def _series() -> dict[str, Series]:
    evacuated, injured = Series("evacuated"), Series("injured")
    for i, value in enumerate((120, 150, 175)):
        evacuated.add(Point("evacuated", value, T0 + i * HOUR, region="North"))
    evacuated.add(Point("evacuated", 40, T0 + HOUR, region="South"))
    injured.add(Point("injured", 3, T0 + 2 * HOUR))
    return {"evacuated": evacuated, "injured": injured}


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_each_series_and_region_is_one_line_with_axes_title_unit_and_legend() -> None:
    root = ET.fromstring(chart_svg(CHART, _series(), RecordMark.NONE))
    lines = [p for p in root.iter(f"{SVG}path") if p.get("class") == "series"]
    assert len(lines) == 3  # evacuated North, evacuated South, injured (no region)
    assert sorted(p.findtext(f"{SVG}title") for p in lines) == [
        "evacuated — North",
        "evacuated — South",
        "injured",
    ]
    north = next(p for p in lines if p.findtext(f"{SVG}title") == "evacuated — North")
    assert north.get("d", "").count("L") == 2  # three values, one line through them
    texts = _texts(root)
    assert "Citizens evacuated" in texts and "people" in texts and "EXERCISE" not in texts
    assert {"0", "50", "100", "150", "200"} <= set(texts)  # round ticks from zero
    assert "2023-11-14" in texts and "UTC" in texts  # time axis, dated
    assert "evacuated — South" in texts and "injured" in texts  # the legend


def test_an_exercise_chart_says_exercise_on_the_image() -> None:
    root = ET.fromstring(chart_svg(CHART, _series(), RecordMark.EXERCISE))
    assert "EXERCISE" in _texts(root)


def test_an_arabic_title_is_drawn_right_to_left() -> None:
    chart = ChartDef("ar", ARABIC_TITLE, ("evacuated",), "timeseries", "أشخاص")
    root = ET.fromstring(chart_svg(chart, _series(), RecordMark.NONE))
    arabic = [t for t in root.iter(f"{SVG}text") if t.text in (ARABIC_TITLE, "أشخاص")]
    assert len(arabic) == 2
    assert all(t.get("direction") == "rtl" and t.get("unicode-bidi") for t in arabic)
    latin = next(t for t in root.iter(f"{SVG}text") if t.text == "evacuated — North")
    assert latin.get("direction") is None


def test_a_chart_without_values_says_so_and_draws_no_line() -> None:
    root = ET.fromstring(chart_svg(CHART, {}, RecordMark.NONE))
    assert "No values" in _texts(root)
    assert not [p for p in root.iter(f"{SVG}path") if p.get("class") == "series"]


def test_hostile_text_stays_text() -> None:
    chart = ChartDef("x", '<script>alert(1)</script>"&', ("evacuated",), "timeseries")
    svg = chart_svg(chart, _series(), RecordMark.NONE)
    root = ET.fromstring(svg)
    assert "<script" not in svg and not list(root.iter(f"{SVG}script"))
    assert '<script>alert(1)</script>"&' in _texts(root)


def test_ticks_are_round_and_cover_the_values() -> None:
    assert nice_ticks(3, 25) == [0, 10, 20, 30]
    assert nice_ticks(-5, 5) == [-5, 0, 5]
    assert nice_ticks(7, 7) == [0, 2, 4, 6, 8]
    low, *_, high = nice_ticks(0.12, 0.37)
    assert low <= 0.12 and high >= 0.37


def _event(n: int, event_type: str, content: dict, state_key: str | None = None) -> RoomEvent:
    return RoomEvent(
        f"$e{n}", "!ops", "@fac:x", event_type, T0 + n, content, state_key=state_key,
        status=EventStatus.OK,
    )  # fmt: skip


def test_session_charts_fold_the_archived_events_and_name_files_safely() -> None:
    chart = chart_content(ChartDef("evacuated", "Evacuated", ("evacuated",), "timeseries"))
    events = [
        _event(1, roles.CHART, chart, "evacuated"),
        _event(2, roles.CHART, chart, "../../etc/passwd"),  # a state key is anyone's text
        _event(3, roles.INDICATOR, {"body": "x", "series": "evacuated", "value": 5, "at": T0}),
        _event(4, roles.INDICATOR, {"body": "x", "series": "nowhere", "value": 9, "at": T0}),
    ]
    drawn = session_charts(events, mark=RecordMark.EXERCISE)
    assert sorted(c.name for c in drawn) == ["etc-passwd", "evacuated"]
    root = ET.fromstring(next(c.svg for c in drawn if c.name == "evacuated"))
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "series"]) == 1
    assert "EXERCISE" in _texts(root)


def test_the_record_draws_encrypted_definitions_and_names_the_refused_ones() -> None:
    from app.core.records_export import ReportInput, render_report
    from app.core.session import SessionInfo

    forged_note = "@x:x has power level 40; org.openopsroom.chart needs 80"
    events = [
        _event(1, roles.CHART, chart_content(CHART)),  # 2.1: encrypted, no state key
        RoomEvent(
            "$f", "!ops", "@x:x", roles.CHART, T0 + 2,
            chart_content(ChartDef("rumours", "Rumours <b>", ("rumours",), "kpi")),
            status=EventStatus.FORGED, note=forged_note,
        ),
        _event(3, roles.INDICATOR, {"body": "x", "series": "injured", "value": 2, "at": T0}),
    ]  # fmt: skip
    drawn = session_charts(events, mark=RecordMark.NONE)
    assert [(c.name, c.title) for c in drawn] == [("evacuated", CHART.title)]
    session = SessionInfo(
        "!s:x", "Drill", "other", "active", "", "", False, (), (), details_known=True
    )
    page = render_report(ReportInput(session, (), events, "@a:x", "now", drawn))
    assert "<h3>Chart definitions not applied</h3>" in page
    assert "“Rumours &lt;b&gt;” from @x:x: @x:x has power level 40" in page


def test_a_bar_chart_orders_its_regions_as_the_dashboard_does() -> None:
    """Plotly places a region where it first appears, series by series: the record's bars
    stand in that order (not alphabetically), so a printed page matches the screen."""
    bars = ChartDef("by-region", "By region", ("injured", "evacuated"), "bar", "people")
    series = _series()  # injured: the whole session's figure; evacuated: North, South
    root = ET.fromstring(chart_svg(bars, series, RecordMark.NONE))
    labels = [t for t in _texts(root) if t in ("—", "North", "South")]
    assert labels == [NO_REGION, "North", "South"]
    traces = figure(bars, series).figure["data"]
    shown = list(dict.fromkeys(x for trace in traces for x in trace["x"]))
    assert shown == labels  # the dashboard's own categories, in its order
