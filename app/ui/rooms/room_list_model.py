"""The user's rooms as a session tree: each session a heading with its rooms beneath in a
fixed order (operations, restricted, delegations, outreach), then the other rooms by name.

The order never follows activity: a row that jumps while the pointer travels to it sends
a click to the wrong room (a message meant for officials landing with influencers).
Activity shows as an unread badge instead.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.core.records import RoomEvent, RoomSummary
from app.core.roles import RoomKind
from app.core.session import SessionInfo
from app.core.text import plain_name
from app.ui.rooms.activity import (
    LastMessage,
    last_message,
    mentions,
    preview_line,
    when,
    worth_a_badge,
)
from app.ui.session_marking import Badge, Marking, badge, marked_title, shown_title
from app.ui.texts import fill, tr

RoomIdRole = Qt.ItemDataRole.UserRole + 1
UnreadRole = Qt.ItemDataRole.UserRole + 2
PreviewRole = Qt.ItemDataRole.UserRole + 3  # "Karim Haddad: the convoy left"
TimeRole = Qt.ItemDataRole.UserRole + 4  # of the last message: "14:05", "27 Nov"
MentionRole = Qt.ItemDataRole.UserRole + 5  # a message not yet read names me
SizeKeyRole = Qt.ItemDataRole.UserRole + 6  # what the row's size follows: name, bold, preview, pill
MarkRole = Qt.ItemDataRole.UserRole + 7  # a session heading's pill (a Badge): EXERCISE…
_Index = QModelIndex | QPersistentModelIndex
_KIND_ORDER = {
    RoomKind.OPERATIONS: 1,
    RoomKind.RESTRICTED: 2,
    RoomKind.DELEGATION: 3,
    RoomKind.OUTREACH: 4,
}
_Place = tuple[int, str, str, int, int, str]


class RoomListModel(QAbstractListModel):
    """Applies the room list from the backend as moves, inserts and changes, not resets."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rooms: list[RoomSummary] = []
        self._labels: dict[str, str] = {}  # session rooms: short names under their session
        # Session spaces by their title: the server's name is neutral ("Session 4821").
        self._titles: dict[str, str] = {}
        self._marks: dict[str, Marking] = {}  # session spaces: exercise, pending or real
        self._places: dict[str, _Place] = {}  # session rooms and spaces: where they stand
        # Unread events by id, per room: an event told twice (shown before it was archived,
        # then again once its key came or a note was added) still counts once.
        self._unread: dict[str, set[str]] = {}
        self._last: dict[str, LastMessage] = {}
        self._mentioned: set[str] = set()
        self.names: dict[str, str] = {}  # display names from member events, any room

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rooms)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rooms):
            return None
        room = self._rooms[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(room)
        if role == MarkRole:
            return self._badge(room)
        if role == SizeKeyRole:
            marked = self._badge(room) is not None  # a pill: a row tall enough for it
            return (self._label(room), self._bold(room), room.room_id in self._last, marked)
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says
            # A session's heading as its title reads (the mark first, the warning's
            # words as the headers say them); a room under it by its own name.
            return self.title(index.row()) if room.room_id in self._marks else self._label(room)
        if role == Qt.ItemDataRole.FontRole and self._bold(room):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return room.room_id
        if role == RoomIdRole:
            return room.room_id
        if role == UnreadRole:
            return self.unread(room.room_id)
        if role == MentionRole:
            return room.room_id in self._mentioned
        last = self._last.get(room.room_id)
        if role == PreviewRole and last is not None:
            return preview_line(last, self.names)
        if role == TimeRole and last is not None:
            return when(last.ts)
        return None

    def _bold(self, room: RoomSummary) -> bool:
        """Sessions, and rooms with unread messages, are named in bold."""
        return room.is_space or bool(self.unread(room.room_id))

    def _label(self, room: RoomSummary) -> str:
        """A session's rooms read 'Operations', 'Geneva talks' under the session's name;
        a room we are no member of any more says so (it stays listed: its record does)."""
        label = self._labels.get(room.room_id)
        # Someone else chose a title: one line, no bidi controls. A session's mark is
        # not in it: the delegate paints it as a pill before it (MarkRole), which no
        # title can imitate, and which is never elided as a long title is.
        name = (
            (plain_name(self._titles.get(room.room_id, "")) or room.name)
            if label is None
            else label
        )
        shown = fill(tr("%1 (no longer a member)"), name) if room.left else name
        return shown if label is None else "    " + shown

    def _badge(self, room: RoomSummary) -> Badge | None:
        marking = self._marks.get(room.room_id)
        return None if marking is None else badge(marking, self._label(room))

    def title(self, row: int) -> str:
        """What the room is called above its timeline: a session room by its session's
        title and its kind ('Port Sable · Geneva talks'), never the server's neutral name."""
        room = self._rooms[row]
        label = self._labels.get(room.room_id)
        space = self._places.get(room.room_id, (1, "", "", 0, 0, ""))[2]
        if label is not None and space in self._titles:
            return f"{shown_title(self._titles[space], self._marks[space])} · {label}"
        marking = self._marks.get(room.room_id)
        if marking is None:  # a room outside any session
            return self._label(room)
        return marked_title(self._label(room), marking)  # one line of text: the mark leads

    def set_session(self, info: SessionInfo) -> None:
        """Name a session's rooms by their kind, in the interface language, and place them
        under their session in the fixed order."""
        kinds = {
            RoomKind.OPERATIONS: self.tr("Operations"),
            RoomKind.RESTRICTED: self.tr("Restricted"),
            RoomKind.OUTREACH: self.tr("Outreach"),
        }
        names = {d.id: d.name for d in info.delegations}
        delegation_order = {d.id: n for n, d in enumerate(info.delegations)}
        self._titles[info.space_id] = info.title
        # The heading says what the list cannot otherwise tell: an exercise, or a session
        # whose details are not decrypted yet (neither exercise nor real, as far as we know).
        self._marks[info.space_id] = Marking.of(info)
        title = info.title.casefold()
        self._places[info.space_id] = (0, title, info.space_id, 0, 0, "")
        for room in info.rooms:
            label = kinds.get(room.kind) or names.get(room.delegation, "")
            self._labels[room.room_id] = label
            self._places[room.room_id] = (
                0,
                title,
                info.space_id,
                _KIND_ORDER[room.kind],
                delegation_order.get(room.delegation, len(delegation_order)),
                label.casefold(),
            )
        self.set_rooms(tuple(self._rooms))  # a room may now stand under its session
        # Only this session's rows are named anew; they stand together under it, so the
        # list view repaints them in place instead of laying all rooms out again (400
        # sizeHints at a ministry's scale, on a room opened while the start's rosters come).
        ours = {info.space_id, *(room.room_id for room in info.rooms)}
        changed = [r for r, room in enumerate(self._rooms) if room.room_id in ours]
        if changed:
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)))

    def _place(self, room: RoomSummary) -> _Place:
        return self._places.get(room.room_id) or (1, room.name.casefold(), room.room_id, 0, 0, "")

    def room(self, row: int) -> RoomSummary:
        return self._rooms[row]

    def row_of(self, room_id: str) -> int:
        return next((i for i, r in enumerate(self._rooms) if r.room_id == room_id), -1)

    # -- unread ------------------------------------------------------------------------

    def unread(self, room_id: str) -> int:
        return len(self._unread.get(room_id, ()))

    def note_events(self, events: tuple[RoomEvent, ...], reading: str, me: str) -> None:
        """Events arrived (or a room was loaded): the last message of each room, and for
        rooms other than the one being read, unread counts and mentions."""
        for event in events:
            name = event.content.get("displayname") if event.type == "m.room.member" else None
            if isinstance(name, str) and plain_name(name) and event.state_key:
                self.names[event.state_key] = plain_name(name)
        changed: set[str] = set()
        for event in events:
            room_id = event.room_id
            last, known = last_message(event), self._last.get(room_id)
            if last is not None and (known is None or last.ts >= known.ts):
                self._last[room_id] = last
                changed.add(room_id)
            if room_id == reading:
                continue
            if worth_a_badge(event, me):
                self._unread.setdefault(room_id, set()).add(event.event_id)
                changed.add(room_id)
            if mentions(event, me, self.names.get(me, "")):
                self._mentioned.add(room_id)
                changed.add(room_id)
        for room_id in changed:
            row = self.row_of(room_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row), self.index(row))

    def mark_read(self, room_id: str) -> None:
        row = self.row_of(room_id)
        mentioned = room_id in self._mentioned
        self._mentioned.discard(room_id)
        if (self._unread.pop(room_id, None) or mentioned) and row >= 0:
            self.dataChanged.emit(self.index(row), self.index(row))

    # -- the list from the backend -----------------------------------------------------

    def clear(self) -> None:
        """Another account, or none: no room, and nothing the last account's rooms told
        (last messages, unread counts, mentions, names, sessions) left in a list the next
        one's may share rooms with. At once, not row by row: removing the current row
        would make its neighbour current, and open the last account's room for the next."""
        self.beginResetModel()
        self._rooms.clear()
        self._labels.clear()
        self._titles.clear()
        self._marks.clear()
        self._places.clear()
        self._unread.clear()
        self._last.clear()
        self._mentioned.clear()
        self.names.clear()
        self.endResetModel()

    def set_rooms(self, rooms: tuple[RoomSummary, ...]) -> None:
        """Turn the current list into ``rooms`` (in the tree's order) one row operation at
        a time."""
        rooms = tuple(sorted(rooms, key=self._place))
        wanted = {r.room_id for r in rooms}
        for row in reversed(range(len(self._rooms))):
            if self._rooms[row].room_id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rooms[row]
                self.endRemoveRows()
        for target, room in enumerate(rooms):
            # Rows above target are final, so a room still listed sits at target or below;
            # in the usual case (nothing moved) it is right there: no scan of the list.
            current = next(
                (
                    i
                    for i in range(target, len(self._rooms))
                    if self._rooms[i].room_id == room.room_id
                ),
                -1,
            )
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
