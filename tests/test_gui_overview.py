"""The session overview shows what a crisis desk looks for first: the latest figures,
who is active, and a place for the latest sitrep."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from app.core import roles
from app.core.records import EventStatus, RoomEvent
from app.core.roles import Role, RoomKind
from app.core.session import Member, Roster, SessionInfo, SessionRoom
from app.services.notices import EventsArrived, RoomLoaded
from app.ui.i18n import install_language
from app.ui.overview.page import OverviewPage

OPS = "!ops:x"


def _now_ms() -> int:
    """Read when an event is made: "active in the last 15 minutes" is judged against the
    clock when the page is shown, so a time fixed at collection ages as the suite runs."""
    return int(time.time() * 1000)


def _roster() -> Roster:
    info = SessionInfo(
        "!space:x",
        "Port Sable",
        "evacuation",
        "active",
        "Africa/Cairo",
        "EXERCISE",
        True,
        rooms=(SessionRoom(RoomKind.OPERATIONS, OPS),),
        details_known=True,
    )
    members = (
        Member("@amal:x", Role.OFFICIAL, membership="join", name="Amal Mansour"),
        Member("@layla:x", Role.EXPERT, membership="join", name="Layla Aziz"),
        Member("@omar:x", Role.DELEGATE, membership="join", name="Omar Khalil"),
    )
    return Roster(info, members)


def _value(n: int, series: str, value: float, ago_min: float, **more: object) -> RoomEvent:
    content = {"body": "", "series": series, "value": value, "at": n, **more}
    ts = _now_ms() - int(ago_min * 60_000)
    return RoomEvent(f"$v{n}", OPS, "@layla:x", roles.INDICATOR, ts, content)


def _texts(page: OverviewPage) -> list[str]:
    grid = page.key_figures
    return [grid.itemAt(i).widget().text() for i in range(grid.count())]


def test_the_latest_figures_and_who_is_active(disposed) -> None:
    roster = _roster()
    page = disposed(OverviewPage(lambda: roster))
    page.follow()
    chart = RoomEvent(
        "$c",
        OPS,
        "@amal:x",
        roles.CHART,
        _now_ms() - 3_600_000,
        {"title": "Citizens evacuated", "series": ["evacuated"], "kind": "timeseries", "body": ""},
        state_key="evacuated",
    )
    forged = _value(9, "evacuated", 99_999, 1)
    forged = RoomEvent(
        "$f", OPS, "@omar:x", roles.INDICATOR, forged.origin_ts, forged.content,
        status=EventStatus.FORGED,
    )  # fmt: skip
    page.note_events(
        RoomLoaded(
            OPS,
            (chart, _value(1, "evacuated", 120, 40, unit="people"), _value(2, "crossings", 2, 30)),
            (),
        )
    )
    page.note_events(EventsArrived((_value(3, "evacuated", 540, 5, unit="people"), forged)))
    shown = _texts(page)
    assert "Citizens evacuated" in shown and "540 people" in shown  # the newest, titled
    assert "120 people" not in shown and not any("99" in t for t in shown)
    assert "crossings" in shown and "2" in shown
    # Layla posted five minutes ago; Amal an hour ago; Omar's forged value is no sign.
    active = page.active.text().translate({0x2068: None, 0x2069: None})
    assert active == "Active in the last 15 minutes: Layla Aziz"
    assert page.sitrep.text() == "No situation report yet."
    # The published sitrep itself is shown by tests/test_sitrep_gui.py, from a real approval.


def test_a_pending_sessions_capital_clock_says_its_zone_is_unknown(disposed, qapp) -> None:
    """While the details are not decrypted the capital's zone is a default (UTC), not an
    answer: no time and no working-hours judgement, in English and Arabic."""
    known = _roster()
    roster = replace(known, session=replace(known.session, details_known=False, capital_tz="UTC"))
    for language in ("en", "ar"):
        kept = install_language(qapp, language)
        try:
            page = disposed(OverviewPage(lambda: roster))
            page.follow()
            clocks = page.clocks
            assert clocks.itemAtPosition(0, 1).widget().text() == "—"
            unknown = QCoreApplication.translate("OverviewPage", "time zone unknown")
            assert clocks.itemAtPosition(0, 2).widget().text() == unknown
            assert (unknown == "time zone unknown") == (language == "en")
            assert page.pending.isVisibleTo(page)
        finally:
            for translator in kept:
                qapp.removeTranslator(translator)
            install_language(qapp, "en")
