"""Forms of the open round: pose a round, submit a proposal. Each checks with the same
rules the receivers apply (app.core.open_round) before anything leaves."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.core.open_round import RoundError, Terms, proposal_message, round_message
from app.core.roles import Role
from app.ui.commands import CommandDialog
from app.ui.texts import role_label
from app.ui.widgets import error_label, ok_cancel

PARTICIPANT_ROLES = tuple(r for r in Role if r is not Role.OBSERVER)


class RoleChoice(QWidget):
    """A tick per role: who may propose, or who may vote."""

    def __init__(self, ticked: frozenset[Role], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for n, role in enumerate(PARTICIPANT_ROLES):
            box = QCheckBox(role_label(role.value))
            box.setChecked(role in ticked)
            grid.addWidget(box, n // 3, n % 3)
            self.boxes[role] = box

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, box in self.boxes.items() if box.isChecked())


class StartRoundDialog(CommandDialog):
    """The problem, what is wanted, the time boxes, who proposes and who votes."""

    def __init__(self, exercise: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start an open round"))
        self._exercise = exercise
        self.problem = QLineEdit()
        self.wanted = QPlainTextEdit()
        self.wanted.setTabChangesFocus(True)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(20)
        self.minutes.setSuffix(self.tr(" min"))
        self.vote_minutes = QSpinBox()
        self.vote_minutes.setRange(1, 24 * 60)
        self.vote_minutes.setValue(10)
        self.vote_minutes.setSuffix(self.tr(" min"))
        self.top = QSpinBox()
        self.top.setRange(3, 5)
        everyone = frozenset(PARTICIPANT_ROLES)
        self.proposers = RoleChoice(everyone)
        self.voters = RoleChoice(everyone)
        self.error = error_label("roundError")
        form = QFormLayout(self)
        form.addRow(self.tr("&Problem:"), self.problem)
        form.addRow(self.tr("&What is wanted:"), self.wanted)
        form.addRow(self.tr("&Time for proposals:"), self.minutes)
        form.addRow(self.tr("Time for the &vote:"), self.vote_minutes)
        form.addRow(self.tr("To the &desk:"), self.top)
        form.addRow(self.tr("Who may propose:"), self.proposers)
        form.addRow(self.tr("Who may vote:"), self.voters)
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))

    def terms(self) -> Terms:
        return Terms(
            self.problem.text().strip(),
            self.wanted.toPlainText().strip(),
            self.minutes.value(),
            self.vote_minutes.value(),
            self.proposers.roles(),
            self.voters.roles(),
            self.top.value(),
            self._exercise,
        )

    def _check(self) -> None:
        if not self.problem.text().strip():
            self.error.setText(self.tr("Say what the problem is."))
            return
        if not self.proposers.roles() or not self.voters.roles():
            self.error.setText(self.tr("Tick who may propose and who may vote."))
            return
        try:
            round_message(self.terms())
        except RoundError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class ProposalDialog(CommandDialog):
    """A proposal: a title, its text, sources (one per line)."""

    def __init__(self, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Propose"))
        self.setToolTip(problem)
        self.title = QLineEdit()
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.sources = QPlainTextEdit()
        self.sources.setTabChangesFocus(True)
        self.sources.setPlaceholderText(self.tr("one link or reference per line"))
        self.error = error_label("proposalError")
        form = QFormLayout(self)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Proposal:"), self.text)
        form.addRow(self.tr("&Sources:"), self.sources)
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))

    def fields(self) -> tuple[str, str, tuple[str, ...]]:
        lines = (s.strip() for s in self.sources.toPlainText().splitlines())
        return (
            self.title.text().strip(),
            self.text.toPlainText().strip(),
            tuple(s for s in lines if s),
        )

    def _check(self) -> None:
        try:
            proposal_message("$check", *self.fields())
        except RoundError:
            self.error.setText(self.tr("A proposal needs a title."))
            return
        self.accept()
