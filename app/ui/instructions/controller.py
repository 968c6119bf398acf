"""Wires the Instructions page into the window: bridge notices in, dialogs and commands out,
and a desktop notification for what must not wait (flash and immediate instructions, and
an issuer's overdue ones), even when the window is in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStyle, QSystemTrayIcon

from app.core.instructions import Desk, Draft
from app.services import notices
from app.services.notices import (
    DraftsChanged,
    InstructionAlert,
    InstructionOverdue,
    InstructionsChanged,
)
from app.ui.commands import Command
from app.ui.host import Host
from app.ui.instructions.attention import AttentionButton
from app.ui.instructions.dialogs import InstructionDialog, RequestDialog
from app.ui.instructions.model import priority_label
from app.ui.instructions.realert import Realerter
from app.ui.instructions.view import InstructionsPage
from app.ui.people import roster_names
from app.ui.session_marking import Marking
from app.ui.texts import fill


class Notifier(QObject):
    """The tray where the desktop has one; always the taskbar alert and the status bar."""

    def __init__(self, host: Host) -> None:
        super().__init__(host.parent)
        self._host = host
        self.shown: list[str] = []  # every notification raised this run (tests read it)
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = host.parent.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.show()

    def raise_alert(self, title: str, text: str) -> None:
        self.shown.append(f"{title}\n{text}")
        if self._tray is not None:
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Critical, 30_000)
        self._host.alert()
        self._host.say(fill(self.tr("%1: %2"), title, text), 60_000)


class InstructionsController(QObject):
    def __init__(self, host: Host) -> None:
        super().__init__(host.parent)
        self._host = host
        host.explain_problems(
            {
                "instruction_failed": self.tr("The instruction could not be handled."),
                "instructions_document_unreadable": self.tr(
                    "Saved instruction drafts could not be read; the file was kept aside."
                ),
            }
        )
        self._drafts: tuple[Draft, ...] = ()
        self.page = InstructionsPage()
        self.notifier = Notifier(host)
        host.add_page(self.page, self.tr("&Instructions"))
        bridge = host.bridge
        bridge.on(notices.InstructionsChanged, self.page.apply)
        self.realert = Realerter(self._again, self)
        bridge.on(notices.InstructionsChanged, self.realert.apply)
        self.attention = AttentionButton()
        host.add_status_widget(self.attention)
        bridge.on(notices.InstructionsChanged, self.attention.apply)
        bridge.on(notices.LoggedIn, self.attention.reset)
        self.attention.chosen.connect(self._open_instruction)
        bridge.on(notices.InstructionAlert, self._alert)
        bridge.on(notices.InstructionOverdue, self._overdue)
        bridge.on(notices.DraftsChanged, self._keep_drafts)
        bridge.on(notices.LoggedIn, self.page.clear)
        bridge.on(notices.RosterChanged, self._name_people)
        host.follow_selected_session(self, self._follow_session)
        self.page.acknowledgeRequested.connect(bridge.acknowledge)
        self.page.clarifyRequested.connect(bridge.clarify)
        self.page.composeRequested.connect(self.compose)
        self.page.requestRequested.connect(self.request)

    @Slot(object)
    def _name_people(self, notice: notices.RosterChanged) -> None:
        self.page.name_people(notice.roster.session.space_id, roster_names(notice.roster))

    @Slot()
    def _follow_session(self) -> None:
        roster = self._host.roster_of_selected()
        self.page.show_space(roster.session.space_id if roster else "")

    @Slot(object)
    def _keep_drafts(self, notice: DraftsChanged) -> None:
        self._drafts = notice.drafts

    def _marked(self, desk: Desk, title: str) -> str:
        """A notification's title with the session's marking: a pending one never reads
        as real."""
        marking = Marking.of(desk)
        if marking is Marking.PENDING:
            return fill(self.tr("⌛ DETAILS PENDING — %1"), title)
        return fill(self.tr("EXERCISE — %1"), title) if marking is Marking.EXERCISE else title

    @Slot(object)
    def _alert(self, notice: InstructionAlert) -> None:
        i = notice.row.instruction
        title = self._marked(
            notice.desk, fill(self.tr("%1 instruction"), priority_label(i.priority))
        )
        self.notifier.raise_alert(title, i.subject)

    def _open_instruction(self, _space_id: str, room_id: str) -> None:
        if self._host.open_room(room_id):
            self._host.show_page(self.page)

    def _again(self, notice: InstructionsChanged, subject: str) -> None:
        title = self._marked(notice.desk, self.tr("Still not acknowledged"))
        self.notifier.raise_alert(title, subject)

    @Slot(object)
    def _overdue(self, notice: InstructionOverdue) -> None:
        i = notice.row.instruction
        title = self._marked(notice.desk, self.tr("Instruction overdue"))
        names = {d.id: d.name for d in notice.desk.delegations}
        name = names.get(i.delegation, i.delegation)
        self.notifier.raise_alert(title, fill(self.tr("%1 — %2"), i.subject, name))

    def compose(self, space_id: str) -> None:
        shown = self.page.latest(space_id)
        if shown is None or not shown.desk.can_issue:
            return
        dialog = InstructionDialog(shown.desk, shown.feed, self._drafts, self._host.parent)
        bridge = self._host.bridge

        def send() -> Command:
            if dialog.saved_draft:
                return bridge.save_draft(dialog.draft())
            return bridge.issue_instruction(space_id, dialog.draft())

        dialog.send_with(send, self._host.explain)
        dialog.exec()  # closed once the instruction (or the draft) went through

    def request(self, space_id: str) -> None:
        dialog = RequestDialog(self._host.parent)
        if dialog.exec():
            self._host.bridge.request_instructions(
                space_id,
                dialog.subject.text().strip(),
                dialog.body.toPlainText(),
                dialog.deadline.value(),
            )

    def latest(self, space_id: str) -> InstructionsChanged | None:
        return self.page.latest(space_id)
