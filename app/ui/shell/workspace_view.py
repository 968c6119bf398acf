"""Rooms on one side, the open room's timeline and composer on the other."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.rooms.first_room import first_room
from app.core.session import Member, Roster
from app.services.notices import (
    EventsArrived,
    OutboxChanged,
    RoomLoaded,
    RoomsChanged,
    RosterChanged,
)
from app.ui.people import roster_names
from app.ui.rooms.invitations_view import InvitationsView
from app.ui.rooms.room_list_delegate import RoomListDelegate
from app.ui.rooms.room_list_model import RoomIdRole, RoomListModel
from app.ui.rooms.room_list_view import RoomListView
from app.ui.sessions.participants_panel import ParticipantsPanel
from app.ui.shell.compose_context import ComposeContext, Mode
from app.ui.shell.connection_bar import ConnectionBar
from app.ui.shell.room_drafts import RoomDrafts
from app.ui.shell.timeline_feed import TimelineFeed
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.rows import RowKind
from app.ui.timeline.view import TimelineView


class WorkspaceView(QWidget):
    """Emits what the user asks for; applies what the backend reports."""

    roomOpened = Signal(str)  # room id
    sendRequested = Signal(str, str)  # room id, text
    replyRequested = Signal(str, str, str)  # room id, event answered, text
    editRequested = Signal(str, str)  # event corrected, new text
    retryRequested = Signal(str)  # transaction id
    draftsChanged = Signal(dict)  # room id -> text typed and not sent (to keep for next start)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rooms = RoomListModel(self)
        self.timeline = TimelineModel(parent=self)

        self._build_room_list()
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
        self.timeline_header = QVBoxLayout()  # features add bars above the timeline (pins)
        room_layout.addLayout(self.timeline_header)
        room_layout.addWidget(self.timeline_view, 1)
        room_layout.addWidget(self.closed_banner)
        room_layout.addWidget(self.compose_context)
        room_layout.addLayout(compose_row)

        self.invitations = InvitationsView()
        self.participants = ParticipantsPanel()
        self._rosters: dict[str, Roster] = {}

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("workspaceSplitter")
        self.splitter = splitter  # its widths are remembered with the window
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
        self.connection_bar = ConnectionBar()
        layout = QVBoxLayout(self)
        layout.addWidget(self.connection_bar)
        layout.addWidget(self.invitations)
        layout.addWidget(splitter)

        QShortcut(QKeySequence("Ctrl+1"), self, self.room_list.setFocus)
        QShortcut(QKeySequence("Ctrl+2"), self, self.timeline_view.setFocus)
        QShortcut(QKeySequence("Ctrl+3"), self, self.composer.setFocus)
        self.reset()

    def _build_room_list(self) -> None:
        self.room_list = RoomListView()
        self.room_list.setObjectName("roomList")
        self.room_list.setModel(self.rooms)
        self.room_list.setItemDelegate(RoomListDelegate(self.room_list))
        self.room_list.setAccessibleName(self.tr("Rooms"))
        self.room_list.selectionModel().currentChanged.connect(self._room_selected)

    def _build_timeline(self) -> None:
        self.room_title = QLabel()
        self.room_title.setTextFormat(Qt.TextFormat.PlainText)  # titles come from others
        self.room_title.setObjectName("roomTitle")
        self.timeline_view = TimelineView()
        self.timeline_view.setObjectName("timeline")
        self.timeline_view.setModel(self.timeline)
        self.timeline_view.setItemDelegate(TimelineDelegate(self.timeline_view))
        self.timeline_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timeline_view.activated.connect(self._row_activated)
        self.timeline_view.setAccessibleName(self.tr("Timeline"))
        self._feed = TimelineFeed(self.timeline, self.timeline_view, self._selected_room, self)

    def _build_composer(self) -> None:
        self.composer = QLineEdit()
        self.composer.setObjectName("composer")
        self.composer.setPlaceholderText(self.tr("Write a message, Enter sends"))
        self.composer.setEnabled(False)
        self.composer.returnPressed.connect(self._send)
        self.closed_banner = QLabel(
            self.tr("This session is closed: its rooms are read-only, and the record stays.")
        )
        self.closed_banner.setObjectName("closedBanner")
        self.closed_banner.setWordWrap(True)
        self.closed_banner.setStyleSheet(
            "QLabel#closedBanner { background: palette(alternate-base); padding: 6px; }"
        )
        self.closed_banner.hide()
        self.compose_context = ComposeContext()
        self._drafts = RoomDrafts(self.composer, self.compose_context, self)
        self._drafts.changed.connect(self.draftsChanged)
        QShortcut(QKeySequence("Esc"), self.composer, self.compose_context.clear).setContext(
            Qt.ShortcutContext.WidgetShortcut
        )
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
    def drafts(self) -> dict[str, str]:
        """Each room's unsent text as last filed (the open room's box may hold newer)."""
        return self._drafts.by_room

    @property
    def current_room(self) -> str:
        return self.timeline.room_id

    def set_user(self, user_id: str) -> None:
        """A (new) signed-in user: nothing of the previous account may stay on screen."""
        self.timeline.user_id = user_id
        self.reset()

    def reset(self) -> None:
        self._feed.reset()
        self.connection_bar.reset()
        self.rooms.clear()
        self.timeline.load(RoomLoaded("", (), ()))
        self._rosters.clear()
        self._drafts.clear()
        self.compose_context.clear()  # a reply or correction begun by the last account
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
            # The room with the newest activity, as a person reopening the app expects
            # (the list itself holds still; a space holds state only).
            newest = first_room(self.rooms.room(r) for r in range(self.rooms.rowCount()))
            self.room_list.setCurrentIndex(self.rooms.index(self.rooms.row_of(newest.room_id)))
        elif self.current_room:
            row = self.rooms.row_of(self.current_room)
            if row >= 0:
                self.room_title.setText(self.rooms.title(row))

    def apply_roster(self, notice: RosterChanged) -> None:
        """The room list re-sorts all its rooms for a session's title or rooms, so only
        when they changed: a start announces every session's roster again, as a rule
        unchanged (400 rooms re-sorted 50 times held the opened room's paint back)."""
        known = self._rosters.get(notice.roster.session.space_id)
        if known is None or known.session != notice.roster.session:
            self.rooms.set_session(notice.roster.session)
        for room_id in notice.room_ids:
            self._rosters[room_id] = notice.roster
        if self._selected_room() in notice.room_ids:
            self.participants.show_roster(notice.roster)
            self._set_writable()
            self.room_title.setText(self.rooms.title(self.room_list.currentIndex().row()))

    def roster_of_selected(self) -> Roster | None:
        return self._rosters.get(self._selected_room())

    def names(self) -> dict[str, str]:
        """Everyone known by name: display names from member events, and over them the
        sessions' own names (what the facilitator called them)."""
        named = dict(self.rooms.names)
        for roster in self._rosters.values():
            named.update(roster_names(roster))
        return named

    def apply_room_loaded(self, notice: RoomLoaded) -> None:
        """A room's rows, into its line in the list and, if it is open, the timeline
        (the signed-in account's: ``TimelineFeed`` says why no other's comes here)."""
        self.rooms.note_events(notice.events, notice.room_id, self.timeline.user_id)
        self._feed.load(notice)  # shown only if the user has not moved on meanwhile

    @property
    def epoch(self) -> int:
        """The sign-in a room is asked for in now: its answer brings it back."""
        return self._feed.epoch

    def room_answered(self, room_id: str, epoch: int) -> None:
        """A room's opening, asked for in sign-in ``epoch``, has answered (its rows came
        before, unless it failed)."""
        self._feed.room_answered(room_id, epoch)

    def apply_events(self, notice: EventsArrived) -> None:
        """New rows are scrolled to and painted before this returns; the room list's line
        for them is changed after that paint and painted in the next, a few ms later."""
        self._feed.add_events(notice.events)
        self.rooms.note_events(notice.events, self._selected_room(), self.timeline.user_id)

    def apply_outbox(self, notice: OutboxChanged) -> None:
        self._feed.outbox_changed(notice.item)
        self.connection_bar.apply_outbox(notice)
        self._feed.show_own_post(notice.item, self.current_room)

    # -- from the user ---------------------------------------------------------------------

    def _selected_room(self) -> str:
        index = self.room_list.currentIndex()
        return index.data(RoomIdRole) if index.isValid() else ""

    def _room_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        room_id = current.data(RoomIdRole) if current.isValid() else ""
        if not room_id:
            return
        self._feed.room_selected(room_id)
        # Title and panel follow the selection at once, even back to the room still shown.
        self.room_title.setText(self.rooms.title(current.row()))
        self.participants.show_roster(self._rosters.get(room_id))
        self.compose_context.context = None  # a reply or edit belongs to the room left
        self.compose_context.hide()
        self._drafts.switch(room_id)
        self.rooms.mark_read(room_id)
        self._set_writable()
        self.roomOpened.emit(room_id)

    def _set_writable(self) -> None:
        """A space holds state only; a closed session's rooms are read-only for everyone
        (the server refuses posts there), so say so instead of offering a box that fails."""
        index = self.room_list.currentIndex()
        if not index.isValid():
            return
        roster = self._rosters.get(self._selected_room())
        closed = roster is not None and roster.session.status == "closed"
        writable = not self.rooms.room(index.row()).is_space and not closed
        self.closed_banner.setVisible(closed)
        self.composer.setEnabled(writable)
        self.send_button.setEnabled(writable)

    def current_drafts(self) -> dict[str, str]:
        """Every room's unsent text, the open room's composer included."""
        return self._drafts.current()

    def restore_drafts(self, drafts: dict[str, str]) -> None:
        """Drafts of the last run, after sign-in: what was typed since wins."""
        self._drafts.restore(drafts)

    def open_room(self, room_id: str) -> bool:
        """Select a room (from elsewhere in the window); False if it is not in the list."""
        row = self.rooms.row_of(room_id)
        if row >= 0:
            self.room_list.setCurrentIndex(self.rooms.index(row))
        return row >= 0

    def start_reply(self, event_id: str, who: str, quoted: str) -> None:
        """Answer a message from the composer, its words shown above the box."""
        self.compose_context.reply(self.current_room, event_id, who, quoted)
        self.composer.setFocus()

    def start_edit(self, event_id: str, text: str) -> None:
        """Correct one of our own messages in the composer."""
        self.compose_context.edit(self.current_room, event_id)
        self.composer.setText(text)
        self.composer.setFocus()

    def _send(self) -> None:
        text = self.composer.text().strip()
        room_id = self._selected_room()  # not the shown one: that may still be loading
        if not text or not room_id:
            return
        context = self.compose_context.context
        if context is not None and context.room_id == room_id:
            if context.mode is Mode.REPLY:
                self.replyRequested.emit(room_id, context.event_id, text)
            else:
                self.editRequested.emit(context.event_id, text)
            self.compose_context.context = None
            self.compose_context.hide()
        else:
            self._feed.sent(room_id)
            self.sendRequested.emit(room_id, text)
        self._drafts.sent(room_id)

    def _row_activated(self, index: QModelIndex) -> None:
        row = self.timeline.row(index.row())
        if row.kind is RowKind.FAILED and row.txn_id:
            self.retryRequested.emit(row.txn_id)
