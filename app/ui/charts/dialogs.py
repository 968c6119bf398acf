"""Forms of the dashboard: define a chart, add a value by hand, import a CSV of a series.

Each form checks with the same rules as the receivers (app.core.charts) before
anything leaves, and says why in the form rather than sending something every other
client would refuse.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.charts import (
    ChartDef,
    CsvImport,
    CsvRow,
    Reading,
    chart_id_from_title,
    chart_problem,
    parse_number,
)
from app.ui.commands import CommandDialog
from app.ui.texts import counted, fill, tr
from app.ui.widgets import error_label, ok_cancel

PREVIEW_ROWS = 200  # the table shows the first rows; the counts cover the whole file


def kind_labels() -> dict[str, str]:
    return {
        "timeseries": tr("Time series"),
        "area": tr("Stacked area"),
        "bar": tr("Bars by region"),
        "kpi": tr("Single figure (KPI)"),
    }


class ChartDialog(CommandDialog):
    """A chart definition: title, id (from the title), kind, series keys, unit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Define a chart"))
        self.title = QLineEdit()
        self.chart_id = QLineEdit()
        self.chart_id.setPlaceholderText(self.tr("made from the title"))
        self.kind = QComboBox()
        for kind, label in kind_labels().items():
            self.kind.addItem(label, kind)
        self.series = QLineEdit()
        self.series.setPlaceholderText(self.tr("evacuated, displaced"))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("people"))
        self.error = error_label("chartError")
        form = QFormLayout(self)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("Chart &id:"), self.chart_id)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Series (comma-separated):"), self.series)
        form.addRow(self.tr("&Unit:"), self.unit)
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))

    def chart(self) -> ChartDef:
        title = self.title.text().strip()
        keys = self.series.text().replace("،", ",").split(",")  # the Arabic comma too
        series = tuple(dict.fromkeys(s.strip() for s in keys))
        return ChartDef(
            self.chart_id.text().strip() or chart_id_from_title(title),
            title,
            tuple(s for s in series if s),
            self.kind.currentData(),
            self.unit.text().strip(),
        )

    def _check(self) -> None:
        chart = self.chart()
        if not chart.title:
            self.error.setText(self.tr("The chart needs a title."))
            return
        why = chart_problem(chart)
        if why:
            self.error.setText(fill(self.tr("Cannot define this chart: %1"), why))
            return
        self.accept()


class ValueDialog(CommandDialog):
    """One value typed by hand: series, value, the time it refers to (UTC), region, source."""

    def __init__(self, series: list[str], unit_of: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a value"))
        self._unit_of = unit_of
        self.series = QComboBox()
        self.series.addItems(series)
        self.value = QLineEdit()
        self.value.setPlaceholderText("1250")
        self.at = QDateTimeEdit(QDateTime.currentDateTimeUtc())
        self.at.setTimeZone(QTimeZone.utc())
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
        self.at.setCalendarPopup(True)
        self.at.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a Latin date, also in Arabic
        self.region = QLineEdit()
        self.unit = QLineEdit()
        self.source = QLineEdit()
        self.error = error_label("valueError")
        self.series.currentTextChanged.connect(lambda s: self.unit.setText(unit_of.get(s, "")))
        self.unit.setText(unit_of.get(self.series.currentText(), ""))
        form = QFormLayout(self)
        form.addRow(self.tr("&Series:"), self.series)
        form.addRow(self.tr("&Value:"), self.value)
        form.addRow(self.tr("&At (UTC):"), self.at)
        form.addRow(self.tr("&Region:"), self.region)
        form.addRow(self.tr("&Unit:"), self.unit)
        form.addRow(self.tr("S&ource:"), self.source)
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))

    def reading(self) -> Reading | None:
        value = parse_number(self.value.text())
        if value is None:
            return None
        return Reading(
            self.series.currentText(),
            value,
            self.at.dateTime().toMSecsSinceEpoch(),
            self.unit.text().strip(),
            self.region.text().strip(),
            self.source.text().strip(),
        )

    def _check(self) -> None:
        if not self.series.currentText():
            self.error.setText(self.tr("No chart has a series yet."))
        elif self.reading() is None:
            self.error.setText(self.tr("The value must be a number, such as 1250 or 12.5."))
        else:
            self.accept()


class CsvImportDialog(QDialog):
    """Choose a series and a file; see what would be published and what is refused, why."""

    previewRequested = Signal(str, str, str)  # series, path, unit

    def __init__(self, series: list[str], unit_of: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import a CSV of a series"))
        self.resize(640, 520)
        self._unit_of = unit_of
        self.result_rows: tuple[CsvRow, ...] = ()
        self.series = QComboBox()
        self.series.addItems(series)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        choose = QPushButton(self.tr("&Choose file…"))
        choose.clicked.connect(self._choose)
        self.series.currentTextChanged.connect(self._ask_preview)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        hint = QLabel(
            self.tr(
                "Columns: at (ISO 8601 date and time; UTC unless it says otherwise), value; "
                "optional region, unit, source."
            )
        )
        hint.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("csvSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Line"), self.tr("At"), self.tr("Value"), self.tr("Region")]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.refused = QListWidget()
        self.refused.setObjectName("csvRefused")
        self.error = error_label("csvError")
        self.buttons = ok_cancel(self, self._check)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Publish"))
        form = QFormLayout()
        form.addRow(self.tr("&Series:"), self.series)
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(choose)
        form.addRow(file_label, file_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(self.tr("Refused rows:")))
        layout.addWidget(self.refused, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CSV file"), "", self.tr("CSV files (*.csv);;All files (*)")
        )
        if path:
            self.choose_path(path)

    def choose_path(self, path: str) -> None:
        self.path.setText(path)
        self._ask_preview()

    def _ask_preview(self) -> None:
        self.result_rows = ()
        if self.path.text():
            self.summary.setText(self.tr("Reading the file…"))
            series = self.series.currentText()
            self.previewRequested.emit(series, self.path.text(), self._unit_of.get(series, ""))

    def show_preview(self, path: str, result: CsvImport) -> None:
        """The backend's check of the file (ignored if another file was chosen since)."""
        if path != self.path.text() or result.series != self.series.currentText():
            return
        self.refused.clear()
        self.table.setRowCount(0)
        if result.problem:
            self.summary.setText(fill(self.tr("The file cannot be imported: %1"), result.problem))
            return
        self.result_rows = result.rows
        published = counted(self.tr("%n rows will be published;", "", len(result.rows)))
        refused = counted(self.tr("%n rows are refused.", "", len(result.rejected)))
        self.summary.setText(f"{published} {refused}")
        shown = result.rows[:PREVIEW_ROWS]
        self.table.setRowCount(len(shown))
        for index, row in enumerate(shown):
            at = QDateTime.fromMSecsSinceEpoch(row.content["at"], QTimeZone.utc())
            cells = (
                str(row.line),
                at.toString("yyyy-MM-dd HH:mm"),
                f"{row.content['value']:,}",
                str(row.content.get("region", "")),
            )
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for rejected in result.rejected:
            self.refused.addItem(
                fill(self.tr("Line %1: %2 (%3)"), rejected.line, rejected.reason, rejected.text)
            )

    def _check(self) -> None:
        if not self.result_rows:
            self.error.setText(self.tr("Nothing to publish: choose a file with valid rows."))
            return
        self.accept()
