"""The session overview, what a crisis desk looks at first: the latest sitrep, the
capital's clock beside each delegation's (with whether it is working hours there), open
and overdue instructions per delegation, the latest key figures, who has joined and who
is active.

It is built from what the window already receives (the roster, the instruction board),
so it costs no extra request and is never out of step with the other pages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
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
from app.core.sitrep import Sitrep
from app.services.notices import EventsArrived, InstructionsChanged, LoggedIn, Resuming, RoomLoaded
from app.services.sitrep.notices import LatestSitrep
from app.ui.host import Host
from app.ui.overview.figures import ACTIVE_MINUTES, KeyFigures
from app.ui.people import display_name
from app.ui.session_marking import Marking, pending_banner, show_marking, shown_title
from app.ui.texts import counted, digits, fill, tr
from app.ui.theme import readable
from app.ui.widgets import ERROR_COLOUR, exercise_banner

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
        self._account = ""  # whose rooms the figures, titles and sitreps below were read from
        self.roster: Roster | None = None
        self.board: InstructionsChanged | None = None
        self.banner = exercise_banner()
        self.pending = pending_banner()
        self.title = _title()
        self.clocks = QGridLayout()
        self.desks = QGridLayout()
        self.figures = KeyFigures()
        self.sitrep = _wrapping(self.tr("No situation report yet."))
        self._sitreps: dict[str, Sitrep | None] = {}
        self.key_figures = QGridLayout()
        self.people = QLabel()
        self.active = _wrapping()
        self.empty = QLabel(self.tr("Choose a room of a crisis session to see its overview."))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.banner)
        layout.addWidget(self.pending)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(_heading(self.tr("Latest situation report")))
        layout.addWidget(self.sitrep)
        for heading, grid in (
            (self.tr("World clocks"), self.clocks),
            (self.tr("Instructions by delegation"), self.desks),
            (self.tr("Latest key figures"), self.key_figures),
        ):
            layout.addWidget(_heading(heading))
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setLayout(grid)
            layout.addWidget(frame)
        layout.addWidget(_heading(self.tr("Participants")))
        layout.addWidget(self.people)
        layout.addWidget(self.active)
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
        """Another room selected, or its session's roster announced: show its session
        (``Host.follow_selected_session``)."""
        self.show_session(self._selected())

    @Slot(object)
    def signed_in(self, notice: LoggedIn | Resuming) -> None:
        """Another account's rooms from now on (a login, or a restart's resumed one): the
        last account's figures, chart titles, signs of life and sitreps go, as the room
        list and timeline do, even of a session the two share (in an encrypted room, what
        only the last account could read), and so does its session, when the next has no
        room selected. Its own account confirmed after a restart keeps what its archive
        showed meanwhile. No load of the last account's comes after this: its archive
        hands them all over before it closes, and the next sign-in is said only once its
        own archive is open (``app.ui.shell.timeline_feed``). The same account signed in
        again follows the workspace too, which has let go of its room."""
        if notice.user_id != self._account:
            self._account = notice.user_id
            self.figures = KeyFigures()
            self._sitreps.clear()
        self.follow()

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

    @Slot(object)
    def note_sitrep(self, notice: LatestSitrep) -> None:
        """The newest published sitrep of a session, kept per session: it may come before
        the session is shown."""
        self._sitreps[notice.space_id] = notice.sitrep
        if notice.space_id == self._space():
            self._show_sitrep()

    def _show_sitrep(self) -> None:
        """Its title, who approved it and when (capital time), then its situation."""
        sitrep = self._sitreps.get(self._space())
        if sitrep is None or self.roster is None:
            self.sitrep.setText(self.tr("No situation report yet."))
            return
        names = {m.user_id: m.name for m in self.roster.members if m.name}
        published = datetime.fromtimestamp(sitrep.published_at / 1000, tz=UTC)
        when = clock("", self.roster.session.capital_tz, published).time or "—"
        lead = fill(
            self.tr("%1 — approved by %2, published at %3 (capital time)"),
            sitrep.draft.title,
            display_name(sitrep.approved_by, names),
            when,
        )
        situation = sitrep.draft.section("situation")
        self.sitrep.setText(f"{lead}\n{situation}" if situation else lead)

    @Slot(object)
    def note_events(self, notice: EventsArrived | RoomLoaded) -> None:
        """Figures and signs of life from what the window receives (live or loaded)."""
        self.figures.note(notice.events)
        if self.roster is not None:
            self._show_figures()

    def _space(self) -> str:
        return self.roster.session.space_id if self.roster else ""

    def refresh(self) -> None:
        roster = self.roster
        self.empty.setVisible(roster is None)
        show_marking(self.banner, self.pending, roster.session if roster else None)
        session = roster.session if roster else None
        self.title.setText(shown_title(session.title, Marking.of(session)) if session else "")
        _clear(self.clocks)
        _clear(self.desks)
        if roster is None:
            _clear(self.key_figures)
            self.people.clear()
            self.active.clear()
            self._show_sitrep()  # no session: no report, not the last one shown
            return
        info = roster.session
        # Pending: the capital's zone is a default, not an answer (no time, no judgement).
        capital = info.capital_tz if info.details_known else ""
        places = [(self.tr("Capital"), capital)] + [(d.name, d.tz) for d in info.delegations]
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
            self.clocks.addWidget(QLabel(fill("%1 · %2", tz, hours) if tz else hours), row, 2)
        rows = self.board.feed.rows if self.board else ()
        for line, d in enumerate(info.delegations):
            mine = [r for r in rows if r.instruction.delegation == d.id]
            waiting = sum(1 for r in mine if r.open)
            late = sum(1 for r in mine if r.overdue)
            self.desks.addWidget(QLabel(d.name), line, 0)
            text = fill(self.tr("%1 open · %2 overdue · %3 in all"), waiting, late, len(mine))
            count = QLabel(text)
            if late:
                count.setStyleSheet(f"color: {readable(ERROR_COLOUR).name()}; font-weight: bold;")
            self.desks.addWidget(count, line, 1)
        joined = sum(1 for m in roster.members if m.membership == "join")
        self.people.setText(
            counted(self.tr("%1 of %n participants have joined", "", len(roster.members)), joined)
        )
        self._show_figures()
        self._show_sitrep()

    def _show_figures(self) -> None:
        """The latest key figures and who is active, for the shown session."""
        roster = self.roster
        assert roster is not None
        _clear(self.key_figures)
        rooms = [roster.session.space_id, *(r.room_id for r in roster.session.rooms)]
        figures = self.figures.latest(rooms)
        for line, f in enumerate(figures):
            title = self.figures.titles.get(f.series, f.series)
            name = fill("%1 (%2)", title, f.region) if f.region else title
            value = f"{f.value:,.0f}" if float(f.value).is_integer() else f"{f.value:,.2f}"
            big = QLabel(digits(f"{value} {f.unit}".strip()))
            big.setStyleSheet("font-size: 14pt; font-weight: bold;")
            when = datetime.fromtimestamp(f.ts / 1000).strftime("%H:%M")
            self.key_figures.addWidget(QLabel(name), line, 0)
            self.key_figures.addWidget(big, line, 1)
            self.key_figures.addWidget(QLabel(fill(self.tr("at %1"), digits(when))), line, 2)
        if not figures:
            self.key_figures.addWidget(QLabel(self.tr("No figures yet.")), 0, 0)
        names = {m.user_id: m.name for m in roster.members if m.name}
        joined = [m.user_id for m in roster.members if m.membership == "join"]
        active = self.figures.active(joined, int(time.time() * 1000))
        shown = ", ".join(display_name(u, names) for u in active) or self.tr("nobody")
        self.active.setText(
            fill(self.tr("Active in the last %1 minutes: %2"), ACTIVE_MINUTES, shown)
        )


def _title() -> QLabel:
    """The session's title, large: plain text, as titles come from others."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 8px;")
    return label


def _wrapping(text: str = "") -> QLabel:
    """A label of plain text (names and titles are never markup) that wraps."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
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
    host.bridge.on(Resuming, page.signed_in)  # after the workspace's own: it has let go
    host.bridge.on(LoggedIn, page.signed_in)
    host.bridge.on(InstructionsChanged, page.apply_board)
    host.bridge.on(EventsArrived, page.note_events)
    host.bridge.on(RoomLoaded, page.note_events)
    host.bridge.on(LatestSitrep, page.note_sitrep)
    host.follow_selected_session(page, page.follow)  # forgotten with the page
    return page
