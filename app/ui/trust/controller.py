"""The Account menu's "Verification of this device…" and its prompt in the status bar.

After each sign-in or restored login the backend says where this device stands in the
account's cross-signing (``StandingChanged``). An install from before cross-signing is
asked for the password to set it up; a device of an account that has keys elsewhere is
pointed to the recovery key or emoji verification (the existing paths, not a copy); keys
made here are put behind an existing recovery key by typing it once. The prompt is a
status-bar button, not a window of its own (a dialog popping up would take the keyboard
from what the user is typing), and it stays, with the menu entry, until the device is
verified: cancelling loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QPushButton

from app.services.notices import LoggedIn, LoginNeeded, Problem
from app.services.trust.notices import OwnStanding, StandingChanged
from app.ui.trust.dialog import PasswordDialog

if TYPE_CHECKING:
    from app.ui.host import Host


class CrossSigningController(QObject):
    def __init__(self, host: Host, open_restore: Callable[[], object]) -> None:
        super().__init__(host.parent)
        self._host = host
        self._open_restore = open_restore  # the recovery key dialog (app.ui.recovery)
        self.standing: OwnStanding | None = None
        self.dialog: PasswordDialog | None = None
        self.guide: QMessageBox | None = None
        self.action = QAction(self.tr("&Verification of this device…"), self)
        self.action.setEnabled(False)
        self.action.triggered.connect(self.open)
        host.add_menu(self.tr("&Account")).addAction(self.action)
        self.prompt = QPushButton()
        self.prompt.setObjectName("crossSigningPrompt")
        self.prompt.hide()
        self.prompt.clicked.connect(self.open)
        host.add_status_widget(self.prompt)
        host.explain_problems(
            {"wrong_password": self.tr("The server did not accept this password. Type it again.")}
        )
        host.bridge.on(StandingChanged, self.apply)
        host.bridge.on(LoggedIn, self._signed_in)
        host.bridge.on(LoginNeeded, self._signed_in)

    @Slot()
    def _signed_in(self) -> None:
        """A new sign-in (or none): nothing is known until the backend has checked."""
        self.standing = None
        self.prompt.hide()
        self.action.setEnabled(False)

    @Slot(object)
    def apply(self, notice: StandingChanged) -> None:
        self.standing = notice.standing
        verified = notice.standing is OwnStanding.VERIFIED
        self.action.setEnabled(not verified)
        self.prompt.setVisible(not verified)
        self.prompt.setText(self._prompt_text(notice.standing))
        if verified and self.guide is not None:
            self.guide.close()

    @Slot()
    def open(self) -> None:
        """What the standing asks for: the password form, or the way to verify."""
        if self.standing is OwnStanding.SET_UP_NEEDED:
            self.open_password()
        elif self.standing in (OwnStanding.VERIFY_NEEDED, OwnStanding.STORE_NEEDED):
            self.open_guide(self.standing)

    def open_password(self) -> PasswordDialog:
        if self.dialog is None:
            self.dialog = PasswordDialog(self._host.parent)
            self.dialog.send_with_password(self._host.bridge.set_up_cross_signing, self._explain)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def open_guide(self, standing: OwnStanding) -> QMessageBox:
        """Points to the recovery key (one button away) or emoji verification."""
        if self.guide is None:
            self.guide = QMessageBox(self._host.parent)
            self.guide.setIcon(QMessageBox.Icon.Information)
            self.guide.setWindowTitle(self.tr("Verification of this device"))
            enter = self.guide.addButton(
                self.tr("Enter recovery key…"), QMessageBox.ButtonRole.AcceptRole
            )
            enter.clicked.connect(self._open_restore)
            self.guide.addButton(QMessageBox.StandardButton.Close)
        self.guide.setText(self._guide_text(standing))
        self.guide.open()
        return self.guide

    def _explain(self, problem: Problem) -> str:
        return self._host.explain(problem)

    def _prompt_text(self, standing: OwnStanding) -> str:
        return {
            OwnStanding.SET_UP_NEEDED: self.tr("Set up verification (your password is needed)…"),
            OwnStanding.VERIFY_NEEDED: self.tr("This device is not verified…"),
            OwnStanding.STORE_NEEDED: self.tr("Keep your verification keys safe…"),
            OwnStanding.VERIFIED: "",
        }[standing]

    def _guide_text(self, standing: OwnStanding) -> str:
        if standing is OwnStanding.STORE_NEEDED:
            return self.tr(
                "Verification is set up on this device. Enter your recovery key once so "
                "that its keys are kept behind it too: your other devices can then verify "
                "themselves with it."
            )
        return self.tr(
            "Your account is already set up for verification, but this device is not "
            "verified yet. Enter your recovery key, or verify it by emoji from another "
            "device of yours (Session → Verify participant…, on yourself). Until then, "
            "what you do from this device does not count in delegation and restricted rooms."
        )
