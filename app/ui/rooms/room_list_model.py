"""The user's rooms and spaces, newest activity first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.core.records import RoomSummary
from app.core.roles import RoomKind
from app.core.session import SessionInfo

RoomIdRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class RoomListModel(QAbstractListModel):
    """Applies the room list from the backend as moves, inserts and changes, not resets."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rooms: list[RoomSummary] = []
        self._labels: dict[str, str] = {}  # session rooms: short names under their session

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rooms)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rooms):
            return None
        room = self._rooms[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(room)
        if role == Qt.ItemDataRole.FontRole and room.is_space:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return room.room_id
        if role == RoomIdRole:
            return room.room_id
        return None

    def _label(self, room: RoomSummary) -> str:
        """A session's rooms read 'Operations', 'Geneva talks' under the session's name."""
        label = self._labels.get(room.room_id)
        return room.name if label is None else "    " + label

    def set_session(self, info: SessionInfo) -> None:
        """Name a session's rooms by their kind, in the interface language."""
        kinds = {
            RoomKind.OPERATIONS: self.tr("Operations"),
            RoomKind.RESTRICTED: self.tr("Restricted"),
            RoomKind.OUTREACH: self.tr("Outreach"),
        }
        names = {d.id: d.name for d in info.delegations}
        for room in info.rooms:
            self._labels[room.room_id] = kinds.get(room.kind) or names.get(room.delegation, "")
        changed = [r for r, s in enumerate(self._rooms) if s.room_id in self._labels]
        if changed:
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)))

    def room(self, row: int) -> RoomSummary:
        return self._rooms[row]

    def row_of(self, room_id: str) -> int:
        return next((i for i, r in enumerate(self._rooms) if r.room_id == room_id), -1)

    def set_rooms(self, rooms: tuple[RoomSummary, ...]) -> None:
        """Turn the current list into ``rooms`` one row operation at a time."""
        wanted = {r.room_id for r in rooms}
        for row in reversed(range(len(self._rooms))):
            if self._rooms[row].room_id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rooms[row]
                self.endRemoveRows()
        for target, room in enumerate(rooms):
            current = self.row_of(room.room_id)
            if current == -1:
                self.beginInsertRows(QModelIndex(), target, target)
                self._rooms.insert(target, room)
                self.endInsertRows()
                continue
            if current != target:
                self.beginMoveRows(QModelIndex(), current, current, QModelIndex(), target)
                self._rooms.insert(target, self._rooms.pop(current))
                self.endMoveRows()
            if self._rooms[target] != room:
                self._rooms[target] = room
                self.dataChanged.emit(self.index(target), self.index(target))
