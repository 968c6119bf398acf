"""The exported record draws each chart as its kind, as the dashboard does: a bar chart as
bars, a KPI chart as its big numbers, never every chart as lines over time (real Synapse,
the record read back from the files the export wrote)."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

from app.core.charts import ChartDef, Reading
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.charts import Charts
from app.services.records import Records
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.peers import signed_in_peers

SVG = "{http://www.w3.org/2000/svg}"
HOUR = 3_600_000
BY_REGION = ChartDef("by-region", "Evacuated by region", ("evacuated", "injured"), "bar", "people")
SO_FAR = ChartDef("so-far", "Evacuated so far", ("evacuated",), "kpi", "people")
STACKED = ChartDef("stacked", "Evacuated, stacked", ("evacuated",), "area", "people")


def _drawn(out: Path, name: str) -> ET.Element:
    return ET.fromstring((out / "charts" / f"{name}.svg").read_text(encoding="utf-8"))


def _point(xy: str) -> tuple[float, float]:
    x, y = xy.split(",")
    return float(x), float(y)


def _texts(root: ET.Element, cls: str | None = None) -> list[str]:
    found = (t for t in root.iter(f"{SVG}text") if cls is None or t.get("class") == cls)
    return ["".join(t.itertext()) for t in found]


async def test_the_record_draws_bar_and_kpi_charts_as_the_dashboard_does(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    fac, amal = await signed_in_peers(homeserver, make_account, tmp_path, "fac", "amal")
    try:
        bp = Blueprint("Port Sable evacuation", "evacuation", "Africa/Cairo", exercise=True,
                       participants=(Participant(amal.user_id, Role.OFFICIAL),))  # fmt: skip
        info = await Sessions(fac.account.client).convene(bp)
        await Sessions(amal.account.client).join(info.space_id)
        ops = info.room(RoomKind.OPERATIONS)
        assert ops is not None
        charts = amal.account.feature(Charts)
        for chart in (BY_REGION, SO_FAR, STACKED):
            await fac.account.feature(Charts).define_chart(ops, chart)
        await charts.load_charts(ops)
        await amal.wait_for(lambda: len(charts.room(ops).charts) == 3, "the three charts")
        now = int(time.time() * 1000) - 3 * HOUR
        readings = [
            Reading("evacuated", 120, now, "people", "North"),
            Reading("evacuated", 175, now + HOUR, "people", "North"),  # the latest counts
            Reading("evacuated", 40, now, "people", "South"),
            Reading("injured", 3, now, "people", "North"),
        ]
        for reading in readings:
            await charts.publish(ops, reading)
        await amal.wait_for(
            lambda: sum(len(s) for s in charts.room(ops).series.values()) == 4, "the values"
        )
        out = tmp_path / "record"
        await amal.account.feature(Records).export(info.space_id, str(out))
    finally:
        for peer in (fac, amal):
            await peer.close()

    # Bars: one per series in each region where it has a value, its latest; no line at all.
    bars = _drawn(out, "by-region")
    drawn = [r for r in bars.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert sorted(r.findtext(f"{SVG}title") for r in drawn) == [
        "evacuated — North: 175",
        "evacuated — South: 40",
        "injured — North: 3",
    ]
    assert not [p for p in bars.iter(f"{SVG}path") if p.get("class") == "series"]
    assert {"North", "South", "evacuated", "injured"} <= set(_texts(bars))
    assert "EXERCISE" in _texts(bars)  # marked as before

    # KPI: the big number (North's latest plus South's), no axis, no line.
    kpi = _drawn(out, "so-far")
    assert _texts(kpi, "kpi") == ["215 people"]
    assert not [p for p in kpi.iter(f"{SVG}path") if p.get("class") == "series"]
    assert not list(kpi.iter(f"{SVG}line"))
    assert "EXERCISE" in _texts(kpi)

    # Area: North's line, South's stacked on it (zero where South has no value), filled.
    area = _drawn(out, "stacked")
    filled = [p for p in area.iter(f"{SVG}path") if p.get("class") == "area"]
    assert [p.findtext(f"{SVG}title") for p in filled] == ["evacuated — North", "evacuated — South"]
    assert all(p.get("fill") and p.get("fill") != "none" for p in filled)
    north, south = ([_point(xy) for xy in p.get("d")[1:-2].split(" L")] for p in filled)
    half = len(north) // 2  # each outline: its top edge forward, then its base back
    assert south[half:] == north[:half][::-1]  # South's base is North's top: stacked
    assert south[0][1] < north[0][1]  # at the first instant 120 + 40 stands above 120
    assert not [p for p in area.iter(f"{SVG}path") if p.get("class") == "series"]

    # The report a person reads shows the same drawings inline.
    page = (out / "record.html").read_text(encoding="utf-8")
    assert page.count('class="bar"') == 3 and 'class="kpi"' in page
