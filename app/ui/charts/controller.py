"""Wires the Charts page into the window: the selected session's charts, the forms,
the exports, and what the backend says back (refusals, finished exports)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog

from app.core.roles import CHART, EVENT_LEVELS, INDICATOR, POWER, Role, RoomKind
from app.services import notices
from app.services.notices import ChartExported, CsvPreviewed, IndicatorRefused
from app.ui.charts.dialogs import ChartDialog, CsvImportDialog, ValueDialog
from app.ui.charts.view import ChartsPage
from app.ui.host import Host
from app.ui.session_marking import Marking
from app.ui.texts import counted, fill


class ChartsController(QObject):
    def __init__(self, host: Host) -> None:
        super().__init__(host.parent)
        self._host = host
        host.explain_problems({"chart_refused": self.tr("The chart was not defined:")})
        self.page = ChartsPage()
        self.csv_dialog: CsvImportDialog | None = None
        host.add_page(self.page, self.tr("&Charts"))
        host.on_page_changed(self._tab_changed)
        bridge = host.bridge
        bridge.on(notices.ChartsLoaded, self.page.apply_loaded)
        bridge.on(notices.ChartsUpdated, self.page.apply_updates)
        bridge.on(notices.IndicatorRefused, self._refused)
        bridge.on(notices.CsvPreviewed, self._previewed)
        bridge.on(notices.ChartExported, self._exported)
        bridge.on(notices.LoggedIn, self._signed_in)  # bound: forgotten with the window
        host.follow_selected_session(self, self._follow_session)
        self.page.defineRequested.connect(self.define_chart)
        self.page.valueRequested.connect(self.add_value)
        self.page.importRequested.connect(self.import_csv)
        self.page.exportRequested.connect(self.export)

    # -- following the session -------------------------------------------------------------

    def _shown(self) -> bool:
        return self._host.page_shown(self.page)

    @Slot(int)
    def _tab_changed(self, _index: int) -> None:
        if self._shown() and self.page.canvas is None:
            self.page.ensure_canvas()  # first look: start QtWebEngine, then load the page
            self._load()

    @Slot(object)
    def _signed_in(self, _notice: notices.LoggedIn) -> None:
        """A new sign-in shows no room's charts until a room is opened."""
        self.page.show_room("", "")

    @Slot()
    def _follow_session(self) -> None:
        roster = self._host.roster_of_selected()
        room = roster.session.room(RoomKind.OPERATIONS) if roster else None
        before = self.page.room_id
        if roster is None or room is None:
            self.page.show_room("", "")
        else:
            self.page.show_room(room, roster.session.title, Marking.of(roster.session))
            me = next((m for m in roster.members if m.user_id == self._host.user_id()), None)
            level = POWER[me.role] if me else POWER[Role.FACILITATOR]  # unknown: let them try
            self.page.allow(level >= EVENT_LEVELS[CHART], level >= EVENT_LEVELS[INDICATOR])
        if self.page.room_id != before:
            self._load()

    def _load(self) -> None:
        """Ask for the shown session's charts once the view exists (nothing to draw on before)."""
        if self.page.room_id and self.page.canvas is not None:
            self._host.bridge.load_charts(self.page.room_id)

    # -- forms -----------------------------------------------------------------------------

    def _units(self) -> dict[str, str]:
        return {s: self.page.unit_of(s) for s in self.page.known_series()}

    @Slot()
    def define_chart(self) -> None:
        room_id, bridge = self.page.room_id, self._host.bridge
        dialog = ChartDialog(self._host.parent)
        dialog.send_with(lambda: bridge.define_chart(room_id, dialog.chart()), self._host.explain)
        if dialog.exec():  # closed once the server took the definition
            self.page.say(fill(self.tr("Chart %1 defined."), dialog.chart().title))

    @Slot()
    def add_value(self) -> None:
        room_id, bridge = self.page.room_id, self._host.bridge
        dialog = ValueDialog(self.page.known_series(), self._units(), self._host.parent)
        dialog.send_with(
            lambda: bridge.publish_value(room_id, dialog.reading()), self._host.explain
        )
        dialog.exec()

    @Slot()
    def import_csv(self) -> None:
        room_id = self.page.room_id
        dialog = CsvImportDialog(self.page.known_series(), self._units(), self._host.parent)
        dialog.previewRequested.connect(
            lambda series, path, unit: self._host.bridge.preview_csv(room_id, series, path, unit)
        )
        self.csv_dialog = dialog
        try:
            if dialog.exec() and dialog.result_rows:
                self._host.bridge.import_rows(room_id, dialog.result_rows)
                sent = len(dialog.result_rows)
                self.page.say(counted(self.tr("%n values sent.", "", sent)))
        finally:
            self.csv_dialog = None
            dialog.deleteLater()

    @Slot(object)
    def _previewed(self, notice: CsvPreviewed) -> None:
        if self.csv_dialog is not None and notice.room_id == self.page.room_id:
            self.csv_dialog.show_preview(notice.path, notice.result)

    # -- exports ---------------------------------------------------------------------------

    @Slot(str, str)
    def export(self, chart_id: str, fmt: str, path: str = "") -> None:
        """Ask where (unless given), then write: PNG here, HTML and CSV by the backend."""
        filters = {
            "png": self.tr("PNG images (*.png)"),
            "html": self.tr("Web pages (*.html)"),
            "csv": self.tr("CSV files (*.csv)"),
        }
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self._host.parent, self.tr("Export chart"), f"{chart_id}.{fmt}", filters[fmt]
            )
        if not path:
            return
        if fmt == "png":
            self.page.save_png(chart_id, path, lambda ok: self._png_saved(ok, path))
        else:
            self._host.bridge.export_chart(self.page.room_id, chart_id, fmt, path, self.page.banner)

    def _png_saved(self, ok: bool, path: str) -> None:
        if ok:
            self._exported(ChartExported(path))
        else:
            self.page.say(fill(self.tr("The chart could not be saved to %1."), path), error=True)

    @Slot(object)
    def _exported(self, notice: ChartExported) -> None:
        self.page.say(fill(self.tr("Saved %1."), notice.path))

    @Slot(object)
    def _refused(self, notice: IndicatorRefused) -> None:
        texts = {
            "value": self.tr("The value was not sent: %1"),
            "import": self.tr("A row was not sent: %1"),
            "export": self.tr("The export failed: %1"),
        }
        self.page.say(fill(texts.get(notice.what, "%1"), notice.reason), error=True)
