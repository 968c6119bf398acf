"""The Session menu: convene, add and re-role participants, remove, close (with
confirmation), and the facilitator's device policy for the session."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from app.core.roles import Role
from app.core.session import Participant, Roster
from app.services.notices import Problem
from app.ui.host import Host
from app.ui.session_marking import Marking, marked_title
from app.ui.sessions.convene_dialog import ConveneDialog
from app.ui.sessions.participant_dialog import ParticipantDialog
from app.ui.texts import fill


def _title(roster: Roster) -> str:
    """The session a question asks about, as one line led by its mark: "Close EXERCISE ·
    Port Sable?" is not asked as if about a real session, nor the reverse."""
    return marked_title(roster.session.title, Marking.of(roster.session))


class SessionMenu(QObject):
    """Session actions act on the session of the selected room; destructive ones confirm."""

    def __init__(self, host: Host, choose_scenario: Callable[[], None]) -> None:
        super().__init__(host.parent)
        self._host = host
        self._roster: Roster | None = None  # the session the menu was last enabled for
        host.explain_problems(
            {
                "session_failed": self.tr("The session could not be changed."),
                "join_failed": self.tr("Joining failed."),
                "no_session": self.tr("Choose a room of a crisis session first."),
            }
        )
        menu = host.add_menu(self.tr("&Session"))
        self.convene_action = QAction(self.tr("&Convene session…"), self)
        self.convene_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.convene_action.triggered.connect(self._convene)
        self.add_participant_action = QAction(self.tr("&Add participant…"), self)
        self.add_participant_action.triggered.connect(self._add_participant)
        self.change_role_action = QAction(self.tr("Change &role…"), self)
        self.change_role_action.triggered.connect(self._change_role)
        self.remove_participant_action = QAction(self.tr("Re&move participant…"), self)
        self.remove_participant_action.triggered.connect(self._remove_participant)
        self.close_session_action = QAction(self.tr("C&lose session…"), self)
        self.close_session_action.triggered.connect(self._close_session)
        self.policy_action = QAction(self.tr("Room &keys only to cross-signed devices"), self)
        self.policy_action.setCheckable(True)
        self.policy_action.setChecked(True)
        self.policy_action.toggled.connect(self._set_policy)
        for action in self.actions():
            action.setEnabled(False)
            menu.addAction(action)
        menu.addSeparator()
        self.accept_identity_action = QAction(self.tr("Accept new &identity of participant"), self)
        self.accept_identity_action.setEnabled(False)
        self.accept_identity_action.triggered.connect(self._accept_identity)
        menu.addAction(self.accept_identity_action)
        self.run_exercise_action = QAction(self.tr("Run e&xercise from a scenario…"), self)
        self.run_exercise_action.setEnabled(False)
        self.run_exercise_action.triggered.connect(choose_scenario)
        menu.addAction(self.run_exercise_action)

    def enable_for(self, signed_in: bool, roster: Roster | None = None) -> None:
        """Convening needs a login; managing a session needs to be its facilitator (the
        server would refuse anyone else, but the menu should not offer it)."""
        self.convene_action.setEnabled(signed_in)
        self.run_exercise_action.setEnabled(signed_in)
        me = self._host.user_id()
        facilitator = roster is not None and any(
            m.user_id == me and m.role is Role.FACILITATOR for m in roster.members
        )
        for action in self.actions()[1:]:
            action.setEnabled(signed_in and facilitator)
        self._roster = roster
        self._show_policy()
        self.accept_identity_action.setEnabled(signed_in and roster is not None)

    def actions(self) -> list[QAction]:
        return [
            self.convene_action,
            self.add_participant_action,
            self.change_role_action,
            self.remove_participant_action,
            self.close_session_action,
            self.policy_action,
        ]

    def _convene(self) -> None:
        dialog = ConveneDialog(self._host.user_id(), self._host.parent)
        bridge = self._host.bridge
        dialog.send_with(lambda: bridge.convene(dialog.blueprint()), self._host.explain)
        dialog.exec()  # closed once the session is convened; a refusal is shown in it

    def _current_session(self) -> Roster | None:
        roster = self._host.roster_of_selected()
        if roster is None:
            self._host.problem(Problem("no_session"))
        return roster

    def _selected_member(self) -> Participant | None:
        m = self._host.selected_member()
        if m is None:
            return None
        return Participant(m.user_id, m.role, m.delegation, m.title, m.organisation, m.name)

    def _accept_identity(self) -> None:
        if (current := self._selected_member()) is not None:
            self._host.bridge.accept_identity(current.user_id)

    def _add_participant(self) -> None:
        if (roster := self._current_session()) is not None:
            dialog = ParticipantDialog(roster.session, parent=self._host.parent)
            if dialog.exec():
                self._host.bridge.add_participant(roster.session.space_id, dialog.participant())

    def _change_role(self) -> None:
        if (roster := self._current_session()) is None:
            return
        if (current := self._selected_member()) is not None:
            dialog = ParticipantDialog(roster.session, current, self._host.parent)
            if dialog.exec():
                self._host.bridge.set_role(roster.session.space_id, dialog.participant())

    def _remove_participant(self) -> None:
        if (roster := self._current_session()) is None:
            return
        if (current := self._selected_member()) is None:
            return
        question = fill(
            self.tr("Remove %1 from all rooms of %2? What they said stays in the record."),
            current.user_id,
            _title(roster),
        )
        if self._confirm(question):
            self._host.bridge.remove_participant(roster.session.space_id, current.user_id)

    def _close_session(self) -> None:
        if (roster := self._current_session()) is None:
            return
        question = fill(
            self.tr("Close %1? Only facilitators can post afterwards; the record stays."),
            _title(roster),
        )
        if self._confirm(question):
            self._host.bridge.close_session(roster.session.space_id)

    def _set_policy(self, cross_signed_only: bool) -> None:
        """Turning the policy off lets devices nobody verified read delegation rooms:
        asked first; a refusal leaves the setting as it was."""
        if (roster := self._roster) is None:
            return
        question = fill(
            self.tr(
                "Send room keys of %1's delegation and restricted rooms to devices their "
                "owners have not cross-signed? A device added with a stolen password could "
                "then read them, and its instructions and acknowledgements would count."
            ),
            _title(roster),
        )
        if not cross_signed_only and not self._confirm(question):
            self._show_policy()
            return
        command = self._host.bridge.set_session_policy(roster.session.space_id, cross_signed_only)
        command.on_failure(self._policy_refused)

    def _policy_refused(self, problem: Problem) -> None:
        self._show_policy()  # the session's setting, not the click the server refused
        self._host.problem(problem)

    def _show_policy(self) -> None:
        """The check says the session's current setting (a signal would change it)."""
        roster = self._roster
        self.policy_action.blockSignals(True)
        self.policy_action.setChecked(roster is None or roster.session.cross_signed_only)
        self.policy_action.blockSignals(False)

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self._host.parent, self._host.title, question)
        return answer == QMessageBox.StandardButton.Yes
