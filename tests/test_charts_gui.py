"""The dashboard in the desktop app: a real Chromium page fed live from another client.

What the page draws is read back through its JavaScript (never a screenshot diff): the
chart data, the zoom the user set, the list of charts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from app.core import roles
from app.core.charts import ChartDef, Reading, chart_content
from app.core.roles import Role
from app.core.session import Participant
from app.services.charts import Charts
from app.services.notices import ChartsLoaded
from app.ui.charts.canvas import ChartCanvas
from app.ui.charts.dialogs import ChartDialog, ValueDialog
from app.ui.charts.marking import EXERCISE_STRIP
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn, answer_form, open_exercise_session, press_ok

HOUR = 3_600_000
EVACUATED = ChartDef("evacuated", "Citizens evacuated", ("evacuated",), "timeseries", "people")
TOTAL = ChartDef("total", "Evacuated so far", ("evacuated",), "kpi", "people")


# A user's box zoom, as the mouse makes it: plotly keeps only what the user did itself
# (not a scripted relayout) across Plotly.react calls with the same uirevision.
DRAG_ZOOM = """(() => {
  const gd = document.getElementById("chart-evacuated");
  const drag = gd.querySelector(".nsewdrag");
  const r = drag.getBoundingClientRect();
  const y = r.top + r.height / 2;
  const fire = (type, x, target) => target.dispatchEvent(new MouseEvent(type, {
    bubbles: true, cancelable: true, clientX: x, clientY: y, view: window,
    button: 0, buttons: type === "mouseup" ? 0 : 1}));
  fire("mousemove", r.left + r.width * 0.1, drag);
  fire("mousedown", r.left + r.width * 0.1, drag);
  fire("mousemove", r.left + r.width * 0.3, document);
  fire("mousemove", r.left + r.width * 0.7, document);
  fire("mouseup", r.left + r.width * 0.7, document);
  return JSON.stringify(gd.layout.xaxis.autorange ? null : gd.layout.xaxis.range);
})()"""


def js_until(qtbot, canvas: ChartCanvas, script: str, check: Callable[[Any], bool]) -> Any:
    """Ask the page until its answer (JSON text, parsed) passes ``check``; the last answer."""
    answers: list[Any] = []
    asked = [False]

    def settled() -> bool:
        if asked[0] and not answers:
            return False  # the answer is on its way
        if answers and check(answers[-1]):
            return True
        answers.clear()
        asked[0] = True
        canvas.run(script, lambda text: answers.append(json.loads(text or "null")))
        return False

    qtbot.waitUntil(settled, timeout=WAIT_MS)
    return answers[-1]


def ys(data: Any) -> list[list[float]]:
    return [trace["y"] for trace in data] if isinstance(data, list) else []


def test_dashboard_updates_live_from_another_client(
    qtbot, window: MainWindow, *, peer, signed_in: SignIn, tmp_path: Path
) -> None:
    official, _facilitator = signed_in("amal", "fac")
    member = Participant(official.user_id, Role.OFFICIAL)
    _info, ops = open_exercise_session(qtbot, window, peer, member)
    qtbot.waitUntil(lambda: peer.has_joined(ops, official.user_id), timeout=WAIT_MS)

    # The dashboard page: Chromium starts when it is first shown.
    page = window.charts.page
    assert page.canvas is None
    window.workspace.pages.setCurrentWidget(page)
    canvas = page.ensure_canvas()
    # The session's title and its exercise mark come with its encrypted details, which
    # may be decrypted after the room is known: the header follows them.
    qtbot.waitUntil(
        lambda: page.room_id == ops and "EXERCISE" in page.header.text(), timeout=WAIT_MS
    )
    assert "Port Sable evacuation" in page.header.text() and not page.value_button.isEnabled()

    # An official defines two charts from the form (the same checks as the receivers).
    def define(chart: ChartDef, bad_id: str = "") -> Callable[[Any], None]:
        def answer(dialog: ChartDialog) -> None:
            dialog.title.setText(chart.title)
            dialog.series.setText(", ".join(chart.series))
            dialog.kind.setCurrentIndex(dialog.kind.findData(chart.kind))
            dialog.unit.setText(chart.unit)
            if bad_id:
                assert dialog.chart().chart_id == "citizens-evacuated"  # made from the title
                dialog.chart_id.setText(bad_id)
                press_ok(dialog)
                assert dialog.isVisible() and "chart id" in dialog.error.text()
            dialog.chart_id.setText(chart.chart_id)
            press_ok(dialog)
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)  # the server took it

        return answer

    answer_form(page.define_button.click, define(EVACUATED, bad_id="evacuated bad"))
    answer_form(page.define_button.click, define(TOTAL))
    js_until(qtbot, canvas, "oor.charts()", lambda ids: sorted(ids or []) == ["evacuated", "total"])
    assert page.value_button.isEnabled() and page.chart_box.count() == 2

    # The other client publishes: the line appears here without reloading the page.
    peer.run(peer.account.feature(Charts).load_charts(ops))
    qtbot.waitUntil(
        lambda: any(isinstance(n, ChartsLoaded) and len(n.charts) == 2 for n in list(peer.notices)),
        timeout=WAIT_MS,
    )  # the facilitator's client knows both charts too
    now = int(time.time() * 1000) - 5 * HOUR
    peer.run(peer.account.feature(Charts).publish(ops, Reading("evacuated", 120, now, "people")))
    data = js_until(qtbot, canvas, "oor.data('evacuated')", lambda d: ys(d) == [[120]])
    assert data[0]["x"] == [now]
    js_until(qtbot, canvas, "oor.data('total')", lambda d: bool(d) and d[0]["value"] == 120)

    # The user zooms; values keep arriving (one extends the line, a late one redraws it):
    # the zoom stays as the user left it.
    zoomed = js_until(qtbot, canvas, DRAG_ZOOM, lambda r: isinstance(r, list))

    def add_value(dialog: ValueDialog) -> None:
        dialog.value.setText("many")
        press_ok(dialog)
        assert dialog.isVisible() and "must be a number" in dialog.error.text()
        dialog.value.setText("1,300")
        dialog.at.setDateTime(dialog.at.dateTime().addSecs(-2 * 3600))
        assert dialog.unit.text() == "people"  # the series' unit, filled in
        press_ok(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    answer_form(page.value_button.click, add_value)
    js_until(qtbot, canvas, "oor.data('evacuated')", lambda d: ys(d) == [[120, 1300]])
    peer.run(peer.account.feature(Charts).publish(ops, Reading("evacuated", 150, now + HOUR)))
    js_until(qtbot, canvas, "oor.data('evacuated')", lambda d: ys(d) == [[120, 150, 1300]])
    ranges = js_until(
        qtbot,
        canvas,
        "JSON.stringify(document.getElementById('chart-evacuated').layout.xaxis.range)",
        lambda r: r is not None,
    )
    assert ranges == zoomed

    # A value the rules refuse is listed with its reason, never drawn.
    bad = {"body": "x", "series": "evacuated", "value": 1e13, "at": now}
    peer.run(peer.account.send(ops, roles.INDICATOR, bad))
    qtbot.waitUntil(lambda: page.rejected.count() == 1, timeout=WAIT_MS)
    assert "plausible" in page.rejected.item(0).text()
    # So is a chart definition that does not count (here: it names no chart id).
    broken = {k: v for k, v in chart_content(TOTAL).items() if k != "id"} | {"title": "Broken"}
    peer.run(peer.account.send(ops, roles.CHART, broken))
    qtbot.waitUntil(lambda: page.rejected.count() == 2, timeout=WAIT_MS)
    listed = [page.rejected.item(i).text() for i in range(2)]
    assert any("Broken" in t and "not applied" in t and "chart id" in t for t in listed)
    assert page.chart_box.count() == 2

    # CSV import: the preview says what will go and what is refused, and why.
    csv_path = tmp_path / "evacuated.csv"
    hours = [
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((now + h * HOUR) / 1000)) for h in (4, 4.5)
    ]
    csv_path.write_text(
        f"at,value,region\n{hours[0]},1400,\nnext week,9,\n{hours[1]},1500,\n", encoding="utf-8"
    )
    seen: dict[str, str] = {}

    def drive_import() -> None:
        csv = window.charts.csv_dialog
        assert csv is not None
        csv.choose_path(str(csv_path))
        qtbot.waitUntil(lambda: bool(csv.result_rows), timeout=WAIT_MS)
        plain = str.maketrans("", "", "\u2068\u2069")  # bidi isolation around values
        seen["summary"] = csv.summary.text().translate(plain)
        seen["refused"] = csv.refused.item(0).text().translate(plain)
        csv.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, drive_import)
    page.import_button.click()
    assert "2 rows will be published; 1 row is refused" in seen["summary"]
    assert "Line 3" in seen["refused"] and "not a date" in seen["refused"]
    js_until(
        qtbot, canvas, "oor.data('evacuated')", lambda d: ys(d) == [[120, 150, 1300, 1400, 1500]]
    )

    # Exports: PNG of the chart as drawn, self-contained HTML, the values as CSV.
    for fmt in ("png", "html", "csv"):
        window.charts.export("evacuated", fmt, str(tmp_path / f"chart.{fmt}"))
    qtbot.waitUntil(lambda: all((tmp_path / f"chart.{f}").exists() for f in ("png", "html", "csv")))
    image = QImage(str(tmp_path / "chart.png"))
    assert not image.isNull() and image.width() > 200 and image.height() > 200
    # An exercise chart's picture is marked in its pixels and its text, like every screen.
    assert image.text("Marking") == "EXERCISE"
    assert image.pixelColor(image.width() // 40, 2) == EXERCISE_STRIP
    qtbot.waitUntil(lambda: (tmp_path / "chart.csv").stat().st_size > 0, timeout=WAIT_MS)
    values = (tmp_path / "chart.csv").read_text(encoding="utf-8").splitlines()
    assert len(values) == 1 + 5 and values[0].endswith("marking") and "EXERCISE" in values[1]
    qtbot.waitUntil(lambda: (tmp_path / "chart.html").stat().st_size > 3_000_000, timeout=WAIT_MS)
