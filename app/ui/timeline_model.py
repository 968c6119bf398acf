"""The open room's timeline as a Qt list model that applies small diffs.

Rows are inserted, changed or replaced one at a time as notices arrive (never a reset
except when another room is opened), so the view keeps its scroll position and
selection while messages stream in.
"""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.records import OutboxItem, OutboxState, RoomEvent
from app.services.notices import RoomLoaded
from app.ui.timeline_rows import TimelineRow, event_row, outbox_row

RowRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """Rows of one room, oldest first; outbox rows sit at their send time until echoed."""

    def __init__(self, user_id: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.user_id = user_id
        self.room_id = ""
        self._rows: list[TimelineRow] = []
        self._by_key: dict[str, int] = {}

    # -- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.detail or None
        if role == RowRole:
            return row
        return None

    # -- diffs from the backend ----------------------------------------------------------

    def row(self, index: int) -> TimelineRow:
        return self._rows[index]

    def load(self, loaded: RoomLoaded) -> None:
        """Show another room: the only full reset."""
        self.beginResetModel()
        self.room_id = loaded.room_id
        self._rows = []
        for row in (event_row(e) for e in loaded.events):
            if row is not None:
                self._rows.append(row)
        echoed = {r.txn_id for r in self._rows if r.txn_id}
        pending = [i for i in loaded.pending if i.txn_id not in echoed]
        self._rows += [outbox_row(i, self.user_id) for i in pending]
        self._rows.sort(key=lambda r: r.ts)
        self._reindex()
        self.endResetModel()

    def add_events(self, events: tuple[RoomEvent, ...]) -> None:
        for event in events:
            if event.room_id != self.room_id:
                continue
            row = event_row(event)
            if row is None:
                continue
            local = self._by_key.get(row.txn_id or "") if event.sender == self.user_id else None
            existing = self._by_key.get(row.key, local)
            if existing is None:
                self._insert(row)
            else:
                self._replace(existing, row)

    def outbox_changed(self, item: OutboxItem) -> None:
        if item.room_id != self.room_id:
            return
        if item.event_id and item.event_id in self._by_key:
            return  # the echo is already shown
        position = self._by_key.get(item.txn_id)
        if item.state is OutboxState.SENT:
            return  # the echo will replace the pending row; until then it stays "sending"
        row = outbox_row(item, self.user_id)
        if position is None:
            self._insert(row)
        else:
            self._replace(position, row)

    # -- helpers -------------------------------------------------------------------------

    def _insert(self, row: TimelineRow) -> None:
        """Almost every new row is the newest: appending then costs O(1), not O(rows)."""
        position = bisect.bisect_right(self._rows, row.ts, key=lambda r: r.ts)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self._reindex(start=position)
        self.endInsertRows()

    def _replace(self, position: int, row: TimelineRow) -> None:
        old = self._rows[position]
        self._rows[position] = row
        self._by_key.pop(old.key, None)
        self._by_key[row.key] = position
        if old.txn_id and old.key != row.key:
            self._by_key.pop(old.txn_id, None)
        if row.txn_id:
            self._by_key.setdefault(row.txn_id, position)
        index = self.index(position)
        self.dataChanged.emit(index, index)

    def _reindex(self, start: int = 0) -> None:
        """Positions of rows from ``start`` on (rows before it have not moved)."""
        if start == 0:
            self._by_key = {}
        for position in range(start, len(self._rows)):
            row = self._rows[position]
            self._by_key[row.key] = position
            if row.txn_id:
                self._by_key[row.txn_id] = position
