"""The Charts page: a session's live situation charts, and the values refused.

The charts live in one web page (plotly.js from the installed package, loaded from a
file the backend wrote). The page is loaded once per run; after that every change is a
small JavaScript call: a line extended in place, or one chart redrawn with its
``uirevision`` so the user's zoom survives. The Chromium view is made only when the page
is first shown, so a window that never opens the dashboard never starts QtWebEngine.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.charts.figures import ChartFigure
from app.core.charts import MAX_REJECTED_SHOWN, ChartDef, Rejected
from app.core.text import isolate
from app.services.notices import ChartsLoaded, ChartsUpdated
from app.ui.charts.marking import marked_image
from app.ui.session_marking import Marking, shown_title
from app.ui.texts import fill
from app.ui.widgets import ERROR_COLOUR

if TYPE_CHECKING:  # imported when the page is first shown: QtWebEngine is big to load
    from app.ui.charts.canvas import ChartCanvas


def _js(value: Any) -> str:
    """A value as a JavaScript literal (JSON is; no NaN ever gets here)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class PendingDraws:
    """What the page has yet to draw, merged so that a busy page never falls behind.

    One batch is in the page at a time; meanwhile a redraw of a chart replaces whatever
    waited for that chart, and extensions of the same lines are joined into one call.
    """

    def __init__(self) -> None:
        self._load = ""
        self._charts: dict[str, list[tuple[str, Any]]] = {}
        self._mark = ""  # the session's marking changed since the page was loaded

    def reset(self, load_script: str) -> None:
        """Everything is drawn again: what waited is included, the banner too (the load
        carries the session's own; one queued for the previous session must not follow)."""
        self._load = load_script
        self._charts.clear()
        self._mark = ""

    def extend(self, chart_id: str, payload: dict[str, Any]) -> None:
        ops = self._charts.setdefault(chart_id, [])
        if ops and ops[-1][0] == "extend" and ops[-1][1]["indices"] == payload["indices"]:
            last = ops[-1][1]
            ops[-1] = (
                "extend",
                {
                    "x": [a + b for a, b in zip(last["x"], payload["x"], strict=True)],
                    "y": [a + b for a, b in zip(last["y"], payload["y"], strict=True)],
                    "indices": payload["indices"],
                },
            )
        else:
            ops.append(("extend", payload))

    def redraw(self, chart_id: str, kind: str, figure: Any) -> None:
        self._charts[chart_id] = [("react", (kind, figure))]

    def mark(self, banner: str, tone: str) -> None:
        """The page's banner anew (after any load waiting, which carries the old one)."""
        self._mark = f"oor.mark({_js(banner)}, {_js(tone)});"

    def take(self) -> str:
        """One script for all that waits ('' when nothing does)."""
        calls = [self._load] if self._load else []
        for chart_id, ops in self._charts.items():
            for op, value in ops:
                if op == "extend":
                    calls.append(f"oor.extend({_js(chart_id)}, {_js(value)});")
                else:
                    kind, figure = value
                    calls.append(f"oor.react({_js(chart_id)}, {_js(kind)}, {_js(dict(figure))});")
        calls.append(self._mark)
        self.reset("")
        return "".join(calls)


class ChartsPage(QWidget):
    """Charts of the selected session's operations room; emits what the user asks for."""

    defineRequested = Signal()
    valueRequested = Signal()
    importRequested = Signal()
    exportRequested = Signal(str, str)  # chart id, png | html | csv
    drawn = Signal(int)  # the page has drawn every update up to this count

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.room_id = ""  # the operations room whose charts are shown
        self.marking = Marking.NONE
        self.banner = ""  # EXERCISE or DETAILS PENDING: on the page, its pictures, exports
        self.charts: dict[str, ChartDef] = {}
        self.canvas: ChartCanvas | None = None  # made when the page is first shown
        self._loaded: ChartsLoaded | None = None
        self._may_define = self._may_publish = True
        self._pending = PendingDraws()
        self._busy = False  # a batch is in the page, its callback not back yet
        self.updates = 0  # ChartsUpdated applied so far (see ``drawn``)

        top = self._build_top()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # titles come from others
        self.status.setObjectName("dashboardStatus")
        self.status.setWordWrap(True)
        self.rejected = QListWidget()
        self.rejected.setObjectName("rejectedValues")
        self.rejected.setAccessibleName(self.tr("Refused values"))
        self.rejected_title = QLabel(self.tr("Refused values (not plotted)"))
        self.rejected_title.setStyleSheet(f"color: {ERROR_COLOUR};")
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.rejected_title)
        below_layout.addWidget(self.rejected)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.placeholder = QLabel(self.tr("Choose a room of a crisis session to see its charts."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.splitter.addWidget(self.placeholder)
        self.splitter.addWidget(below)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        self.show_room("", "")

    def _build_top(self) -> QHBoxLayout:
        """Title, the forms' buttons, and the export of the chart chosen beside it."""
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)  # titles come from others
        self.header.setObjectName("dashboardHeader")
        self.define_button = QPushButton(self.tr("De&fine chart…"))
        self.value_button = QPushButton(self.tr("Add &value…"))
        self.import_button = QPushButton(self.tr("Import &CSV…"))
        self.chart_box = QComboBox()
        self.chart_box.setAccessibleName(self.tr("Chart to export"))
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("E&xport"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for fmt, text in (
            ("png", self.tr("Chart as &PNG image…")),
            ("html", self.tr("Chart as self-contained &HTML…")),
            ("csv", self.tr("&Values as CSV…")),
        ):
            menu.addAction(text, lambda f=fmt: self._export(f))
        self.export_button.setMenu(menu)
        self.define_button.clicked.connect(self.defineRequested)
        self.value_button.clicked.connect(self.valueRequested)
        self.import_button.clicked.connect(self.importRequested)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        for widget in (
            self.define_button,
            self.value_button,
            self.import_button,
            self.chart_box,
            self.export_button,
        ):
            top.addWidget(widget)
        return top

    # -- what is shown -------------------------------------------------------------------

    def allow(self, define: bool, publish: bool) -> None:
        """What our role may do here (the server and every receiver check it again)."""
        self._may_define, self._may_publish = define, publish
        self._refresh_controls()

    def show_room(self, room_id: str, title: str, marking: Marking = Marking.NONE) -> None:
        """Follow the selected session (its operations room; '' when none) and its marking,
        which changes in place when the session's details are decrypted."""
        remarked = marking is not self.marking
        self.marking, self.banner = marking, marking.text()
        marker = f"{self.banner} — " if self.banner else ""
        shown = isolate(shown_title(title, marking))
        self.header.setText(f"{marker}{shown}" if room_id else "")
        if remarked and room_id == self.room_id and self.canvas is not None:
            self._pending.mark(self.banner, marking.value)
            self._flush()
        if room_id != self.room_id:
            self.room_id = room_id
            self.charts = {}
            self._loaded = None
            self.rejected.clear()
            self._add_rejected(())
            self.say("")
            self._refresh_controls()
            if self.canvas is not None:  # nothing of the previous session stays drawn
                self._pending.reset(self._load_script(()))
                self._flush()

    def ensure_canvas(self) -> ChartCanvas:
        """The Chromium view, made on first use (it starts QtWebEngine's processes)."""
        if self.canvas is None:
            from app.ui.charts.canvas import ChartCanvas

            self.canvas = ChartCanvas()
            self.splitter.replaceWidget(0, self.canvas)
            self.splitter.setStretchFactor(0, 4)
            self.splitter.setSizes([4 * max(self.height(), 100), max(self.height(), 100)])
            self.placeholder.deleteLater()
            if self._loaded is not None:
                self.apply_loaded(self._loaded)
        return self.canvas

    def apply_loaded(self, notice: ChartsLoaded) -> None:
        if notice.room_id != self.room_id:
            return
        self._loaded = notice
        self.charts = {f.chart.chart_id: f.chart for f in notice.charts}
        self.rejected.clear()
        self._add_rejected(notice.rejected)
        self._refresh_controls()
        if self.canvas is None:
            return
        self.canvas.open_page(notice.page)
        self._pending.reset(self._load_script(notice.charts))
        self._flush()

    def _load_script(self, charts: tuple[ChartFigure, ...]) -> str:
        """Every chart drawn whole (none: the empty page), in the interface's direction."""
        direction = "rtl" if QApplication.isRightToLeft() else "ltr"
        if self.room_id:
            empty = self.tr("No charts yet. An official defines one with Define chart.")
        else:
            empty = self.tr("Choose a room of a crisis session to see its charts.")
        drawn = [self._chart_js(f) for f in charts]
        banner = f"{_js(self.banner)}, {_js(self.marking.value)}"
        return f"oor.load({_js(drawn)}, {_js(direction)}, {banner}, {_js(empty)});"

    def apply_updates(self, notice: ChartsUpdated) -> None:
        if notice.room_id != self.room_id:
            return
        self._add_rejected(notice.rejected)
        for drawn in notice.redraw:
            self.charts[drawn.chart.chart_id] = drawn.chart
        self._refresh_controls()
        self.updates += 1
        if self.canvas is None:
            return
        for chart_id, payload in notice.extend:
            self._pending.extend(chart_id, payload)
        for drawn in notice.redraw:
            self._pending.redraw(drawn.chart.chart_id, drawn.chart.kind, drawn.figure)
        self._flush()

    def _flush(self) -> None:
        """Send what waits, unless the page is still drawing the previous batch."""
        if self._busy or self.canvas is None:
            return
        script = self._pending.take()
        if not script:
            return
        self._busy = True
        upto = self.updates
        self.canvas.run(script, lambda _answer: self._flushed(upto))

    def _flushed(self, upto: int) -> None:
        self._busy = False
        self.drawn.emit(upto)
        self._flush()

    def _chart_js(self, drawn: ChartFigure) -> dict[str, Any]:
        return {"id": drawn.chart.chart_id, "kind": drawn.chart.kind, "figure": drawn.figure}

    def _add_rejected(self, rejected: tuple[Rejected, ...]) -> None:
        """The newest refusals listed, as many as the room's own list keeps: a gap fill of
        thousands of junk values would otherwise grow the list (and the UI's work) until
        the dashboard is reloaded; every one stays in the archive, marked."""
        for r in rejected[-MAX_REJECTED_SHOWN:]:
            if r.chart:  # a chart definition someone had no right to make, or a broken one
                said = self.tr("Chart “%1” from %2, not applied: %3")
                text = fill(said, r.chart, r.sender, r.reason)
            else:
                series = r.series or self.tr("(no series)")
                text = fill(self.tr("%1 from %2: %3"), series, r.sender, r.reason)
            self.rejected.addItem(text)
        for _ in range(self.rejected.count() - MAX_REJECTED_SHOWN):
            self.rejected.takeItem(0)  # the oldest go first, as in the room's list
        self.rejected_title.setVisible(self.rejected.count() > 0)
        self.rejected.setVisible(self.rejected.count() > 0)

    def _refresh_controls(self) -> None:
        shown = self.chart_box.currentData()
        self.chart_box.clear()
        for chart in self.charts.values():
            self.chart_box.addItem(chart.title, chart.chart_id)
        if shown in self.charts:
            self.chart_box.setCurrentIndex(self.chart_box.findData(shown))
        in_session = bool(self.room_id)
        self.define_button.setEnabled(in_session and self._may_define)
        has_charts = in_session and bool(self.charts)
        for widget in (self.value_button, self.import_button):
            widget.setEnabled(has_charts and self._may_publish)
        for widget in (self.chart_box, self.export_button):
            widget.setEnabled(has_charts)

    def known_series(self) -> list[str]:
        return list(dict.fromkeys(s for c in self.charts.values() for s in c.series))

    def unit_of(self, series: str) -> str:
        return next((c.unit for c in self.charts.values() if series in c.series and c.unit), "")

    def say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # -- exports ---------------------------------------------------------------------------

    def _export(self, fmt: str) -> None:
        chart_id = self.chart_box.currentData()
        if chart_id:
            self.exportRequested.emit(chart_id, fmt)

    def save_png(self, chart_id: str, path: str, done: Callable[[bool], None]) -> None:
        """Grab one chart's card from the page as it is drawn now (zoom included)."""
        canvas = self.ensure_canvas()

        def grab(answer: Any) -> None:
            rect = json.loads(answer) if isinstance(answer, str) else None
            ok = isinstance(rect, list) and len(rect) == 4 and rect[2] > 0 and rect[3] > 0
            if ok:
                area = QRect(*(round(v) for v in rect))
                ok = marked_image(canvas.grab(area).toImage(), self.marking).save(path, "PNG")
            done(ok)

        canvas.run(f"oor.rect({_js(chart_id)})", grab)
