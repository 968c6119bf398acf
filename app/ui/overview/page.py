"""The session overview, what a crisis desk looks at first: the capital's clock beside
each delegation's (with whether it is working hours there), open and overdue
instructions per delegation, and who has joined.

It is built from what the window already receives (the roster, the instruction board),
so it costs no extra request and is never out of step with the other pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.session import Roster
from app.services.notices import InstructionsChanged, RosterChanged
from app.ui.host import Host
from app.ui.texts import counted, digits, fill, tr
from app.ui.widgets import exercise_banner

WORK_HOURS = range(8, 19)  # 08:00–18:59 local: when a mission can be expected to answer


@dataclass(frozen=True, slots=True)
class Clock:
    """One place's time as the overview shows it."""

    name: str
    time: str  # 'HH:MM', or '' where the zone is unknown here
    working: bool | None  # None where the zone is unknown


def clock(name: str, tz: str, now: datetime | None = None) -> Clock:
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        return Clock(name, "", None)
    local = (now or datetime.now(tz=zone)).astimezone(zone)
    return Clock(name, digits(local.strftime("%H:%M")), local.hour in WORK_HOURS)


class OverviewPage(QWidget):
    """Cards for the selected session; refreshed from notices and every 30 seconds."""

    def __init__(
        self, selected: Callable[[], Roster | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overviewPage")
        self._selected = selected  # the roster of the room selected in the workspace
        self.roster: Roster | None = None
        self.board: InstructionsChanged | None = None
        self.banner = exercise_banner()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # titles come from others
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.clocks = QGridLayout()
        self.desks = QGridLayout()
        self.people = QLabel()
        self.empty = QLabel(self.tr("Choose a room of a crisis session to see its overview."))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.banner)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        for heading, grid in (
            (self.tr("World clocks"), self.clocks),
            (self.tr("Instructions by delegation"), self.desks),
        ):
            layout.addWidget(_heading(heading))
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setLayout(grid)
            layout.addWidget(frame)
        layout.addWidget(_heading(self.tr("Participants")))
        layout.addWidget(self.people)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._tick = QTimer(self)
        self._tick.setInterval(30_000)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()
        self.refresh()

    def follow(self, *_: object) -> None:
        """Another room selected, or a roster changed: show the selected room's session."""
        self.show_session(self._selected())

    @Slot(object)
    def show_session(self, roster: Roster | None) -> None:
        if roster is None or self.board is None or roster.session.space_id != self._space():
            self.board = None
        self.roster = roster
        self.refresh()

    @Slot(object)
    def apply_board(self, notice: InstructionsChanged) -> None:
        if self.roster is not None and notice.desk.space_id == self.roster.session.space_id:
            self.board = notice
            self.refresh()

    def _space(self) -> str:
        return self.roster.session.space_id if self.roster else ""

    def refresh(self) -> None:
        roster = self.roster
        self.empty.setVisible(roster is None)
        self.banner.setVisible(bool(roster and roster.session.exercise))
        self.title.setText(roster.session.title if roster else "")
        _clear(self.clocks)
        _clear(self.desks)
        if roster is None:
            self.people.clear()
            return
        info = roster.session
        places = [(self.tr("Capital"), info.capital_tz)] + [
            (d.name, d.tz) for d in info.delegations
        ]
        for row, (name, tz) in enumerate(places):
            shown = clock(name, tz)
            hours = {
                True: self.tr("working hours"),
                False: self.tr("outside working hours"),
                None: self.tr("time zone unknown"),
            }[shown.working]
            self.clocks.addWidget(QLabel(name), row, 0)
            big = QLabel(shown.time or "—")
            big.setObjectName("clockTime")
            big.setStyleSheet("font-size: 18pt; font-weight: bold;")
            self.clocks.addWidget(big, row, 1)
            self.clocks.addWidget(QLabel(fill("%1 · %2", tz, hours)), row, 2)
        rows = self.board.feed.rows if self.board else ()
        for line, d in enumerate(info.delegations):
            mine = [r for r in rows if r.instruction.delegation == d.id]
            waiting = sum(1 for r in mine if r.open)
            late = sum(1 for r in mine if r.overdue)
            self.desks.addWidget(QLabel(d.name), line, 0)
            text = fill(self.tr("%1 open · %2 overdue · %3 in all"), waiting, late, len(mine))
            count = QLabel(text)
            if late:
                count.setStyleSheet("color: #b3261e; font-weight: bold;")
            self.desks.addWidget(count, line, 1)
        joined = sum(1 for m in roster.members if m.membership == "join")
        self.people.setText(
            counted(self.tr("%1 of %n participants have joined", "", len(roster.members)), joined)
        )


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 8px;")
    return label


def _clear(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def add_overview(host: Host) -> OverviewPage:
    """The overview as a page of the workspace, following the selected room's session."""
    page = OverviewPage(host.roster_of_selected)
    host.add_page(page, tr("&Overview"))
    host.bridge.on(InstructionsChanged, page.apply_board)
    host.bridge.on(RosterChanged, page.follow)  # a bound method: forgotten with the page
    host.on_room_opened(page.follow)
    return page
