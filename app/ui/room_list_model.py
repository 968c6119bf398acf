"""The user's rooms and spaces, newest activity first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.records import RoomSummary

RoomIdRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class RoomListModel(QAbstractListModel):
    """Applies the room list from the backend as moves, inserts and changes, not resets."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rooms: list[RoomSummary] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rooms)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rooms):
            return None
        room = self._rooms[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return room.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return room.room_id
        if role == RoomIdRole:
            return room.room_id
        return None

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
