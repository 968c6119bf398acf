"""The participants panel: who is in the session, their role, delegation and local time.

People, not ids: each row shows a person's name with their coloured initials, the @id on
hover; names and ids are isolated so a Latin name keeps its place in an Arabic row."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.core.session import Member, Roster
from app.core.text import isolate
from app.core.trust.states import TrustState
from app.services.notices import TrustChanged
from app.ui.people import avatar_pixmap, display_name
from app.ui.session_marking import Marking, pending_banner, show_marking, shown_title
from app.ui.sessions.trust_badge import COLOURS, badge_text
from app.ui.texts import (
    crisis_kind_label,
    digits,
    fill,
    role_label,
    session_status_label,
    user_text,
)
from app.ui.theme import readable
from app.ui.widgets import exercise_banner

_Index = QModelIndex | QPersistentModelIndex
MEMBER, ROLE, DELEGATION, LOCAL_TIME, STATUS, TRUST = range(6)


def local_time(tz: str, now: datetime | None = None) -> str:
    """'14:05' in the participant's zone; empty if the zone is unknown here."""
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        return ""
    return digits((now or datetime.now(tz=zone)).astimezone(zone).strftime("%H:%M"))


class RosterModel(QAbstractTableModel):
    """One row per participant; the local-time column refreshes every 30 seconds."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: tuple[Member, ...] = ()
        self.trust: dict[str, TrustState] = {}  # user id -> trust state, as last told
        self._delegations: dict[str, str] = {}  # id -> name, as far as we may know it
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(30_000)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Participant"),
            self.tr("Role"),
            self.tr("Delegation"),
            self.tr("Local time"),
            self.tr("Status"),
            self.tr("Trust"),
        )[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        member = self._members[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(member, index.column())
        if role == Qt.ItemDataRole.DecorationRole and index.column() == MEMBER:
            ratio = QGuiApplication.primaryScreen().devicePixelRatio()
            return avatar_pixmap(member.user_id, self._name(member), 22, ratio)
        if role == Qt.ItemDataRole.ToolTipRole:
            about = ", ".join(x for x in (member.title, member.organisation, member.tz) if x)
            return "\n".join(x for x in (user_text(member.user_id), about) if x)
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == MEMBER:
            return f"{self._name(member)} ({member.user_id})"
        alarm = COLOURS.get(self.trust.get(member.user_id, TrustState.NOT_VERIFIED))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == TRUST and alarm:
            return readable(alarm)
        if role == Qt.ItemDataRole.ForegroundRole and member.membership != "join":
            return readable("#8a6d00")
        return None

    def _text(self, member: Member, column: int) -> str:
        if column == MEMBER:
            return isolate(self._name(member))
        if column == ROLE:
            return role_label(member.role.value)
        if column == DELEGATION:
            named = self._delegations.get(member.delegation, member.delegation)
            return isolate(named) if named else ""
        if column == LOCAL_TIME:
            return local_time(member.tz)
        if column == TRUST:
            return badge_text(self.trust.get(member.user_id))
        return {
            "join": self.tr("joined"),
            "invite": self.tr("not joined yet"),
            "leave": self.tr("left"),
        }.get(member.membership, member.membership)

    @staticmethod
    def _name(member: Member) -> str:
        return display_name(member.user_id, {member.user_id: member.name})

    def set_members(
        self, members: tuple[Member, ...], delegations: dict[str, str] | None = None
    ) -> None:
        self.beginResetModel()  # a roster is a few dozen rows; a reset keeps this simple
        self._members = members
        self._delegations = delegations or {}
        self.endResetModel()

    def set_trust(self, trust: dict[str, TrustState]) -> None:
        self.trust = trust
        self.set_members(self._members, self._delegations)

    def member(self, row: int) -> Member:
        return self._members[row]

    def _tick(self) -> None:
        if self._members:
            first, last = self.index(0, LOCAL_TIME), self.index(len(self._members) - 1, LOCAL_TIME)
            self.dataChanged.emit(first, last)


class ParticipantsPanel(QWidget):
    """Session header (EXERCISE marked) above the roster table."""

    rosterShown = Signal(object)  # the Roster now shown, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("participantsPanel")
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)  # titles come from others
        self.header.setWordWrap(True)
        self.header.setObjectName("sessionHeader")
        self.exercise = exercise_banner()
        self.pending = pending_banner()
        self.model = RosterModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Participants"))
        self.table.verticalHeader().hide()
        self.table.setIconSize(QSize(22, 22))  # the initials, readable
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)  # Verify…
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.exercise)
        layout.addWidget(self.pending)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        self.roster: Roster | None = None
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._show_header)
        self._clock.start(30_000)  # the capital's time moves on
        self.show_roster(None)

    def show_trust(self, notice: TrustChanged) -> None:
        self.model.set_trust(dict(notice.states))

    def selected_member(self) -> Member | None:
        """The participant whose row is current, if any (what Session menu actions act on)."""
        index = self.table.currentIndex()
        return self.model.member(index.row()) if index.isValid() else None

    def show_roster(self, roster: Roster | None) -> None:
        self.roster = roster
        self.setVisible(roster is not None)
        self.rosterShown.emit(roster)
        if roster is None:
            self.model.set_members(())
            return
        self._show_header()
        show_marking(self.exercise, self.pending, roster.session)
        delegations = {d.id: d.name for d in roster.session.delegations}
        self.model.set_members(roster.members, delegations)

    def _show_header(self) -> None:
        if self.roster is None:
            return
        info = self.roster.session
        title = shown_title(info.title, Marking.of(info))
        status = session_status_label(info.status)
        if not info.details_known:  # kind, zone, classification: defaults, not answers
            pending = self.tr("%1 — %2 · details not decrypted yet")
            self.header.setText(fill(pending, title, status))
            return
        self.header.setText(
            fill(
                self.tr("%1 — %2, %3 · capital time %4 (%5)"),
                title,
                crisis_kind_label(info.kind),
                status,
                local_time(info.capital_tz),
                info.classification,
            )
        )
