"""Rooms on one side, the open room's timeline and composer on the other."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.records import OutboxItem, RoomEvent
from app.core.session import Member, Roster
from app.services.notices import (
    EventsArrived,
    OutboxChanged,
    RoomLoaded,
    RoomsChanged,
    RosterChanged,
)
from app.ui.rooms.invitations_view import InvitationsView
from app.ui.rooms.room_list_model import RoomIdRole, RoomListModel
from app.ui.sessions.participants_panel import ParticipantsPanel
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.rows import RowKind


class WorkspaceView(QWidget):
    """Emits what the user asks for; applies what the backend reports."""

    roomOpened = Signal(str)  # room id
    sendRequested = Signal(str, str)  # room id, text
    retryRequested = Signal(str)  # transaction id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rooms = RoomListModel(self)
        self.timeline = TimelineModel(parent=self)

        self.room_list = QListView()
        self.room_list.setObjectName("roomList")
        self.room_list.setModel(self.rooms)
        self.room_list.setAccessibleName(self.tr("Rooms"))
        self.room_list.selectionModel().currentChanged.connect(self._room_selected)

        self._build_timeline()
        self._build_composer()

        compose_row = QHBoxLayout()
        compose_row.addWidget(self.composer, 1)
        compose_row.addWidget(self.send_button)
        self.compose_row = compose_row  # features add their buttons beside Send
        room_side = QWidget()
        room_layout = QVBoxLayout(room_side)
        room_layout.setContentsMargins(0, 0, 0, 0)
        room_layout.addWidget(self.room_title)
        room_layout.addWidget(self.timeline_view, 1)
        room_layout.addLayout(compose_row)

        self.invitations = InvitationsView()
        self.participants = ParticipantsPanel()
        self._rosters: dict[str, Roster] = {}
        self._early: list[RoomEvent | OutboxItem] = []  # for the room being loaded

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.room_list)
        # The timeline is the first page; instructions and the dashboard add theirs.
        self.pages = QTabWidget()
        self.pages.setObjectName("workspacePages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(room_side, self.tr("&Timeline"))
        splitter.addWidget(self.pages)
        splitter.addWidget(self.participants)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([220, 560, 340])
        layout = QVBoxLayout(self)
        layout.addWidget(self.invitations)
        layout.addWidget(splitter)

        QShortcut(QKeySequence("Ctrl+1"), self, self.room_list.setFocus)
        QShortcut(QKeySequence("Ctrl+2"), self, self.timeline_view.setFocus)
        QShortcut(QKeySequence("Ctrl+3"), self, self.composer.setFocus)
        self.reset()

    def _build_timeline(self) -> None:
        self.room_title = QLabel()
        self.room_title.setTextFormat(Qt.TextFormat.PlainText)  # titles come from others
        self.room_title.setObjectName("roomTitle")
        self.timeline_view = QListView()
        self.timeline_view.setObjectName("timeline")
        self.timeline_view.setModel(self.timeline)
        self.timeline_view.setItemDelegate(TimelineDelegate(self.timeline_view))
        self.timeline_view.setWordWrap(True)
        self.timeline_view.setUniformItemSizes(False)
        self.timeline_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.timeline_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timeline_view.activated.connect(self._row_activated)
        self.timeline_view.setAccessibleName(self.tr("Timeline"))
        self.timeline.rowsInserted.connect(self._follow_bottom)

    def _build_composer(self) -> None:
        self.composer = QLineEdit()
        self.composer.setObjectName("composer")
        self.composer.setPlaceholderText(self.tr("Write a message, Enter sends"))
        self.composer.setEnabled(False)
        self.composer.returnPressed.connect(self._send)
        self.send_button = QPushButton(self.tr("Se&nd"))
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self._send)

    def add_page(self, page: QWidget, title: str) -> None:
        """A feature's page beside the timeline (title already translated, with a mnemonic)."""
        self.pages.addTab(page, title)

    def selected_member(self) -> Member | None:
        """The participant selected in the roster panel (Session menu actions act on it)."""
        return self.participants.selected_member()

    @property
    def current_room(self) -> str:
        return self.timeline.room_id

    def set_user(self, user_id: str) -> None:
        """A (new) signed-in user: nothing of the previous account may stay on screen."""
        self.timeline.user_id = user_id
        self.reset()

    def reset(self) -> None:
        self.rooms.set_rooms(())
        self.timeline.load(RoomLoaded("", (), ()))
        self._rosters.clear()
        self.participants.show_roster(None)
        self.invitations.set_invitations(())
        self.room_title.setText(self.tr("No rooms yet. Ctrl+N creates an encrypted room."))
        self.composer.clear()
        self.composer.setEnabled(False)
        self.send_button.setEnabled(False)

    # -- from the backend ----------------------------------------------------------------

    def apply_rooms(self, notice: RoomsChanged) -> None:
        self.rooms.set_rooms(notice.rooms)
        if not self.current_room and self.rooms.rowCount():
            self.room_title.setText(self.tr("Choose a room"))
            self.room_list.setCurrentIndex(self.rooms.index(0))
        elif self.current_room:
            row = self.rooms.row_of(self.current_room)
            if row >= 0:
                self.room_title.setText(self.rooms.room(row).name)

    def apply_roster(self, notice: RosterChanged) -> None:
        for room_id in notice.room_ids:
            self._rosters[room_id] = notice.roster
        self.rooms.set_session(notice.roster.session)
        if self._selected_room() in notice.room_ids:
            self.participants.show_roster(notice.roster)

    def roster_of_selected(self) -> Roster | None:
        return self._rosters.get(self._selected_room())

    def apply_room_loaded(self, notice: RoomLoaded) -> None:
        if notice.room_id != self._selected_room():
            return  # the user has moved on to another room meanwhile
        self.timeline.load(notice)
        # What arrived while the room was loading may be newer than the load: merge it
        # (rows are keyed by event or transaction id, so nothing shows twice).
        early, self._early = self._early, []
        self.timeline.add_events(tuple(e for e in early if isinstance(e, RoomEvent)))
        for item in (i for i in early if isinstance(i, OutboxItem)):
            self.timeline.outbox_changed(item)
        self.timeline_view.scrollToBottom()

    def _loading(self, room_id: str) -> bool:
        selected = self._selected_room()
        return room_id == selected and self.timeline.room_id != selected

    def apply_events(self, notice: EventsArrived) -> None:
        self._early += [e for e in notice.events if self._loading(e.room_id)]
        self.timeline.add_events(notice.events)

    def apply_outbox(self, notice: OutboxChanged) -> None:
        if self._loading(notice.item.room_id):
            self._early.append(notice.item)
        self.timeline.outbox_changed(notice.item)

    # -- from the user ---------------------------------------------------------------------

    def _selected_room(self) -> str:
        index = self.room_list.currentIndex()
        return index.data(RoomIdRole) if index.isValid() else ""

    def _room_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        room_id = current.data(RoomIdRole) if current.isValid() else ""
        if not room_id:
            return
        self._early = []
        # Title and panel follow the selection at once, even back to the room still shown.
        self.room_title.setText(self.rooms.room(current.row()).name)
        self.participants.show_roster(self._rosters.get(room_id))
        writable = not self.rooms.room(current.row()).is_space  # a space holds state only
        self.composer.setEnabled(writable)
        self.send_button.setEnabled(writable)
        self.roomOpened.emit(room_id)

    def _send(self) -> None:
        text = self.composer.text().strip()
        room_id = self._selected_room()  # not the shown one: that may still be loading
        if text and room_id:
            self.sendRequested.emit(room_id, text)
            self.composer.clear()

    def _row_activated(self, index: QModelIndex) -> None:
        row = self.timeline.row(index.row())
        if row.kind is RowKind.FAILED and row.txn_id:
            self.retryRequested.emit(row.txn_id)

    def _follow_bottom(self) -> None:
        bar = self.timeline_view.verticalScrollBar()
        if bar.value() >= bar.maximum() - 4:
            self.timeline_view.scrollToBottom()
