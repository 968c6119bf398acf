"""The Account menu's recovery actions, and the prompts a sign-in brings.

On the first sign-in of an account the user is offered a recovery key; on a device that
has not opened the account's backup, the user is asked for it. The offer is a button in
the status bar rather than a window that pops up: a dialog appearing on its own would
take the keyboard from whatever the user is typing (an Enter meant for a message must
not land in it). It stays until acted on; the menu and the instruction feed's "cannot
be read" line reach the same dialogs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from app.services.notices import LoggedIn, LoginNeeded, Recovery, RecoveryChanged
from app.ui.recovery.dialog import RecoverySetupDialog, RestoreDialog, failure_text
from app.ui.texts import fill

if TYPE_CHECKING:
    from app.ui.host import Host
    from app.ui.instructions.view import InstructionsPage


class RecoveryController(QObject):
    def __init__(self, host: Host, instructions: InstructionsPage) -> None:
        super().__init__(host.parent)
        self.host = host
        self.set_up_dialog: RecoverySetupDialog | None = None
        self.restore_dialog: RestoreDialog | None = None
        self._prompted: set[Recovery] = set()  # prompts shown since this sign-in
        self._has_passphrase = False
        self._prompt_state = Recovery.SET_UP_NEEDED
        menu = host.add_menu(self.tr("&Account"))
        self.set_up_action = QAction(self.tr("Create a &recovery key…"), self)
        self.set_up_action.triggered.connect(self.open_set_up)
        self.restore_action = QAction(self.tr("Restore &history…"), self)
        self.restore_action.triggered.connect(self.open_restore)
        for action in (self.set_up_action, self.restore_action):
            action.setEnabled(False)
            menu.addAction(action)
        host.explain_problems(
            {
                "backup_failed": self.tr(
                    "Room keys could not be added to the key backup; retrying."
                ),
                "secret_unreadable": self.tr(
                    "A key kept behind the recovery key could not be read."
                ),
                "cross_signing_failed": self.tr(
                    "Cross-signing could not be set up; try again from Account → "
                    "Verification of this device…"
                ),
                "cross_signing_mismatch": self.tr(
                    "The keys behind the recovery key are not this account's: nothing was signed."
                ),
                "trust_failed": self.tr("The device or person could not be verified."),
                "keys_not_trusted": self.tr(
                    "Keys with a wrong or missing signature were not trusted:"
                ),
                "identity_changed": self.tr(
                    "A participant's identity changed; messages to them wait until you accept it:"
                ),
            }
        )
        bridge = host.bridge
        bridge.on(RecoveryChanged, self.apply)
        bridge.on(LoggedIn, self._signed_in)
        bridge.on(LoginNeeded, self._signed_in)
        instructions.restoreRequested.connect(self.open_restore)
        self.prompt = QPushButton()
        self.prompt.setObjectName("recoveryPrompt")
        self.prompt.hide()
        self.prompt.clicked.connect(self._prompt_clicked)
        host.add_status_widget(self.prompt)

    @Slot()
    def _signed_in(self) -> None:
        """A new sign-in (or none): prompts may come again; nothing is known yet."""
        self._prompted.clear()
        self.prompt.hide()
        for action in (self.set_up_action, self.restore_action):
            action.setEnabled(False)

    @Slot(object)
    def apply(self, notice: RecoveryChanged) -> None:
        state = notice.state
        if state is Recovery.SET_UP_NEEDED:
            self.set_up_action.setEnabled(True)
            self._prompt_once(state)
        elif state is Recovery.RESTORE_OFFERED:
            self._has_passphrase = notice.has_passphrase
            self.restore_action.setEnabled(True)
            self._prompt_once(state)
        elif state in (Recovery.KEY_CREATED, Recovery.READY, Recovery.RESTORED):
            self.set_up_action.setEnabled(False)
            self.restore_action.setEnabled(True)
            self.prompt.hide()
        if state is Recovery.KEY_CREATED:
            self.open_set_up().apply(notice)
        elif state is Recovery.READY and notice.backed_up:
            self.restore_action.setToolTip(
                fill(self.tr("%1 room keys of this device are in the key backup"), notice.backed_up)
            )
        elif state in (Recovery.FAILED, Recovery.RESTORED):
            self._tell(notice)

    def _prompt_once(self, state: Recovery) -> None:
        if state in self._prompted:
            return
        self._prompted.add(state)
        self._prompt_state = state
        self.prompt.setText(
            self.tr("Create your recovery key…")
            if state is Recovery.SET_UP_NEEDED
            else self.tr("Enter your recovery key to read earlier messages…")
        )
        self.prompt.show()

    def _prompt_clicked(self) -> None:
        if self._prompt_state is Recovery.SET_UP_NEEDED:
            self.open_set_up()
        else:
            self.open_restore()

    def _tell(self, notice: RecoveryChanged) -> None:
        """To the dialog that asked; the status bar when it was closed meanwhile."""
        for dialog in (self.restore_dialog, self.set_up_dialog):
            if dialog is not None and dialog.isVisible():
                dialog.apply(notice)
                return
        if notice.state is Recovery.FAILED:
            self.host.say(failure_text(notice.reason), 15_000)

    def open_set_up(self) -> RecoverySetupDialog:
        if self.set_up_dialog is None:
            self.set_up_dialog = RecoverySetupDialog(self.host.parent)
            self.set_up_dialog.createRequested.connect(self.host.bridge.set_up_recovery)
        self.set_up_dialog.show()
        self.set_up_dialog.raise_()
        return self.set_up_dialog

    def open_restore(self) -> RestoreDialog:
        if self.restore_dialog is None:
            self.restore_dialog = RestoreDialog(self._has_passphrase, self.host.parent)
            self.restore_dialog.restoreRequested.connect(self.host.bridge.restore_history)
        self.restore_dialog.show()
        self.restore_dialog.raise_()
        return self.restore_dialog
