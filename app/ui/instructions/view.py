"""The Instructions page: a delegation's feed, the capital's status board, requests, audit.

The page shows the session of the selected room. Delegates acknowledge from here with
one key; officials open the composer. Everything the page asks for leaves as a signal;
what it shows comes whole from the backend's InstructionsChanged notices.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core import roles
from app.core.instructions import Addressed, Desk, Doubt, Feed, Stage
from app.core.text import is_rtl
from app.services.notices import InstructionsChanged
from app.ui.instructions.model import (
    SUBJECT,
    InstructionsModel,
    priority_label,
    stage_label,
    two_clocks,
)
from app.ui.people import display_name, person_html
from app.ui.session_marking import Marking, pending_banner, show_marking, shown_title
from app.ui.texts import counted, fill, fill_html, send_failure
from app.ui.widgets import ReasonDialog, exercise_banner


class InstructionsPage(QWidget):
    """Feed and board of one session; emits what the user decides."""

    acknowledgeRequested = Signal(str, str, str)  # instruction event id, state, note
    clarifyRequested = Signal(str, str)  # instruction event id, text
    composeRequested = Signal(str)  # space id
    requestRequested = Signal(str)  # space id
    restoreRequested = Signal()  # the user follows "enter your recovery key"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown: dict[str, InstructionsChanged] = {}
        self._names: dict[str, dict[str, str]] = {}  # space id -> the roster's names
        self.space_id = ""
        self.model = InstructionsModel(self)
        top = self._build_top()
        self._build_table()
        below = self._build_below()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._build_unreadable())
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence("Ctrl+K"), self, self.ack_button.animateClick)  # when enabled
        self.show_space("")

    def _build_top(self) -> QHBoxLayout:
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)  # titles come from others
        self.header.setObjectName("instructionsHeader")
        self.exercise = exercise_banner()
        self.pending = pending_banner()
        self.compose_button = QPushButton(self.tr("&New instruction…"))
        self.compose_button.clicked.connect(lambda: self.composeRequested.emit(self.space_id))
        self.request_button = QPushButton(self.tr("Re&quest instructions…"))
        self.request_button.clicked.connect(lambda: self.requestRequested.emit(self.space_id))
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.exercise)
        top.addWidget(self.pending)
        top.addWidget(self.compose_button)
        top.addWidget(self.request_button)
        return top

    def _build_unreadable(self) -> QLabel:
        """Said, not hidden: how much of the feed this device holds no key for."""
        self.unreadable = QLabel()
        self.unreadable.setObjectName("unreadableInstructions")
        self.unreadable.setWordWrap(True)
        self.unreadable.linkActivated.connect(lambda _link: self.restoreRequested.emit())
        self.unreadable.hide()
        return self.unreadable

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("instructionBoard")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Instructions"))
        self.table.selectionModel().currentRowChanged.connect(self._selected)

    def _build_below(self) -> QWidget:
        self.detail = QTextBrowser()
        self.detail.setObjectName("instructionDetail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(lambda url: self._select_ref(url.fragment()))
        self.ack_button = QPushButton(self.tr("&Acknowledge"))
        self.done_button = QPushButton(self.tr("&Done"))
        self.unable_button = QPushButton(self.tr("&Unable…"))
        self.clarify_button = QPushButton(self.tr("Ask to c&larify…"))
        self.ack_button.clicked.connect(lambda: self._acknowledge(Stage.ACKNOWLEDGED))
        self.done_button.clicked.connect(lambda: self._acknowledge(Stage.DONE))
        self.unable_button.clicked.connect(lambda: self._acknowledge(Stage.UNABLE))
        self.clarify_button.clicked.connect(self._clarify)
        actions = QHBoxLayout()
        for button in (self.ack_button, self.done_button, self.unable_button, self.clarify_button):
            actions.addWidget(button)
        actions.addStretch(1)

        self.requests = QListWidget()
        self.requests.setObjectName("instructionRequests")
        self.audit = QListWidget()
        self.audit.setObjectName("instructionAudit")
        self.lists = QTabWidget()
        self.lists.addTab(self.detail, self.tr("Instruction"))
        self.lists.addTab(self.requests, self.tr("Requests"))
        self.lists.addTab(self.audit, self.tr("Audit"))
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addLayout(actions)
        below_layout.addWidget(self.lists, 1)
        return below

    # -- from the backend ----------------------------------------------------------------

    def apply(self, notice: InstructionsChanged) -> None:
        self._shown[notice.desk.space_id] = notice
        if notice.desk.space_id == self.space_id:
            self._show(notice.desk, notice.feed)

    def name_people(self, space_id: str, names: dict[str, str]) -> None:
        """A session's roster named its people: its pages show names, the @id on hover."""
        self._names[space_id] = names
        if space_id == self.space_id:
            self.show_space(space_id)

    @property
    def names(self) -> dict[str, str]:
        """The names of the people of the session shown."""
        return self._names.get(self.space_id, {})

    def show_space(self, space_id: str) -> None:
        """Follow the workspace: the session of the selected room (or none)."""
        self.space_id = space_id
        shown = self._shown.get(space_id)
        self._show(shown.desk if shown else None, shown.feed if shown else None)

    def clear(self) -> None:
        self._shown.clear()
        self._names.clear()
        self.show_space("")

    def latest(self, space_id: str) -> InstructionsChanged | None:
        return self._shown.get(space_id)

    def _show(self, desk: Desk | None, feed: Feed | None) -> None:
        """Replace the rows, keeping the instruction the user is reading selected."""
        reading = self.current()  # by ref and delegation: a pending row's id changes on echo
        self.model.show(desk, feed)
        if self.model.rowCount():
            i = reading.instruction if reading else None
            found = self.model.row_of(i.ref, i.delegation) if i else -1
            self.select(max(found, 0))
        title = shown_title(desk.title, Marking.of(desk)) if desk else ""
        if desk is None:
            self.header.setText(
                self.tr("Choose a room of a crisis session to see its instructions.")
            )
        elif desk.can_issue:
            self.header.setText(fill(self.tr("%1 — status board"), title))
        elif desk.my_delegation:
            names = {d.id: d.name for d in desk.delegations}
            name = names.get(desk.my_delegation, desk.my_delegation)
            self.header.setText(fill(self.tr("%1 — instructions to %2"), title, name))
        else:
            self.header.setText(fill(self.tr("%1 — no instructions for your role"), title))
        show_marking(self.exercise, self.pending, desk)
        self.compose_button.setVisible(bool(desk and desk.can_issue))
        self.request_button.setVisible(bool(desk and desk.my_delegation))
        self._fill_lists(desk, feed)
        self._show_unreadable(feed.unreadable if feed else 0)
        self._selected(self.table.currentIndex(), QModelIndex())

    def _show_unreadable(self, count: int) -> None:
        self.unreadable.setVisible(count > 0)
        if count:
            text = counted(
                self.tr("%n instruction messages cannot be read on this device.", "", count)
            )
            link = html.escape(self.tr("Enter your recovery key"))
            self.unreadable.setText(f"{html.escape(text)} <a href='#restore'>{link}</a>")

    def _fill_lists(self, desk: Desk | None, feed: Feed | None) -> None:
        self.requests.clear()
        self.audit.clear()
        if desk is None or feed is None:
            return
        names = {d.id: d.name for d in desk.delegations}
        for request in feed.requests:
            if request.answered_by:
                state = self.tr("answered")
            else:
                state = self.tr("overdue") if request.overdue else self.tr("open")
            when = two_clocks(request.ts, desk, request.delegation)
            name = names.get(request.delegation, request.delegation)
            template = self.tr("%1 — from %2 at %3 — %4")
            self.requests.addItem(fill(template, request.subject, name, when, state))
        doubts = {
            Doubt.FORGED: self.tr("%1 from %2 at %3 is forged: the sender may not send it here"),
            Doubt.MALFORMED: self.tr("%1 from %2 at %3 is malformed: its content does not fit"),
            Doubt.STRAY: self.tr("%1 from %2 at %3 acknowledges no instruction of its room"),
            Doubt.UNVERIFIED: self.tr(
                "%1 from %2 at %3 came from an unverified device: it does not count"
            ),
        }
        kinds = {
            roles.INSTRUCTION: self.tr("An instruction"),
            roles.ACK: self.tr("An acknowledgement"),
            roles.REQUEST: self.tr("A request"),
            "m.room.message": self.tr("A reply from another client"),
        }
        for suspect in feed.suspects:
            when = two_clocks(suspect.ts, desk, "")
            kind = kinds.get(suspect.type, suspect.type)
            who = display_name(suspect.sender, self.names)
            item = QListWidgetItem(fill(doubts[suspect.doubt], kind, who, when))
            item.setToolTip(f"{suspect.sender}\n{suspect.reason}")  # the record's own words
            self.audit.addItem(item)

    # -- from the user -------------------------------------------------------------------

    def select(self, row: int) -> None:
        """Make a row current (selectRow alone leaves no current index when the table is
        scrolled right-to-left)."""
        self.table.setCurrentIndex(self.model.index(row, SUBJECT))

    def current(self) -> Addressed | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row(current.row()) if current.isValid() else None
        desk = self.model.desk
        mine = bool(row and desk and row.instruction.delegation == desk.my_delegation)
        settled = bool(row and row.stage in (Stage.DONE, Stage.UNABLE))
        for button in (self.ack_button, self.done_button, self.unable_button):
            button.setVisible(mine)
            button.setEnabled(mine and not settled and row is not None and not row.superseded_by)
        self.ack_button.setEnabled(self.ack_button.isEnabled() and bool(row and row.open))
        self.clarify_button.setEnabled(row is not None and row.stage is not Stage.PENDING)
        self.detail.setHtml(self._detail_html(row) if row and desk else "")

    def _detail_html(self, row: Addressed) -> str:
        # lupdate reads tr() only outside f-strings: every label is taken here first.
        sent_by, not_sent = self.tr("from %1"), self.tr("Not sent: %1")
        history_title, thread_title = self.tr("History"), self.tr("Clarifications")
        via = self.tr("via another client")
        elsewhere = f" · {html.escape(via)}"
        desk = self.model.desk
        assert desk is not None
        i = row.instruction
        direction = "rtl" if is_rtl(i.body or i.subject) else "ltr"
        parts = [f'<h3 dir="{direction}">{html.escape(i.subject)}</h3>']
        marking = f"{html.escape(i.classification)} · " if i.classification else ""
        parts.append(
            f"<p><b>{marking}{html.escape(priority_label(i.priority))}</b> · "
            f"{fill_html(sent_by, person_html(i.sender, self.names))} · "
            f"{html.escape(two_clocks(i.issued_ts, desk, i.delegation))}</p>"
        )
        if row.superseded_by:
            link = self.tr("Superseded: see the newer instruction")
            parts.append(f'<p><a href="#{html.escape(row.superseded_by)}">{link}</a></p>')
        if row.error:
            parts.append(f"<p>{html.escape(fill(not_sent, send_failure(row.error)))}</p>")
        body = html.escape(i.body).replace("\n", "<br>")
        parts.append(f'<p dir="{direction}">{body}</p>')
        history = [
            f"<li>{html.escape(stage_label(a.state))} — {person_html(a.sender, self.names)} — "
            f"{html.escape(two_clocks(a.ts, desk, i.delegation))}"
            + (f": {html.escape(a.note)}" if a.note else "")
            + (elsewhere if a.via_other_client else "")
            + "</li>"
            for a in row.history
        ]
        if history:
            parts.append(f"<p><b>{history_title}</b></p><ul>{''.join(history)}</ul>")
        thread = [
            f"<li>{person_html(c.sender, self.names)}: {html.escape(c.text)}</li>"
            for c in row.thread
        ]
        if thread:
            parts.append(f"<p><b>{thread_title}</b></p><ul>{''.join(thread)}</ul>")
        return "".join(parts)

    def _select_ref(self, ref: str) -> None:
        for number in range(self.model.rowCount()):
            if self.model.row(number).instruction.ref == ref:
                self.select(number)
                return

    def _acknowledge(self, stage: Stage) -> None:
        row = self.current()
        desk = self.model.desk
        if row is None or desk is None or row.instruction.delegation != desk.my_delegation:
            return
        event_id = row.instruction.event_id
        if stage is not Stage.UNABLE:
            self.acknowledgeRequested.emit(event_id, stage.value, "")
            return
        dialog = ReasonDialog(
            self.tr("Unable"), self.tr("Why is the delegation unable to act?"), self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.answered.connect(
            lambda note: self.acknowledgeRequested.emit(event_id, stage.value, note)
        )
        dialog.open()

    def _clarify(self) -> None:
        row = self.current()
        if row is None:
            return
        event_id = row.instruction.event_id
        dialog = ReasonDialog(
            self.tr("Ask to clarify"), self.tr("Your question to the capital:"), self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.answered.connect(lambda text: self.clarifyRequested.emit(event_id, text))
        dialog.open()
