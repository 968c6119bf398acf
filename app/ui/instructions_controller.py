"""Wires the Instructions page into the window: bridge notices in, dialogs and commands out,
and a desktop notification for what must not wait (flash and immediate instructions, and
an issuer's overdue ones), even when the window is in the background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from app.core.instructions import Draft
from app.services.notices import (
    DraftsChanged,
    InstructionAlert,
    InstructionOverdue,
    InstructionsChanged,
)
from app.ui.attention import AttentionButton
from app.ui.instruction_dialog import InstructionDialog, RequestDialog
from app.ui.instructions_model import priority_label
from app.ui.instructions_view import InstructionsPage
from app.ui.realert import Realerter
from app.ui.texts import fill

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class Notifier(QObject):
    """The tray where the desktop has one; always the taskbar alert and the status bar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.shown: list[str] = []  # every notification raised this run (tests read it)
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.show()

    def raise_alert(self, title: str, text: str) -> None:
        self.shown.append(f"{title}\n{text}")
        if self._tray is not None:
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Critical, 30_000)
        QApplication.alert(self._window)
        self._window.statusBar().showMessage(fill(self.tr("%1: %2"), title, text), 60_000)


class InstructionsController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._drafts: tuple[Draft, ...] = ()
        self.page = InstructionsPage()
        self.notifier = Notifier(window)
        window.workspace.add_page(self.page, self.tr("&Instructions"))
        bridge = window.bridge
        bridge.instructionsChanged.connect(self.page.apply)
        self.realert = Realerter(self._again, self)
        bridge.instructionsChanged.connect(self.realert.apply)
        self.attention = AttentionButton()
        window.statusBar().addPermanentWidget(self.attention)
        bridge.instructionsChanged.connect(self.attention.apply)
        bridge.loggedIn.connect(self.attention.reset)
        self.attention.chosen.connect(self._open_instruction)
        bridge.instructionAlert.connect(self._alert)
        bridge.instructionOverdue.connect(self._overdue)
        bridge.draftsChanged.connect(self._keep_drafts)
        bridge.loggedIn.connect(self.page.clear)
        bridge.rosterChanged.connect(self._follow_session)
        window.workspace.roomOpened.connect(self._follow_session)
        self.page.acknowledgeRequested.connect(bridge.acknowledge)
        self.page.clarifyRequested.connect(bridge.clarify)
        self.page.composeRequested.connect(self.compose)
        self.page.requestRequested.connect(self.request)

    @Slot()
    def _follow_session(self) -> None:
        roster = self._window.workspace.roster_of_selected()
        self.page.show_space(roster.session.space_id if roster else "")

    @Slot(object)
    def _keep_drafts(self, notice: DraftsChanged) -> None:
        self._drafts = notice.drafts

    def _marked(self, exercise: bool, title: str) -> str:
        return fill(self.tr("EXERCISE — %1"), title) if exercise else title

    @Slot(object)
    def _alert(self, notice: InstructionAlert) -> None:
        i = notice.row.instruction
        title = self._marked(
            notice.desk.exercise, fill(self.tr("%1 instruction"), priority_label(i.priority))
        )
        self.notifier.raise_alert(title, i.subject)

    def _open_instruction(self, _space_id: str, room_id: str) -> None:
        if self._window.workspace.open_room(room_id):
            self._window.workspace.pages.setCurrentWidget(self.page)

    def _again(self, notice: InstructionsChanged, subject: str) -> None:
        title = self._marked(notice.desk.exercise, self.tr("Still not acknowledged"))
        self.notifier.raise_alert(title, subject)

    @Slot(object)
    def _overdue(self, notice: InstructionOverdue) -> None:
        i = notice.row.instruction
        title = self._marked(notice.desk.exercise, self.tr("Instruction overdue"))
        names = {d.id: d.name for d in notice.desk.delegations}
        name = names.get(i.delegation, i.delegation)
        self.notifier.raise_alert(title, fill(self.tr("%1 — %2"), i.subject, name))

    def compose(self, space_id: str) -> None:
        shown = self.page.latest(space_id)
        if shown is None or not shown.desk.can_issue:
            return
        dialog = InstructionDialog(shown.desk, shown.feed, self._drafts, self._window)
        if dialog.exec():
            draft = dialog.draft()
            if dialog.saved_draft:
                self._window.bridge.save_draft(draft)
            else:
                self._window.bridge.issue_instruction(space_id, draft)

    def request(self, space_id: str) -> None:
        dialog = RequestDialog(self._window)
        if dialog.exec():
            self._window.bridge.request_instructions(
                space_id,
                dialog.subject.text().strip(),
                dialog.body.toPlainText(),
                dialog.deadline.value(),
            )

    def latest(self, space_id: str) -> InstructionsChanged | None:
        return self.page.latest(space_id)
