"""Wires the Sitreps page into the window: notices in; compile, edit, submit, approve,
return and revise out, each refusal said in the user's language on the page or in the
form. The latest published sitrep travels as ``LatestSitrep`` for the overview."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Slot

from app.core.sitrep import SitrepDraft
from app.services.notices import LoggedIn, Problem
from app.services.sitrep.notices import SitrepsChanged
from app.ui.commands import Command
from app.ui.host import Host
from app.ui.people import roster_names
from app.ui.sitrep.dialog import SitrepDialog
from app.ui.sitrep.view import SitrepPage
from app.ui.sitrep.words import why_text
from app.ui.texts import fill
from app.ui.widgets import ReasonDialog

REFUSED = "sitrep_refused"


class SitrepController(QObject):
    def __init__(self, host: Host) -> None:
        super().__init__(host.parent)
        self._host = host
        host.explain_problems({REFUSED: self.tr("The sitrep step was refused.")})
        self.page = SitrepPage()
        host.add_page(self.page, self.tr("Sit&reps"))
        bridge = host.bridge
        bridge.on(SitrepsChanged, self.page.apply)
        bridge.on(LoggedIn, self.page.clear)
        host.follow_selected_session(self, self._follow_session)
        self.page.compileRequested.connect(self.compile)
        self.page.approveRequested.connect(self.approve)
        self.page.returnRequested.connect(self.return_to_author)
        self.page.reviseRequested.connect(self.revise)
        self.dialog: SitrepDialog | None = None  # the open form (tests fill it in)

    @Slot()
    def _follow_session(self) -> None:
        roster = self._host.roster_of_selected()
        self.page.name_people(roster_names(roster))
        self.page.show_space(roster.session.space_id if roster else "")

    def _explain(self, problem: Problem) -> str:
        """A refusal by the rules in the user's words; anything else as the window says it."""
        return why_text(problem.detail) if problem.what == REFUSED else self._host.explain(problem)

    def _on_page(self, command: Command, done: str) -> None:
        self.page.say("")
        command.on_success(lambda _r: self._host.say(done))
        command.on_failure(lambda problem: self.page.say(self._explain(problem)))

    def compile(self, space_id: str) -> None:
        command = self._host.bridge.sitrep(lambda s: s.compile(space_id))
        command.on_success(lambda draft: self._edit(space_id, draft))
        command.on_failure(lambda problem: self.page.say(self._explain(problem)))

    def revise(self, space_id: str, sitrep_id: str) -> None:
        shown = self.page.latest(space_id)
        sitrep = shown.board.find(sitrep_id) if shown else None
        if sitrep is not None:
            self._edit(space_id, sitrep.draft)

    def _edit(self, space_id: str, draft: SitrepDraft) -> None:
        """The form, window-modal but not blocking: the window keeps receiving."""
        if not draft.title:
            draft = replace(draft, title=self.tr("Situation report"))
        dialog = SitrepDialog(draft, self._host.parent)

        def submit() -> Command:
            edited = dialog.draft()  # read here, on the UI thread: the action runs on the backend
            return self._host.bridge.sitrep(lambda s: s.submit(space_id, edited))

        dialog.send_with(submit, self._explain)
        dialog.accepted.connect(lambda: self._host.say(self.tr("Sitrep submitted for approval.")))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog: SitrepDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def approve(self, space_id: str, sitrep_id: str) -> None:
        command = self._host.bridge.sitrep(lambda s: s.approve(space_id, sitrep_id))
        self._on_page(command, self.tr("Sitrep approved; publishing to every room."))

    def return_to_author(self, space_id: str, sitrep_id: str) -> None:
        dialog = ReasonDialog(
            self.tr("Return the sitrep"), self.tr("What must the author change?"), self._host.parent
        )

        def send(comment: str) -> None:
            command = self._host.bridge.sitrep(
                lambda s: s.return_to_author(space_id, sitrep_id, comment)
            )
            self._on_page(command, fill(self.tr("Sitrep returned: %1"), comment))

        dialog.answered.connect(send)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
