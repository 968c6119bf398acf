"""Search and filter everything the archive holds: a page beside the timeline.

The archive is local and decrypted, so encrypted rooms are searched like any other;
Arabic and English words are found alike (see migration 0003_search). Results are
painted by the timeline's own delegate, so an entry reads the same here as there.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QModelIndex, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.timeline import CHAT, KIND_ORDER, STATUS_ORDER, TimelineQuery
from app.services.notices import RoomLoaded, SearchResults, VerificationsChanged
from app.ui.texts import counted
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.rows import TimelineRow, kind_label, status_label

RESULTS_ROOM = "search"  # the results model's room: results from every room share it


def _day_ms(date: QDate, next_day: bool = False) -> int | None:
    """Start of a day (or of the next one), or None when the field is left at 'any'."""
    if date == QDate(2000, 1, 1):
        return None
    day = date.addDays(1) if next_day else date
    return QDateTime(day, QTime(0, 0)).toMSecsSinceEpoch()


class TimelineSearch(QWidget):
    """Emits the query; shows the results the backend sends back."""

    searchRequested = Signal(object)  # TimelineQuery
    rowActivated = Signal(object)  # TimelineRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineSearch")
        self.current_room = ""
        self.text = QLineEdit()
        self.text.setObjectName("searchText")
        self.text.setPlaceholderText(self.tr("Words in any language; Enter searches"))
        self.text.returnPressed.connect(self.run)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("any kind"), "")
        for kind in (*KIND_ORDER, CHAT):
            self.kind.addItem(kind_label(kind), kind)
        self.status = QComboBox()
        self.status.addItem(self.tr("any status"), "")
        for status in STATUS_ORDER:
            self.status.addItem(status_label(status), status)
        self.sender = QLineEdit()
        self.sender.setPlaceholderText("@name:server")
        self.tag = QLineEdit()
        self.since, self.until = QDateEdit(), QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setSpecialValueText(self.tr("any"))
            edit.setDate(QDate(2000, 1, 1))
        self.this_room = QCheckBox(self.tr("Only the open &room"))
        self.go = QPushButton(self.tr("&Search"))
        self.go.clicked.connect(self.run)
        self.summary = QLabel()
        self.summary.setObjectName("searchSummary")
        self.results = TimelineModel(parent=self)
        self.results.load(RoomLoaded(RESULTS_ROOM, (), ()))
        self.view = QListView()
        self.view.setObjectName("searchResults")
        self.view.setModel(self.results)
        self.view.setItemDelegate(TimelineDelegate(self.view))
        self.view.setWordWrap(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.activated.connect(self._activated)
        self.view.setAccessibleName(self.tr("Search results"))
        self._lay_out()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Words:"), self.text)
        filters = QHBoxLayout()
        for widget in (self.kind, self.status, self.this_room):
            filters.addWidget(widget)
        form.addRow(self.tr("Filters:"), filters)
        form.addRow(self.tr("Se&nder:"), self.sender)
        form.addRow(self.tr("&Tag:"), self.tag)
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.until)
        form.addRow(self.tr("Dates:"), dates)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.go)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)

    def query(self) -> TimelineQuery:
        kind, status = self.kind.currentData(), self.status.currentData()
        in_room = self.this_room.isChecked() and self.current_room
        return TimelineQuery(
            text=self.text.text().strip(),
            room_ids=(self.current_room,) if in_room else (),
            kinds=(kind,) if kind else (),
            statuses=(status,) if status else (),
            sender=self.sender.text().strip(),
            tag=self.tag.text().strip(),
            since=_day_ms(self.since.date()),
            until=_day_ms(self.until.date(), next_day=True),
        )

    def run(self) -> None:
        self.summary.setText(self.tr("Searching…"))
        self.searchRequested.emit(self.query())

    def show_results(self, notice: SearchResults) -> None:
        """Results of every room in one list (the model's load takes them as they come)."""
        events = notice.events
        self.results.load(RoomLoaded(RESULTS_ROOM, events, ()))
        self.results.apply_verifications(VerificationsChanged(RESULTS_ROOM, notice.verifications))
        count = len(events)
        if count >= notice.query.limit:
            text = counted(
                self.tr("The newest %n results; narrow the search for older ones", "", count)
            )
        else:
            text = counted(self.tr("%n results", "", count))
        self.summary.setText(text)

    def _activated(self, index: QModelIndex) -> None:
        row: TimelineRow = self.results.row(index.row())
        self.rowActivated.emit(row)
