"""Live situation charts: how fast a value shows up, how many updates the page sustains,
how fast a big dashboard opens.

(a) latency: a facilitator's client publishes an indicator (outbox, Megolm, Synapse);
    the clock stops when another client's dashboard page has run the update
    (extendTraces), as the page's own JavaScript callback reports on the UI thread.
    The receiving client is the desktop app's Bridge, as in the app.
(b) sustained rate: ChartsUpdated notices (payloads built beforehand, as the backend
    would) are applied to a dashboard of 4 time charts at a fixed rate; a 10 ms ticker on
    the UI thread records every gap, and the lag from applying to the page's callback
    is measured. A rate is sustained when no UI frame exceeds 50 ms and the page keeps up
    (its lag does not grow over the run).
(c) open: 10 series × 10,000 points archived; the projection rebuilt from the archive
    (what a restart does), the figures built, and the page drawing all ten charts.

Run: ``python -m bench.charts [--values N] [--seconds S]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Summary, emit_json, new_account, quiet_environment, running_homeserver

FRAME_BUDGET_MS = 50.0
SERIES, POINTS = 10, 10_000
HOUR = 3_600_000
BIG_ROOM = "!big:bench"


def pump(app: Any, check: Callable[[], bool], seconds: float = 60.0) -> None:
    """Run the Qt event loop until ``check()`` holds (re-checked every 2 ms)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if check():
        return
    loop = QEventLoop()
    ticker = QTimer()
    ticker.setInterval(2)
    ticker.timeout.connect(lambda: loop.quit() if check() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    ticker.start()
    deadline.start(int(seconds * 1000))
    loop.exec()
    ticker.stop()
    if not check():
        raise RuntimeError("gave up waiting")


class FrameWatch:
    """Gaps between ticks of a 10 ms timer on the UI thread: a long gap is a frozen UI."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()


# -- (a) latency between two clients ------------------------------------------------------------


class DrawClock:
    """When the dashboard page finished drawing each update (its ``drawn`` signal)."""

    def __init__(self, page: Any) -> None:
        self.applied: list[float] = []  # by update number - 1
        self.drawn: list[float] = []
        page.drawn.connect(self._drawn)

    def apply(self, page: Any, notice: Any) -> None:
        self.applied.append(time.perf_counter())
        page.apply_updates(notice)

    def _drawn(self, upto: int) -> None:
        now = time.perf_counter()
        while len(self.drawn) < upto:
            self.drawn.append(now)

    def lags(self, first: int = 0) -> list[float]:
        drawn = self.drawn[first : len(self.applied)]
        return [(d - a) * 1000 for a, d in zip(self.applied[first:], drawn, strict=True)]


def _join_session(app: Any, bridge: Any, fac: Any, notices: list[Any], amal_id: str) -> str:
    """The facilitator convenes with amal as an official; amal's app joins; the ops room."""
    from app.core.roles import Role, RoomKind
    from app.core.session import Blueprint, Participant
    from app.services.notices import EventsArrived
    from app.services.sessions import Sessions

    blueprint = Blueprint(
        "Bench evacuation",
        "evacuation",
        "Africa/Cairo",
        outreach=False,
        participants=(Participant(amal_id, Role.OFFICIAL),),
    )
    info = bridge.runtime.submit(Sessions(fac.account.client).convene(blueprint)).result(60)
    ops = info.room(RoomKind.OPERATIONS)
    bridge.join(info.space_id, True)

    def joined() -> bool:
        return any(
            e.room_id == ops and e.state_key == amal_id and e.content.get("membership") == "join"
            for n in list(notices)
            if isinstance(n, EventsArrived)
            for e in n.events
        )

    pump(app, joined)
    return ops


def latency(app: Any, values: int) -> Summary:
    from app.core.charts import ChartDef, Reading
    from app.core.paths import DataDir
    from app.services.backend import Backend
    from app.services.notices import ChartsLoaded, ChartsUpdated, Notice
    from app.ui.bridge import Bridge
    from app.ui.charts.view import ChartsPage

    with running_homeserver("charts") as (server, work):
        fac_account, amal = new_account(server, "fac"), new_account(server, "amal")
        bridge = Bridge(DataDir(work / "amal"))
        page = ChartsPage()
        page.resize(1000, 700)
        page.show()
        bridge.on(ChartsLoaded, page.apply_loaded)
        bridge.on(ChartsUpdated, page.apply_updates)
        clock = DrawClock(page)
        bridge.start()
        bridge.login(server.url, amal.user_id, amal.password)
        fac_notices: list[Notice] = []
        fac = Backend(DataDir(work / "fac"), fac_notices.append)

        def on_loop(coro: Any) -> Any:
            return bridge.runtime.submit(coro).result(60)

        try:
            assert on_loop(fac.login(server.url, fac_account.user_id, fac_account.password))
            ops = _join_session(app, bridge, fac, fac_notices, amal.user_id)
            chart = ChartDef("evacuated", "Evacuated", ("evacuated",), "timeseries", "people")
            on_loop(fac.use("charts", lambda s: s.define_chart(ops, chart)))
            on_loop(fac.use("charts", lambda s: s.load_charts(ops)))
            pump(app, lambda: any(isinstance(n, ChartsLoaded) and n.charts for n in fac_notices))
            page.show_room(ops, "bench")
            page.ensure_canvas()
            bridge.load_charts(ops)
            pump(app, lambda: "evacuated" in page.charts and page.canvas.ready)
            start = int(time.time() * 1000) - values * 60_000 - HOUR
            samples = []
            for index in range(values + 3):  # three to warm up (key sharing)
                sent = time.perf_counter()
                reading = Reading("evacuated", index, start + index * 60_000)
                bridge.runtime.submit(fac.use("charts", lambda s, r=reading: s.publish(ops, r)))
                pump(app, lambda n=page.updates + 1: len(clock.drawn) >= n)
                if index >= 3:
                    samples.append((clock.drawn[-1] - sent) * 1000)
            return Summary.of(samples)
        finally:
            on_loop(fac.shutdown())
            bridge.shutdown()
            page.close()
            page.deleteLater()


# -- (b) sustained update rate ------------------------------------------------------------------


def _grown_dashboard(points: int) -> tuple[Any, Any]:
    """A room with 4 time charts, each with ``points`` values already."""
    from app.core.charts import ChartDef, RoomIndicators, chart_content

    room = RoomIndicators("!bench")
    for n in range(4):
        chart = ChartDef(f"c{n}", f"Series {n}", (f"s{n}",), "timeseries")
        room.set_chart(chart.chart_id, chart_content(chart))
    base = int(time.time() * 1000) - 30 * 86_400_000
    for i in range(points):
        for n in range(4):
            content = {"body": "", "series": f"s{n}", "value": i % 97, "at": base + i * 60_000}
            room.add_value(content, "@b", f"${n}-{i}", base + i * 60_000)
    return room, base


def _notices_at(room: Any, base: int, first: int, count: int, tag: str) -> list[Any]:
    """What the backend would emit for ``count`` rounds of one new value on each chart."""
    from app.charts.figures import extension
    from app.services.notices import ChartsUpdated

    notices = []
    for i in range(first, first + count):
        at = base + i * 60_000
        extend = []
        for n, chart in enumerate(room.charts.values()):
            content = {"body": "", "series": f"s{n}", "value": i % 89, "at": at}
            change = room.add_value(content, "@b", f"${tag}-{n}-{i}", at)
            extend.append((chart.chart_id, extension(chart, room.series, [change.point])))
        notices.append(ChartsUpdated("!bench", tuple(extend), (), ()))
    return notices


def sustained(app: Any, page_path: str, seconds: float) -> list[dict[str, Any]]:
    from app.charts.figures import figure
    from app.services.notices import ChartsLoaded
    from app.ui.charts.view import ChartsPage

    room, base = _grown_dashboard(1_000)
    page = ChartsPage()
    page.resize(1000, 700)
    page.show()
    page.show_room("!bench", "bench")
    page.ensure_canvas()
    figures = tuple(figure(c, room.series) for c in room.charts.values())
    page.apply_loaded(ChartsLoaded("!bench", page_path, figures, ()))
    clock = DrawClock(page)
    watch = FrameWatch()
    results = []
    step = 1_000
    steps = [(10, True)] + [(rate, False) for rate in (10, 25, 50, 100, 200, 400)]
    for rate, warm_up in steps:  # the warm-up second is not reported
        length = 1.0 if warm_up else seconds
        notices = _notices_at(room, base, step, int(rate * length), f"w{step}")
        step += len(notices)
        first = len(clock.applied)
        watch.start()
        began = time.perf_counter()
        for i, notice in enumerate(notices):
            pump(app, lambda due=began + i / rate: time.perf_counter() >= due, seconds=5)
            clock.apply(page, notice)
        wanted = first + len(notices)
        pump(app, lambda n=wanted: len(clock.drawn) >= n, seconds=120)
        watch.stop()
        frames, lags = Summary.of(watch.gaps), clock.lags(first)
        lag = Summary.of(lags)
        half = len(lags) // 2
        # Keeping up: the lag of the second half is not far above the first half's.
        keeps_up = Summary.of(lags[half:]).p50 <= 4 * max(Summary.of(lags[:half]).p50, 50.0)
        slow = sum(g > FRAME_BUDGET_MS for g in watch.gaps)
        if warm_up:
            continue
        results.append(
            {
                "rate_per_s": rate,
                "ui_frames_over_50ms": slow,
                "ui_max_frame_ms": round(frames.max, 1),
                "draw_lag_p50_ms": round(lag.p50, 1),
                "draw_lag_p95_ms": round(lag.p95, 1),
                "keeps_up": keeps_up,
            }
        )
        print(
            f"  {rate:4d} updates/s × 4 charts: UI frames > 50 ms: {slow:3d} "
            f"(max {frames.max:6.1f} ms); drawn after p50 {lag.p50:7.1f} ms p95 {lag.p95:7.1f} ms"
            f"{'' if keeps_up else '  (falling behind)'}",
            flush=True,
        )
    page.close()
    page.deleteLater()
    return results


# -- (c) opening a big dashboard ------------------------------------------------------------------


def open_time(app: Any, work: Path) -> dict[str, float]:
    from app.charts.figures import figure
    from app.charts.page import write_page
    from app.core import roles
    from app.core.charts import ChartDef, chart_content
    from app.services.charts import project_rooms
    from app.services.notices import ChartsLoaded
    from app.store import Archive, open_database, sqlite_url
    from app.ui.charts.view import ChartsPage

    room_id = BIG_ROOM
    engine = open_database(sqlite_url(work / "archive.sqlite3"))
    archive = Archive(engine, "@bench:bench")
    base = int(time.time() * 1000) - POINTS * 60_000 - HOUR
    events = []
    for n in range(SERIES):
        chart = ChartDef(f"c{n}", f"Series {n}", (f"s{n}",), "timeseries", "people")
        content = chart_content(chart)
        events.append(_event(f"$chart{n}", roles.CHART, base, content))  # 2.1: encrypted
    for i in range(POINTS):
        for n in range(SERIES):
            content = {
                "body": "v",
                "series": f"s{n}",
                "value": (i * 7 + n) % 1000,
                "at": base + i * 60_000,
            }
            events.append(_event(f"$v{n}-{i}", roles.INDICATOR, base + i * 60_000 + 1, content))
    started = time.perf_counter()
    for chunk in range(0, len(events), 5_000):
        archive.save_sync_batch(events[chunk : chunk + 5_000], [], None)
    print(f"  archived {len(events)} events in {time.perf_counter() - started:.1f} s", flush=True)

    t0 = time.perf_counter()
    room = project_rooms(archive, [room_id])[room_id]
    t1 = time.perf_counter()
    figures = tuple(figure(c, room.series) for c in room.charts.values())
    t2 = time.perf_counter()
    engine.dispose()
    page_path = str(write_page(work / "page"))
    page = ChartsPage()
    page.resize(1200, 900)
    page.show()
    page.show_room(room_id, "big")
    page.ensure_canvas()

    def draw() -> tuple[float, float]:
        """Hand the page the figures: when that began, and when the page had drawn them."""
        drawn: list[float] = []
        began = time.perf_counter()
        page.apply_loaded(ChartsLoaded(room_id, page_path, figures, ()))
        page.canvas.run("oor.charts()", lambda _r: drawn.append(time.perf_counter()))
        pump(app, lambda: bool(drawn), seconds=120)
        return began, drawn[0]

    t3, t4 = draw()
    # Opened again (the page already loaded, as when switching sessions): only the drawing.
    t5, t6 = draw()
    page.close()
    page.deleteLater()
    return {
        "rebuild_from_archive_ms": round((t1 - t0) * 1000, 1),
        "figures_ms": round((t2 - t1) * 1000, 1),
        "first_draw_with_page_load_ms": round((t4 - t3) * 1000, 1),
        "redraw_page_loaded_ms": round((t6 - t5) * 1000, 1),
        "total_cold_ms": round((t2 - t0 + t4 - t3) * 1000, 1),
    }


def _event(event_id: str, kind: str, ts: int, content: dict, state_key: str | None = None) -> Any:
    from app.core.records import RoomEvent

    source = {"event_id": event_id, "type": kind, "content": content, "origin_server_ts": ts}
    return RoomEvent(event_id, BIG_ROOM, "@fac:bench", kind, ts, content, state_key, source=source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=50, help="values for the latency run")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each rate step")
    args = parser.parse_args()
    quiet_environment()
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  before the app
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    print(f"(c) dashboard open, {SERIES} series × {POINTS} points", flush=True)
    with tempfile.TemporaryDirectory(prefix="oor-bench-charts-") as tmp:
        opened = open_time(app, Path(tmp))
        for key, value in opened.items():
            print(f"  {key:<32} {value:9.1f} ms")
        print("(b) sustained updates on a dashboard of 4 time charts", flush=True)
        rates = sustained(app, str(Path(tmp) / "page" / "dashboard.html"), args.seconds)
    print(f"(a) indicator → chart updated on another client, {args.values} values", flush=True)
    lat = latency(app, args.values)
    print(lat.line("publish → page updated"))
    held = 0  # the highest rate up to which every step passed
    for r in rates:
        if r["ui_frames_over_50ms"] or not r["keeps_up"]:
            break
        held = r["rate_per_s"]
    print(f"sustained: {held} updates/s (× 4 charts) with no UI frame over 50 ms")
    emit_json(
        "charts",
        {
            "latency_ms": lat.rounded(),
            "sustained_updates_per_s": held,
            "rates": rates,
            "open": opened,
        },
    )


if __name__ == "__main__":
    main()
