"""Wires the shared timeline's features into the window: the entry composer, verification,
the raw-content viewer, paging back in history and the search page.

The timeline view and its model belong to the workspace; this adds what the issue of the
shared timeline brought, without the workspace having to know about it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QModelIndex, QObject, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
)

from app.services import notices
from app.services.notices import (
    AttachmentFetched,
    Connection,
    ConnectionChanged,
    OlderLoaded,
    Problem,
    VerificationsChanged,
)
from app.ui.host import Host
from app.ui.texts import fill
from app.ui.timeline.entry_composer import EntryComposer
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.pinned_bar import PinnedBar
from app.ui.timeline.raw_event_dialog import RawEventDialog
from app.ui.timeline.receiving_note import ReceivingNote
from app.ui.timeline.rows import RowKind, TimelineRow
from app.ui.timeline.search import TimelineSearch
from app.ui.timeline.verification_dialog import VerificationDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog


class RoomView(Protocol):
    """The workspace's room page as the timeline's features use it (a QWidget: shortcuts
    live on it): the timeline model and view, the composer and the row beside it."""

    timeline: TimelineModel
    timeline_view: QListView
    timeline_header: QVBoxLayout  # bars above the timeline (pins)
    compose_row: QHBoxLayout
    composer: QLineEdit

    def start_reply(self, event_id: str, who: str, quoted: str) -> None: ...

    def start_edit(self, event_id: str, text: str) -> None: ...


class TimelineController(QObject):
    """Keyboard: Ctrl+Shift+E new entry (line edits keep Ctrl+E: end of line); Enter on an
    entry verifies it, on an odd row shows its raw content; Ctrl+U the raw content of any
    row; Ctrl+P pins or unpins; Ctrl+R replies in a thread; F2 edits our own message;
    Ctrl+Shift+A attaches a file
    (Enter on a file saves it); Ctrl+F search."""

    def __init__(self, host: Host, room: RoomView) -> None:
        super().__init__(host.parent)
        self._host = host
        host.explain_problems(
            {
                "timeline_refused": self.tr("Not sent to the timeline:"),
                "timeline_failed": self.tr(
                    "The server did not take the file, or it cannot be read:"
                ),
                "file_refused": self.tr("This file cannot be opened here:"),
                "file_unavailable": self.tr(
                    "A file could not be fetched from the server; previews are tried again "
                    "when the connection is back:"
                ),
                "pin_failed": self.tr("The pin could not be changed."),
                "history_failed": self.tr("Older history could not be fetched from the server."),
            }
        )
        self._room = room
        self.dialog: QDialog | None = None  # the open dialog (tests drive it)
        workspace, bridge = room, host.bridge
        self.model, self.view = room.timeline, room.timeline_view
        self.receiving = ReceivingNote(self.view, self.model)
        self.search = TimelineSearch()
        host.add_page(self.search, self.tr("Sea&rch"))
        self.new_entry = QPushButton(self.tr("New &entry…"))
        self.new_entry.setObjectName("newEntry")
        self.new_entry.setToolTip(self.tr("Ctrl+Shift+E"))
        self.new_entry.clicked.connect(self.compose)
        workspace.compose_row.addWidget(self.new_entry)
        self.attach_button = QPushButton(self.tr("&Attach…"))
        self.attach_button.setObjectName("attachFile")
        self.attach_button.setToolTip(self.tr("Ctrl+Shift+A: an image, a PDF, a document"))
        self.attach_button.clicked.connect(self.choose_file)
        workspace.compose_row.addWidget(self.attach_button)
        self._fetched: set[str] = set()  # previews asked for (each once)
        QShortcut(QKeySequence("Ctrl+Shift+E"), workspace, self.compose)
        QShortcut(QKeySequence("Ctrl+U"), workspace, self._raw_of_current)
        QShortcut(QKeySequence("Ctrl+F"), workspace, self._focus_search)
        QShortcut(QKeySequence("Ctrl+P"), self.view, self._toggle_pin)
        QShortcut(QKeySequence("Ctrl+Shift+A"), workspace, self.choose_file)
        QShortcut(QKeySequence("Ctrl+R"), self.view, self._reply_in_thread)
        QShortcut(QKeySequence("F2"), self.view, self._edit_own)

        bridge.on(notices.VerificationsChanged, self.on_verifications)
        bridge.on(notices.PinsChanged, self.model.set_pins)
        bridge.on(notices.IdentitiesChanged, self.model.show_identities)
        bridge.on(notices.RosterChanged, self._name_people)
        self.pinned = PinnedBar(self.model)
        room.timeline_header.addWidget(self.pinned)
        bridge.on(notices.PinsChanged, self.pinned.apply)
        self.pinned.showRequested.connect(self._bring_into_view)
        bridge.on(notices.AttachmentFetched, self.on_attachment)
        self.model.rowsInserted.connect(self._fetch_previews)
        # The sender's own image: its pending row turns into the echo in place.
        self.model.dataChanged.connect(
            lambda top, bottom: self._fetch_previews(None, top.row(), bottom.row())
        )
        bridge.on(notices.ConnectionChanged, self._retry_previews)
        bridge.on(notices.OlderLoaded, self.on_older)
        bridge.on(notices.SearchResults, self.search.show_results)
        self.search.searchRequested.connect(bridge.search)
        self.search.rowActivated.connect(self._open_row)
        self.model.modelReset.connect(self._room_shown)
        self.model.settled.connect(self._room_settled)
        self.view.activated.connect(self._activated)
        self.view.verticalScrollBar().valueChanged.connect(self._fetch_older_at_top)

    # -- notices -------------------------------------------------------------------------

    @Slot(object)
    def _name_people(self, notice: notices.RosterChanged) -> None:
        named = {m.user_id: m.name for m in notice.roster.members if m.name}
        self.model.set_session_names(notice.room_ids, named)

    def on_verifications(self, notice: VerificationsChanged) -> None:
        self.model.apply_verifications(notice)
        self.search.results.apply_verifications(
            VerificationsChanged(self.search.results.room_id, notice.verifications)
        )

    @Slot(object)
    def on_older(self, notice: OlderLoaded) -> None:
        """Insert older rows above; the view keeps the rows the user was reading where
        they were on screen (``TimelineView``: rows inserted above what is shown)."""
        self.model.add_older(notice)
        if notice.events:  # still at the top (a short page): the next one; never a retry loop
            QTimer.singleShot(0, self.view, self._fetch_older_at_top)

    @Slot(object)
    def on_attachment(self, notice: AttachmentFetched) -> None:
        if notice.saved_to:
            message = fill(self.tr("Saved %1"), notice.saved_to)
            self._host.say(message)
        else:
            self.model.set_preview(notice)

    def _fetch_previews(self, _parent: object = None, first: int = 0, last: int = -1) -> None:
        """Images shown in the timeline are fetched and decrypted once, on the backend."""
        last = self.model.rowCount() - 1 if last < 0 else last
        for position in range(first, last + 1):
            row = self.model.row(position)
            attachment = row.attachment
            if attachment and attachment.is_image and row.key not in self._fetched:
                self._fetched.add(row.key)
                self._fetch(row.key)

    def _fetch(self, event_id: str, save_to: str = "") -> None:
        """Someone else's file (a preview, or one to save): a failure says the file could
        not be fetched, not that the server refused an upload the user never made."""

        def failed(problem: Problem) -> None:
            refused = problem.what == "timeline_refused"
            self._host.problem(
                Problem("file_refused" if refused else "file_unavailable", problem.detail)
            )

        self._host.bridge.fetch_attachment(event_id, save_to).on_failure(failed)

    @Slot(object)
    def _retry_previews(self, notice: ConnectionChanged) -> None:
        """Back online: previews that failed meanwhile are asked for again (once each)."""
        if notice.state is not Connection.ONLINE:
            return
        rows = (self.model.row(p) for p in range(self.model.rowCount()))
        self._fetched -= {r.key for r in rows if r.attachment and r.preview is None}
        self._fetch_previews()

    # -- user actions ----------------------------------------------------------------------

    def compose(self) -> None:
        room_id = self.model.room_id
        if not room_id or not self._room.composer.isEnabled():
            return
        dialog = EntryComposer(self._host.parent)
        dialog.accepted.connect(lambda: self._host.bridge.post_entry(room_id, dialog.draft()))
        self._show(dialog)

    def choose_file(self) -> None:
        room_id = self.model.room_id
        if not room_id or not self._room.composer.isEnabled():
            return
        dialog = QFileDialog(self._host.parent, self.tr("Attach a file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self._host.bridge.attach(room_id, path))
        self._show(dialog)

    def _save_file(self, row: TimelineRow) -> None:
        assert row.attachment is not None
        dialog = QFileDialog(self._host.parent, self.tr("Save the file"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(Path(row.attachment.name).name)
        key = row.key
        dialog.fileSelected.connect(lambda path: self._fetch(key, path))
        self._show(dialog)

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row(index.row())
        if row.folded:  # a run of room changes opens in place
            self.model.unfold(index.row())
        else:
            self._open_row(row)

    def _open_row(self, row: TimelineRow) -> None:
        """An entry opens its verification; malformed, forged or odd rows their raw content."""
        if row.entry is not None and row.event is not None and row.kind is RowKind.ENTRY:
            dialog = VerificationDialog(row, self._host.parent)
            entry_id = row.key
            dialog.accepted.connect(
                lambda: self._host.bridge.verify_entry(entry_id, *dialog.choice())
            )
            self._show(dialog)
        elif row.attachment is not None and row.kind is RowKind.MESSAGE:
            self._save_file(row)
        elif row.event is not None and row.kind is not RowKind.MESSAGE:
            self._show(RawEventDialog(row.event, self._host.parent))

    def _bring_into_view(self, row: int) -> None:
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _raw_of_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and (event := self.model.row(index.row()).event) is not None:
            self._show(RawEventDialog(event, self._host.parent))

    def _toggle_pin(self) -> None:
        index = self.view.currentIndex()
        row = self.model.row(index.row()) if index.isValid() else None
        if row is not None and row.event is not None:
            self._host.bridge.pin(self.model.room_id, row.key, not row.pinned)

    def _reply_in_thread(self) -> None:
        """Answer the selected row in its thread (a new thread when it has none), from the
        composer, the answered words shown above it."""
        index = self.view.currentIndex()
        row = self.model.row(index.row()) if index.isValid() else None
        if row is None or row.event is None or not self._room.composer.isEnabled():
            return
        quoted = row.entry.title if row.entry else (row.edited or row.text)
        self._room.start_reply(row.key, self.model.name_of(row.sender), quoted)

    def _edit_own(self) -> None:
        """Correct one of our own messages (the original stays in the record)."""
        index = self.view.currentIndex()
        row = self.model.row(index.row()) if index.isValid() else None
        if row is None or row.event is None or row.sender != self.model.user_id:
            return
        if row.kind is not RowKind.MESSAGE or row.attachment is not None:
            return
        self._room.start_edit(row.key, row.edited if row.edited is not None else row.text)

    def _focus_search(self) -> None:
        self._host.show_page(self.search)
        self.search.text.setFocus()

    def _show(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.activateWindow()  # its keys (Ctrl+Enter) work at once

    # -- paging --------------------------------------------------------------------------

    def _room_shown(self) -> None:
        self.search.current_room = self.model.room_id
        self._fetch_previews()
        if self.model.room_id:
            self._host.bridge.timeline_shown(self.model.room_id)
            QTimer.singleShot(0, self.view, self._fetch_older_at_top)  # after the view has laid out

    def _room_settled(self) -> None:
        """A room opened before anything was archived got its events: a view they do
        not fill pages back at once, as a room opened with them does."""
        QTimer.singleShot(0, self.view, self._fetch_older_at_top)

    def _fetch_older_at_top(self) -> None:
        bar = self.view.verticalScrollBar()
        if bar.value() <= bar.minimum() and self.model.can_fetch_older():
            self.model.fetching = True
            self._host.bridge.load_older(self.model.room_id, self.model.oldest_key())
