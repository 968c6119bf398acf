"""The instruction feed and status board as one table model: instruction × delegation.

Open rows (waiting for this delegation's acknowledgement) are bold, superseded ones
struck through, overdue ones on a warning background: what must not be missed in the
middle of a negotiation is visible without reading.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFont

from app.core.clocks import minutes_between, wall_clock
from app.core.instructions import Addressed, Desk, Feed, Stage, feed_order
from app.ui.texts import counted, digits, fill, tr
from app.ui.theme import readable
from app.ui.widgets import ERROR_COLOUR

_Index = QModelIndex | QPersistentModelIndex
PRIORITY, SUBJECT, DELEGATION, STATE, ISSUED, DEADLINE, AGE = range(7)
OVERDUE_BACKGROUND = "#fde2e1"
RowRole = Qt.ItemDataRole.UserRole + 1


def priority_label(priority: str) -> str:
    return {
        "routine": tr("Routine"),
        "priority": tr("Priority"),
        "immediate": tr("Immediate"),
        "flash": tr("FLASH"),
    }.get(priority, priority)


def stage_label(stage: Stage) -> str:
    return {
        Stage.PENDING: tr("Waiting to send"),
        Stage.ISSUED: tr("Issued"),
        Stage.RECEIVED: tr("Received"),
        Stage.ACKNOWLEDGED: tr("Acknowledged"),
        Stage.DONE: tr("Done"),
        Stage.UNABLE: tr("Unable"),
    }[stage]


def two_clocks(ts_ms: int, desk: Desk, delegation: str) -> str:
    """Capital time, then the delegation's local time where it differs; the date only
    when it is not today in the capital."""
    zones = {d.id: d.tz for d in desk.delegations}
    if desk.my_tz and delegation == desk.my_delegation:
        zones[delegation] = desk.my_tz  # the delegate's own clock, as they set it
    capital = wall_clock(ts_ms, desk.capital_tz)
    if capital[:10] == wall_clock(int(time.time() * 1000), desk.capital_tz)[:10]:
        capital = capital[11:]
    local_tz = zones.get(delegation, "")
    local = wall_clock(ts_ms, local_tz)[-5:] if local_tz else capital[-5:]
    if local == capital[-5:]:
        return digits(capital)
    return fill(tr("%1 capital · %2 local"), digits(capital), digits(local))


class InstructionsModel(QAbstractTableModel):
    """Rows of one session; a delegate sees open ones first, the capital the newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.desk: Desk | None = None
        self._rows: list[Addressed] = []
        self._ticker = QTimer(self)  # ages move on even when nothing arrives
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(30_000)

    def show(self, desk: Desk | None, feed: Feed | None) -> None:
        self.beginResetModel()
        self.desk = desk
        rows = list(feed.rows) if feed is not None else []
        self._rows = feed_order(rows) if desk and not desk.can_issue else rows
        self.endResetModel()

    def row(self, number: int) -> Addressed:
        return self._rows[number]

    def row_of(self, ref: str, delegation: str) -> int:
        """The row of one instruction's copy to one delegation, or -1."""
        return next(
            (
                n
                for n, r in enumerate(self._rows)
                if (r.instruction.ref, r.instruction.delegation) == (ref, delegation)
            ),
            -1,
        )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Priority"),
            self.tr("Subject"),
            self.tr("Delegation"),
            self.tr("State"),
            self.tr("Issued"),
            self.tr("Deadline"),
            self.tr("Age"),
        )[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.desk is None:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(row.open)
            font.setStrikeOut(bool(row.superseded_by))
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
            return readable(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and (
            (index.column() == PRIORITY and row.instruction.priority == "flash") or row.error
        ):
            return readable(ERROR_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and row.superseded_by:
            return self.tr("Superseded by a newer instruction")
        return None

    def _text(self, row: Addressed, column: int) -> str:
        assert self.desk is not None
        i = row.instruction
        if column == PRIORITY:
            return priority_label(i.priority)
        if column == SUBJECT:
            return i.subject
        if column == DELEGATION:
            names = {d.id: d.name for d in self.desk.delegations}
            name = names.get(i.delegation, i.delegation)
            return name if i.action else fill(self.tr("%1 (for information)"), name)
        if column == STATE:
            state = stage_label(row.stage)
            if row.stage_via_other_client:  # a plain reply from Element, Nheko…
                state = fill(self.tr("%1 (via another client)"), state)
            return fill(self.tr("%1 — overdue"), state) if row.overdue else state
        if column == ISSUED:
            return two_clocks(i.issued_ts, self.desk, i.delegation)
        if column == DEADLINE:
            return two_clocks(i.deadline, self.desk, i.delegation) if i.deadline else ""
        minutes = minutes_between(i.issued_ts, int(time.time() * 1000))
        return counted(self.tr("%n min", "", minutes))

    def _tick(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, AGE), self.index(len(self._rows) - 1, AGE))
