"""Indicator rules without a server: value checks, CSV import report, late corrections."""

from __future__ import annotations

import json
import math

import pytest

from app.charts.export import chart_csv, chart_html
from app.charts.figures import extension, figure
from app.core.charts import (
    FUTURE_TOLERANCE_MS,
    ChartDef,
    Rejected,
    RoomIndicators,
    absorb_value,
    chart_content,
    chart_id_from_title,
    chart_problem,
    parse_csv,
    project_room,
    read_chart,
    value_problem,
)
from app.core.charts.room import MAX_REJECTED_SHOWN
from app.core.records import RoomEvent
from app.core.roles import CHART, INDICATOR

NOW = 1_800_000_000_000
HOUR = 3_600_000
EVACUATED = ChartDef("evacuated", "Citizens evacuated", ("evacuated",), "timeseries", "people")


def _value(value: object = 120, series: str = "evacuated", at: int = NOW, **extra) -> dict:
    return {"body": "x", "series": series, "value": value, "at": at, **extra}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (_value("many"), "value is not a finite number"),
        (_value(math.inf), "value is not a finite number"),
        (_value(math.nan), "value is not a finite number"),
        (_value(True), "value is not a finite number"),
        (_value(3e15), "not a plausible figure"),
        (_value(140, unit="%"), "not a percentage"),
        (_value(-40, unit="People"), "is a count of people and cannot be negative"),
        (_value(series="rumours"), "in no chart of this session"),
        (_value(at=NOW + FUTURE_TOLERANCE_MS + 60_000), "minutes in the future"),
        (_value(at=-5), "between 1970 and 9999"),
        (_value(at="yesterday"), "at is not an integer"),
        (_value(series="x" * 101), "series is 101 characters"),
        ({"series": "evacuated"}, "body is missing"),
        ("not an object", "content is not an object"),
    ],
)
def test_bad_values_are_refused_with_a_reason(content: object, reason: str) -> None:
    assert reason in value_problem(content, {"evacuated"}, NOW)


def test_good_values_pass() -> None:
    assert value_problem(_value(0), {"evacuated"}, NOW) == ""
    assert value_problem(_value(-12.5, region="North"), {"evacuated"}, NOW) == ""
    assert value_problem(_value(99.5, unit="%"), {"evacuated"}, NOW) == ""
    # A little clock skew is tolerated: the sender's clock runs ahead of the server's.
    assert value_problem(_value(at=NOW + 60_000), {"evacuated"}, NOW) == ""


def test_chart_definitions_round_trip_and_bad_ones_are_refused() -> None:
    assert read_chart("evacuated", chart_content(EVACUATED)) == EVACUATED
    assert chart_problem(EVACUATED) == ""
    assert "chart id" in chart_problem(ChartDef("Bad Id!", "t", ("a",), "bar"))
    assert "at least one series" in chart_problem(ChartDef("c", "t", (), "bar"))
    assert "kind" in chart_problem(ChartDef("c", "t", ("a",), "pie"))
    assert read_chart("c", {"body": "", "title": "t", "series": "a", "kind": "bar"}) is None
    assert chart_id_from_title("Flights out (daily)") == "flights-out-daily"
    assert chart_id_from_title("الإجلاء") == "chart"


def _room() -> RoomIndicators:
    room = RoomIndicators("!ops")
    room.set_chart("evacuated", chart_content(EVACUATED))
    return room


def test_late_values_take_their_place_and_corrections_keep_history() -> None:
    room = _room()
    first = room.add_value(_value(100, at=NOW), "@a", "$1", NOW)
    later = room.add_value(_value(180, at=NOW + HOUR), "@a", "$2", NOW + HOUR)
    late = room.add_value(_value(140, at=NOW + HOUR // 2), "@b", "$3", NOW + 2 * HOUR)
    corrected = room.add_value(_value(175, at=NOW + HOUR), "@b", "$4", NOW + 3 * HOUR)
    assert [c.op for c in (first, later, late, corrected)] == [
        "append",
        "append",
        "insert",
        "correct",
    ]
    series = room.series["evacuated"]
    assert [(p.at, p.value) for p in series.points("")] == [
        (NOW, 100),
        (NOW + HOUR // 2, 140),
        (NOW + HOUR, 175),
    ]
    slot = series.slots[("", NOW + HOUR)]
    assert [p.value for p in slot.history] == [180]
    # An older correction that reaches us last does not win: the server's order decides.
    stale = room.add_value(_value(150, at=NOW + HOUR), "@c", "$5", NOW + HOUR + 1)
    assert stale.op == "history"
    assert series.slots[("", NOW + HOUR)].current.value == 175
    assert [p.value for p in series.slots[("", NOW + HOUR)].history] == [180, 150]


def test_an_event_judged_twice_counts_once() -> None:
    """A room's projection read from the archive after a value's commit, then the value
    absorbed as it arrives: one report, one row in the export, one entry refused."""
    room = _room()
    first = room.add_value(_value(120, at=NOW), "@a", "$1", NOW)
    assert first is not None and first.op == "append"
    assert room.add_value(_value(120, at=NOW), "@a", "$1", NOW) is None
    room.add_value(_value(90, at=NOW), "@b", "$2", NOW + 1)  # a correction: history kept
    assert room.add_value(_value(120, at=NOW), "@a", "$1", NOW) is None
    forged = room.add_value(_value(5), "@x", "$f", NOW, refused="power level 20")
    assert isinstance(forged, Rejected)
    assert room.add_value(_value(5), "@x", "$f", NOW, refused="power level 20") is None
    drawn = figure(room.charts["evacuated"], room.series)
    rows = chart_csv(drawn, room.series).splitlines()[1:]
    assert [r.split(",")[3] for r in rows] == ["120", "90"]
    assert [r.event_id for r in room.rejected] == ["$f"]


def test_refusals_are_listed_once_and_stay_bounded() -> None:
    """A flood of junk values keeps the newest refusals only, each once, whatever the
    number judged (the archive keeps them all)."""
    room = _room()
    for n in range(MAX_REJECTED_SHOWN + 50):
        room.add_value(_value(1e13), "@x", f"$j{n}", NOW)
        room.add_value(_value(1e13), "@x", f"$j{n}", NOW)  # judged again: listed once
    ids = [r.event_id for r in room.rejected]
    assert len(ids) == len(set(ids)) == MAX_REJECTED_SHOWN
    assert ids[0] == "$j50" and ids[-1] == f"$j{MAX_REJECTED_SHOWN + 49}"
    bad = {"title": "No series", "series": []}
    forged = RoomEvent("$d", "!ops", "@x", CHART, NOW, bad)
    assert isinstance(room.define(forged), Rejected)
    assert room.define(forged) is None


def test_a_batch_of_more_refusals_than_listed_read_then_absorbed_is_not_listed_again() -> None:
    """The dashboard read from the archive after a batch of 600 junk values was committed
    (it lists the newest 500), then the batch absorbed: nothing is refused a second time
    (the dashboard's list would grow by the 600 again), and the list stays as read."""
    definition = RoomEvent("$d", "!ops", "@a", CHART, NOW, chart_content(EVACUATED), "evacuated")
    junk = [
        RoomEvent(f"$j{n}", "!ops", "@x", INDICATOR, NOW + n, _value(1e13))
        for n in range(MAX_REJECTED_SHOWN + 100)
    ]
    batch = [definition, *junk, RoomEvent("$v", "!ops", "@a", INDICATOR, NOW, _value(120))]
    room = project_room("!ops", [definition], batch[1:])
    listed = [r.event_id for r in room.rejected]
    assert room.define(definition) is None  # judged already: no new fold, nothing listed
    assert [absorb_value(room, event) for event in batch[1:]] == [None] * len(batch[1:])
    assert [r.event_id for r in room.rejected] == listed == [e.event_id for e in junk[100:]]
    drawn = figure(room.charts["evacuated"], room.series)
    assert [r.split(",")[3] for r in chart_csv(drawn, room.series).splitlines()[1:]] == ["120"]


def test_forged_and_refused_values_are_listed_not_plotted() -> None:
    room = _room()
    forged = room.add_value(_value(5), "@influencer", "$f", NOW, refused="power level 20")
    absurd = room.add_value(_value(1e13), "@a", "$x", NOW)
    assert isinstance(forged, Rejected) and forged.reason == "power level 20"
    assert isinstance(absurd, Rejected) and "plausible" in absurd.reason
    assert "evacuated" not in room.series
    assert [r.event_id for r in room.rejected] == ["$f", "$x"]


def test_csv_import_reports_every_rejected_row() -> None:
    text = (
        "\ufeffat,value,region,source\n"
        "2027-01-15T08:00:00Z,120,North,consulate\n"
        '2027-01-15 09:00,"1,250",North,\n'
        "yesterday,10,North,\n"
        "2027-01-15T10:00:00+02:00,lots,South,\n"
        "2027-01-15T10:00:00Z,nan,South,\n"
        "2099-01-01T00:00:00Z,5,South,\n"
        "2027-01-15T08:00:00Z,130,North,duplicate\n"
        "\n"
        "1800000000000,7,,\n"
        "2027-01-15T11:00:00Z,-300,North,typo\n"
    )
    now = 1_800_000_000_000 + 300 * 86_400_000  # some months after 2027-01-15
    result = parse_csv(text, "evacuated", ["evacuated"], now, unit="people")
    assert result.problem == ""
    assert [r.line for r in result.rows] == [2, 3, 10]
    assert [r.content["value"] for r in result.rows] == [120, 1250, 7]
    assert result.rows[0].content["region"] == "North"
    assert result.rows[0].content["unit"] == "people"
    reasons = {r.line: r.reason for r in result.rejected}
    assert set(reasons) == {4, 5, 6, 7, 8, 11}
    assert "not a date" in reasons[4]
    assert "not a finite number" in reasons[5] and "not a finite number" in reasons[6]
    assert "future" in reasons[7]
    assert "earlier row" in reasons[8]
    assert "cannot be negative" in reasons[11]  # a negative count of people is a typo


def test_csv_without_the_needed_columns_is_refused_whole() -> None:
    assert "no column value" in parse_csv("at,count\n1,2\n", "s", ["s"], NOW).problem
    assert "empty" in parse_csv("", "s", ["s"], NOW).problem
    unknown = parse_csv("at,value\n1800000000000,3\n", "rumours", ["evacuated"], NOW)
    assert not unknown.rows and "in no chart" in unknown.rejected[0].reason


def test_figures_extend_at_the_end_and_redraw_otherwise() -> None:
    room = _room()
    room.set_chart(
        "by-region", {"body": "", "title": "By region", "series": ["evacuated"], "kind": "bar"}
    )
    room.add_value(_value(10, at=NOW, region="North"), "@a", "$1", NOW)
    room.add_value(_value(20, at=NOW, region="South"), "@a", "$2", NOW)
    grown = room.add_value(_value(15, at=NOW + HOUR, region="North"), "@a", "$3", NOW + HOUR)
    line = figure(room.charts["evacuated"], room.series).figure
    assert [t["name"] for t in line["data"]] == ["evacuated — North", "evacuated — South"]
    assert line["data"][0]["y"] == [10, 15]
    assert line["layout"]["uirevision"] == "evacuated"
    payload = extension(room.charts["evacuated"], room.series, [grown.point])
    assert payload == {"x": [[NOW + HOUR]], "y": [[15]], "indices": [0]}
    assert extension(room.charts["by-region"], room.series, [grown.point]) is None
    bars = figure(room.charts["by-region"], room.series).figure
    assert bars["data"][0]["x"] == ["North", "South"] and bars["data"][0]["y"] == [15, 20]
    kpi = figure(ChartDef("k", "Total", ("evacuated",), "kpi"), room.series).figure
    assert kpi["data"][0]["value"] == 35


def test_an_empty_chart_shows_no_invented_dates() -> None:
    empty = figure(ChartDef("new", "New chart", ("arrivals",), "timeseries"), {}).figure
    assert empty["data"] == []
    assert empty["layout"]["xaxis"]["visible"] is False  # plotly would draw 1 January 2000
    assert empty["layout"]["yaxis"]["visible"] is False


def test_exports_carry_every_value_and_the_marking() -> None:
    room = _room()
    room.add_value(_value(100, at=NOW), "@a", "$1", NOW)
    room.add_value(_value(90, at=NOW), "@b", "$2", NOW + 1)
    drawn = figure(room.charts["evacuated"], room.series)
    lines = chart_csv(drawn, room.series, "EXERCISE").splitlines()
    assert lines[0].endswith(",status,marking")
    assert lines[1].split(",")[3:4] == ["100"] and ",superseded," in lines[1]
    assert ",$2," in lines[2] and lines[2].endswith("current,EXERCISE")
    page = chart_html(drawn, "EXERCISE")
    assert json.dumps("EXERCISE — Citizens evacuated")[1:-1] in page  # as the figure says
    assert "cdn.plot.ly" not in page.split("<body>")[1][:2000]
    assert len(page) > 3_000_000  # plotly.js is inside: it opens without a network


def test_waiting_draws_are_merged_so_a_busy_page_never_falls_behind() -> None:
    from app.ui.charts.view import PendingDraws

    pending = PendingDraws()
    pending.extend("a", {"x": [[1]], "y": [[10]], "indices": [0]})
    pending.extend("a", {"x": [[2]], "y": [[20]], "indices": [0]})
    pending.extend("b", {"x": [[1]], "y": [[5]], "indices": [1]})
    pending.redraw("b", "bar", {"data": [], "layout": {}})
    pending.extend("b", {"x": [[3]], "y": [[7]], "indices": [1]})
    script = pending.take()
    assert script.count("oor.extend(") == 2 and script.count("oor.react(") == 1
    assert 'oor.extend("a", {"x":[[1,2]],"y":[[10,20]],"indices":[0]});' in script
    assert script.index('oor.react("b"') < script.index('oor.extend("b"')
    assert pending.take() == ""
    pending.extend("a", {"x": [[3]], "y": [[30]], "indices": [0]})
    pending.reset("oor.load([]);")  # a whole reload makes what waited moot
    assert pending.take() == "oor.load([]);"


def test_a_reload_drops_the_previous_sessions_waiting_banner() -> None:
    """Session A's "no banner" queued while a batch was drawing must not run after
    exercise session B's page is loaded (whose load carries B's banner)."""
    from app.ui.charts.view import PendingDraws

    pending = PendingDraws()
    pending.mark("", "none")  # A became known as real while the page was busy
    pending.reset('oor.load([], "ltr", "EXERCISE", "exercise", "");')  # then B was opened
    script = pending.take()
    assert "oor.mark(" not in script and script.startswith("oor.load(")
    pending.mark("EXERCISE", "exercise")  # a change after the load still goes through
    assert pending.take() == 'oor.mark("EXERCISE", "exercise");'


def test_the_series_are_rebuilt_from_the_archive_alone(tmp_path) -> None:
    from app.core import roles
    from app.core.records import RoomEvent
    from app.services.charts import project_rooms
    from app.store import Archive, open_database, sqlite_url

    def event(event_id: str, kind: str, ts: int, content: dict, key: str | None = None):
        source = {"event_id": event_id, "type": kind, "content": content, "origin_server_ts": ts}
        return RoomEvent(event_id, "!ops", "@a:x", kind, ts, content, key, source=source)

    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    try:
        archive = Archive(engine, "@a:x")
        archive.save_sync_batch(
            [
                event("$c", roles.CHART, NOW, chart_content(EVACUATED), "evacuated"),
                event("$1", roles.INDICATOR, NOW + 1, _value(100)),
                event("$2", roles.INDICATOR, NOW + 2, _value(90)),  # corrects $1
                event("$3", roles.INDICATOR, NOW + 3, _value(5, series="rumours")),
            ],
            [],
            None,
        )
        lean = archive.events_of_types(["!ops"], [roles.INDICATOR], with_source=False)
        full = archive.events_of_types(["!ops"], [roles.INDICATOR])
        assert [e.content for e in lean] == [e.content for e in full]
        assert all(e.source == {} for e in lean) and all(e.source for e in full)
        room = project_rooms(archive, ["!ops", "!other"])["!ops"]
        slot = room.series["evacuated"].slots[("", NOW)]
        assert slot.current.value == 90 and [p.value for p in slot.history] == [100]
        assert [r.event_id for r in room.rejected] == ["$3"]
    finally:
        engine.dispose()
