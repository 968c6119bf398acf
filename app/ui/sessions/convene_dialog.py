"""Convene a crisis session: metadata, delegations, participants with roles.

Everything is checked (core.session.blueprint) before the dialog closes; nothing is created on
the server until the blueprint is whole.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import protocol
from app.core.roles import Role
from app.core.session import Blueprint, Delegation, Participant, blueprint_problems
from app.ui.commands import CommandDialog
from app.ui.texts import crisis_kind_label, fill, role_label
from app.ui.widgets import error_label, ok_cancel

COMMON_ZONES = (
    "Africa/Cairo",
    "Asia/Riyadh",
    "Asia/Dubai",
    "Asia/Qatar",
    "Asia/Amman",
    "Asia/Beirut",
    "Africa/Casablanca",
    "Africa/Tunis",
    "Europe/Berlin",
    "Europe/Zurich",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "UTC",
)
_ID, _NAME, _ROLE, _DELEGATION, _TITLE = range(5)  # the participants table's columns
CLASSIFICATIONS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET")


def _zone_box(default: str) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(COMMON_ZONES)
    box.setCurrentText(default)
    return box


class ConveneDialog(CommandDialog):
    """Collects a Blueprint; ``blueprint()`` is valid once the dialog was accepted."""

    def __init__(self, me: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.me = me
        self.setWindowTitle(self.tr("Convene crisis session"))
        self.resize(760, 620)
        self.title = QLineEdit()
        self.kind = QComboBox()
        for kind in protocol.CRISIS_KIND_ORDER:
            self.kind.addItem(crisis_kind_label(kind), kind)
        self.capital_tz = _zone_box("Africa/Cairo")
        self.classification = QComboBox()
        self.classification.setEditable(True)
        self.classification.addItems(CLASSIFICATIONS)
        self.exercise = QCheckBox(self.tr("This is an &exercise"))
        self.outreach = QCheckBox(self.tr("Outreach room for influencers"))
        self.outreach.setChecked(True)
        self.outreach_open = QCheckBox(self.tr("Outreach room without end-to-end encryption"))

        form = QFormLayout()
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Kind of crisis:"), self.kind)
        form.addRow(self.tr("&Capital time zone:"), self.capital_tz)
        form.addRow(self.tr("C&lassification:"), self.classification)
        form.addRow(self.exercise)
        form.addRow(self.outreach)
        form.addRow(self.outreach_open)

        self.delegations = self._table(
            [self.tr("Id"), self.tr("Name"), self.tr("Location"), self.tr("Time zone")]
        )
        self.participants = self._table(
            [
                self.tr("Matrix id"),
                self.tr("Name"),
                self.tr("Role"),
                self.tr("Delegation"),
                self.tr("Title"),
            ]
        )
        self.error = error_label("conveneError")
        buttons = ok_cancel(self, self._check)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Con&vene"))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._group(self.tr("Delegations"), self.delegations, self.add_delegation))
        layout.addWidget(
            self._group(self.tr("Participants"), self.participants, self.add_participant)
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _group(self, title: str, table: QTableWidget, add: Callable[[], object]) -> QGroupBox:
        box = QGroupBox(title)
        add_button = QPushButton(self.tr("Add"))
        # Not connected directly: clicked(bool) would arrive as the row's first value.
        add_button.clicked.connect(lambda: add())  # noqa: PLW0108
        remove_button = QPushButton(self.tr("Remove"))
        remove_button.clicked.connect(lambda: table.removeRow(table.currentRow()))
        buttons = QVBoxLayout()
        buttons.addWidget(add_button)
        buttons.addWidget(remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout(box)
        row.addWidget(table, 1)
        row.addLayout(buttons)
        return box

    # -- rows ----------------------------------------------------------------------------

    def add_delegation(
        self, ident: str = "", name: str = "", location: str = "", tz: str = "UTC"
    ) -> None:
        row = self.delegations.rowCount()
        self.delegations.insertRow(row)
        for column, text in enumerate((ident, name, location)):
            self.delegations.setItem(row, column, QTableWidgetItem(text))
        self.delegations.setCellWidget(row, 3, _zone_box(tz))

    def add_participant(
        self,
        user_id: str = "",
        role: Role = Role.EXPERT,
        delegation: str = "",
        title: str = "",
        name: str = "",
    ) -> None:
        """A row: the name is what everyone in the session will see for this person."""
        row = self.participants.rowCount()
        self.participants.insertRow(row)
        self.participants.setItem(row, _ID, QTableWidgetItem(user_id))
        self.participants.setItem(row, _NAME, QTableWidgetItem(name))
        roles = QComboBox()
        for r in Role:
            roles.addItem(role_label(r.value), r.value)
        roles.setCurrentIndex(roles.findData(role.value))
        self.participants.setCellWidget(row, _ROLE, roles)
        self.participants.setItem(row, _DELEGATION, QTableWidgetItem(delegation))
        self.participants.setItem(row, _TITLE, QTableWidgetItem(title))

    # -- result --------------------------------------------------------------------------

    def _cell(self, table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text().strip() if item is not None else ""

    def blueprint(self) -> Blueprint:
        delegations = tuple(
            Delegation(
                self._cell(self.delegations, r, 0),
                self._cell(self.delegations, r, 1),
                self.delegations.cellWidget(r, 3).currentText().strip(),  # type: ignore[union-attr]
                self._cell(self.delegations, r, 2),
            )
            for r in range(self.delegations.rowCount())
        )
        participants = tuple(
            Participant(
                self._cell(self.participants, r, _ID),
                Role(self.participants.cellWidget(r, _ROLE).currentData()),  # type: ignore[union-attr]
                self._cell(self.participants, r, _DELEGATION),
                self._cell(self.participants, r, _TITLE),
                name=self._cell(self.participants, r, _NAME),
            )
            for r in range(self.participants.rowCount())
        )
        return Blueprint(
            title=self.title.text().strip(),
            kind=self.kind.currentData(),
            capital_tz=self.capital_tz.currentText().strip(),
            classification=self.classification.currentText().strip() or "UNCLASSIFIED",
            exercise=self.exercise.isChecked(),
            outreach=self.outreach.isChecked(),
            outreach_encrypted=not self.outreach_open.isChecked(),
            delegations=delegations,
            participants=participants,
        )

    def problem_text(self, code: str, subject: str) -> str:
        texts = {
            "no_title": self.tr("The session needs a title."),
            "bad_kind": self.tr("Unknown kind of crisis: %1"),
            "bad_tz": self.tr("Not a time zone: %1 (e.g. Europe/Geneva)"),
            "duplicate_delegation": self.tr("Delegation %1 is listed twice."),
            "bad_delegation_id": self.tr("Delegation id %1: use a-z, 0-9, - or _."),
            "delegation_no_name": self.tr("Delegation %1 needs a name."),
            "bad_user_id": self.tr("Not a Matrix user id: %1 (expected @name:server)"),
            "duplicate_participant": self.tr("%1 is listed twice."),
            "delegate_needs_delegation": self.tr("%1 is a delegate: choose a delegation."),
            "unknown_delegation": self.tr("No delegation with id %1."),
            "too_long": self.tr(
                "Too long (at most 200 characters; 80 for a name, 64 for a classification): %1…"
            ),
        }
        return fill(texts.get(code, code), subject)

    def _check(self) -> None:
        problems = blueprint_problems(self.blueprint())
        if problems:
            self.error.setText("\n".join(self.problem_text(c, s) for c, s in problems))
            return
        self.accept()
