"""Session → Export record…: choose a folder, watch the export's progress, hear where it went.

The export runs on the backend (archive reads on the store thread, the signature where
nio lives); the window only asks, shows the ``ExportProgress`` notices in a progress
dialog, and closes it when the command answers.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from app.services.notices import ExportProgress, Problem, RecordsDiffer
from app.ui.host import Host
from app.ui.people import person_text
from app.ui.texts import counted, fill

SHOW_AFTER_MS = 400  # a quick export never flashes a dialog


class RecordsController(QObject):
    def __init__(self, host: Host) -> None:
        super().__init__(host.parent)
        self._host = host
        host.explain_problems({"export_failed": self.tr("The record could not be exported.")})
        self.export_action = QAction(self.tr("E&xport record…"), self)
        self.export_action.triggered.connect(self.export)
        menu = host.add_menu(self.tr("&Session"))
        menu.addSeparator()
        menu.addAction(self.export_action)
        self.seal_action = QAction(self.tr("&Seal the record now"), self)
        self.seal_action.triggered.connect(self.seal)
        menu.addAction(self.seal_action)
        self.progress: QProgressDialog | None = None
        self.question: QMessageBox | None = None  # "export marked as unknown?" (tests answer)
        self._space_id = ""
        host.bridge.on(ExportProgress, self._progressed)
        host.bridge.on(RecordsDiffer, self._differ)

    @Slot()
    def export(self) -> None:
        """Ask for a folder, then export the selected room's session into it."""
        roster = self._host.roster_of_selected()
        if roster is None:
            self._host.say(self.tr("Choose a room of a crisis session first."))
            return
        if roster.session.details_known:
            self._export_into_folder(roster.session.space_id, details_pending=False)
        else:
            self._ask_pending(roster.session.space_id)

    def _pending_reason(self) -> str:
        return self.tr(
            "This session's details (its title, whether it is an exercise) are not "
            "decrypted yet. Export its record once they are: until then it could "
            "pass for a real session."
        )

    def _ask_pending(self, space_id: str) -> None:
        """The details may never come (a lost device, a facilitator gone): the record can
        still be had, on an explicit yes, marked as not known. Not blocking: the window
        keeps receiving, and the details arriving meanwhile change nothing asked."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Details pending"),
            self.tr("Details pending — export marked as unknown?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._host.parent,
        )
        box.setObjectName("detailsPendingQuestion")
        box.setInformativeText(
            self._pending_reason()
            + " "
            + self.tr(
                "Exported now, the record says on every page and in every chart that it is "
                "not known whether this is an exercise."
            )
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.question = box

        def answered(result: int) -> None:
            self.question = None
            box.deleteLater()
            if result == QMessageBox.StandardButton.Yes:
                self._export_into_folder(space_id, details_pending=True)
            else:
                self._host.say(self._pending_reason())

        box.finished.connect(answered)
        box.open()

    def _export_into_folder(self, space_id: str, *, details_pending: bool) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._host.parent, self.tr("Export the record into a folder")
        )
        if not folder:
            return
        self._space_id = space_id
        self.progress = QProgressDialog(
            self.tr("Exporting the record…"), "", 0, 0, self._host.parent
        )
        self.progress.setCancelButton(None)  # an export is never left half written
        self.progress.setMinimumDuration(SHOW_AFTER_MS)
        command = self._host.bridge.export_record(self._space_id, folder, details_pending)
        command.on_success(lambda done: self._finished(done.folder, done.events))
        command.on_failure(self._failed)

    @Slot()
    def seal(self) -> None:
        """Publish seals of our record of the selected session's rooms, so the other
        members can compare theirs with it now rather than at the next periodic seal."""
        roster = self._host.roster_of_selected()
        if roster is None:
            self._host.say(self.tr("Choose a room of a crisis session first."))
            return
        rooms = tuple(room.room_id for room in roster.session.rooms)
        command = self._host.bridge.seal_record(rooms)
        command.on_success(self._sealed)

    def _sealed(self, seals: list[object]) -> None:
        if seals:
            self._host.say(counted(self.tr("Sealed the record of %n rooms.", "", len(seals))))
        else:
            self._host.say(self.tr("Nothing new to seal since the last seal."))

    def _differ(self, notice: RecordsDiffer) -> None:
        """Another member's seal disagrees with our record: said at once, and the seal's
        row in the timeline stays to show the span."""
        text = self.tr("Records differ: %1's record from %2 to %3 holds %4 events, ours %5")
        self._host.say(
            fill(
                text,
                person_text(notice.sender, self._host.names()),
                notice.first_event_id,
                notice.last_event_id,
                notice.their_count,
                notice.our_count,
            ),
            60_000,
        )
        self._host.alert()

    def _progressed(self, notice: ExportProgress) -> None:
        if self.progress is not None and notice.space_id == self._space_id:
            self.progress.setMaximum(max(notice.total, 1))
            self.progress.setValue(notice.done)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, folder: str, events: int) -> None:
        self._close_progress()
        self._host.say(counted(self.tr("Exported %n events to %1.", "", events), folder))

    def _failed(self, problem: Problem) -> None:
        self._close_progress()
        self._host.problem(problem)
