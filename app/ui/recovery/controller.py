"""The Account menu's recovery actions, and the prompts a sign-in brings.

On the first sign-in of an account the user is offered a recovery key; on a device that
has not opened the account's backup, the user is asked for it (and may skip: the menu
keeps it within reach, as does the instruction feed's "cannot be read" line). Each
prompt comes once per sign-in, never again on every notice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

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
            }
        )
        bridge = host.bridge
        bridge.on(RecoveryChanged, self.apply)
        bridge.on(LoggedIn, self._signed_in)
        bridge.on(LoginNeeded, self._signed_in)
        instructions.restoreRequested.connect(self.open_restore)

    @Slot()
    def _signed_in(self) -> None:
        """A new sign-in (or none): prompts may come again; nothing is known yet."""
        self._prompted.clear()
        for action in (self.set_up_action, self.restore_action):
            action.setEnabled(False)

    @Slot(object)
    def apply(self, notice: RecoveryChanged) -> None:
        state = notice.state
        if state is Recovery.SET_UP_NEEDED:
            self.set_up_action.setEnabled(True)
            self._prompt_once(state, self.open_set_up)
        elif state is Recovery.RESTORE_OFFERED:
            self._has_passphrase = notice.has_passphrase
            self.restore_action.setEnabled(True)
            self._prompt_once(state, self.open_restore)
        elif state in (Recovery.KEY_CREATED, Recovery.READY, Recovery.RESTORED):
            self.set_up_action.setEnabled(False)
            self.restore_action.setEnabled(True)
        if state is Recovery.KEY_CREATED:
            self.open_set_up().apply(notice)
        elif state is Recovery.READY and notice.backed_up:
            self.restore_action.setToolTip(
                fill(self.tr("%1 room keys of this device are in the key backup"), notice.backed_up)
            )
        elif state in (Recovery.FAILED, Recovery.RESTORED):
            self._tell(notice)

    def _prompt_once(self, state: Recovery, show: Callable[[], object]) -> None:
        if state not in self._prompted:
            self._prompted.add(state)
            show()

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
