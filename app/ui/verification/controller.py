"""Session → Verify…, the participants' context menu, the prompt when someone asks to
verify us, and the dialogs of the verifications under way.

An incoming request shows as a button in the status bar (and a taskbar alert), not as a
window of its own: a dialog appearing by itself would take the keyboard from whatever
the user is typing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from app.core.verification import Phase, VerificationView
from app.services.notices import Problem
from app.services.verification.notices import VerificationChanged
from app.ui.verification.dialog import VerificationDialog
from app.ui.verification.texts import prompt_text

if TYPE_CHECKING:
    from app.ui.host import Host


class VerificationController(QObject):
    def __init__(self, host: Host, participants: QWidget) -> None:
        super().__init__(host.parent)
        self._host = host
        self.views: dict[str, VerificationView] = {}  # key -> latest snapshot
        self.dialogs: dict[str, VerificationDialog] = {}
        host.explain_problems({"verify_no": self.tr("The verification could not begin.")})
        self.verify_action = QAction(self.tr("&Verify participant…"), self)
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.verify_action.triggered.connect(self.verify_selected)
        host.add_menu(self.tr("&Session")).addAction(self.verify_action)
        participants.addAction(self.verify_action)  # the participants' context menu
        self.prompt = QPushButton()
        self.prompt.setObjectName("verificationPrompt")
        self.prompt.hide()
        self.prompt.clicked.connect(self._answer_prompt)
        self._prompted = ""
        host.add_status_widget(self.prompt)
        host.bridge.on(VerificationChanged, self.apply)

    @Slot()
    def verify_selected(self) -> None:
        """Verify the participant whose row is selected (our own other devices if it is us)."""
        member = self._host.selected_member()
        if member is None:
            self._host.say(self.tr("Choose a participant to verify first."))
            return
        command = self._host.bridge.verification(lambda v: v.request(member.user_id))
        command.on_success(self.open)
        command.on_failure(self._refused)

    def _refused(self, problem: Problem) -> None:
        """Why a verification could not begin (the backend names the reason by a code)."""
        reasons = {
            "busy": self.tr("A verification with this person is already under way."),
            "no_device": self.tr("You have no other device to verify."),
            "no_room": self.tr("You share no encrypted room with this person."),
            "unknown": self.tr("This verification has ended."),
        }
        self._host.say(reasons.get(problem.detail, self._host.explain(problem)))

    @Slot(object)
    def apply(self, notice: VerificationChanged) -> None:
        view = notice.view
        self.views[view.key] = view
        dialog = self.dialogs.get(view.key)
        if dialog is not None:
            dialog.show_view(view)
        elif view.incoming and view.phase is Phase.REQUESTED:
            self._prompted = view.key
            self.prompt.setText(prompt_text(view, self._host.names()))
            self.prompt.show()
            self._host.alert()
        if view.key == self._prompted and view.phase is not Phase.REQUESTED:
            self.prompt.hide()

    def open(self, key: str) -> VerificationDialog:
        """The dialog of one verification (made once, shown again if closed)."""
        dialog = self.dialogs.get(key)
        if dialog is None:
            dialog = VerificationDialog(self.views[key], self._host.names(), self._host.parent)
            dialog.send_with(self._choose)
            self.dialogs[key] = dialog
        dialog.show()
        dialog.raise_()
        return dialog

    def _answer_prompt(self) -> None:
        self.prompt.hide()
        if self._prompted in self.views:
            self.open(self._prompted)

    def _choose(self, key: str, choice: str) -> None:
        bridge = self._host.bridge
        steps = {
            "accept": lambda v: v.accept(key),
            "confirm": lambda v: v.confirm(key),
            "mismatch": lambda v: v.mismatch(key),
            "cancel": lambda v: v.cancel(key),
        }
        bridge.verification(steps[choice]).on_failure(self._refused)
