"""Compose an instruction (or a delegation's request for one); drafts can be kept.

Every field has a keyboard mnemonic; the draft is checked by the same rules the
backend applies, so what cannot be issued is said here, in the user's language.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.core.instructions import PRIORITY_ORDER, Desk, Draft, Feed, draft_problems
from app.ui.commands import CommandDialog
from app.ui.instructions.model import priority_label
from app.ui.widgets import error_label, ok_cancel


class DeadlineField(QWidget):
    """An optional deadline: unchecked means none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(self.tr("Dea&dline"))
        self.when = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.when.setCalendarPopup(True)
        self.when.setEnabled(False)
        self.enabled.toggled.connect(self.when.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(self.when, 1)

    def value(self) -> int | None:
        return self.when.dateTime().toMSecsSinceEpoch() if self.enabled.isChecked() else None

    def set_value(self, ms: int | None) -> None:
        self.enabled.setChecked(ms is not None)
        if ms is not None:
            self.when.setDateTime(QDateTime.fromMSecsSinceEpoch(ms))


def _checklist(items: list[tuple[str, str]], name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    for key, label in items:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(90)
    return widget


def _checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(
        widget.item(n).data(Qt.ItemDataRole.UserRole)
        for n in range(widget.count())
        if widget.item(n).checkState() == Qt.CheckState.Checked
    )


def _check(widget: QListWidget, keys: tuple[str, ...]) -> None:
    for n in range(widget.count()):
        item = widget.item(n)
        on = item.data(Qt.ItemDataRole.UserRole) in keys
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class InstructionDialog(CommandDialog):
    """Issue (OK) or keep as a draft; ``saved_draft`` tells which the user chose."""

    def __init__(
        self, desk: Desk, feed: Feed, drafts: tuple[Draft, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New instruction"))
        self.saved_draft = False
        self._draft_id = ""
        self._drafts = drafts
        self.subject = QLineEdit()
        self.subject.setMaxLength(300)  # the protocol's limits: longer would be refused
        self.body = QPlainTextEdit()
        self.priority = QComboBox()
        for priority in PRIORITY_ORDER:
            self.priority.addItem(priority_label(priority), priority)
        delegations = [(d.id, d.name) for d in desk.delegations if desk.room_of(d.id)]
        self.action = _checklist(delegations, "actionAddressees")
        self.info = _checklist(delegations, "infoAddressees")
        self.deadline = DeadlineField()
        self.requires_ack = QCheckBox(self.tr("Requires ac&knowledgement"))
        self.requires_ack.setChecked(True)
        self.classification = QLineEdit()
        self.classification.setMaxLength(64)
        self.supersedes = QComboBox()
        self.supersedes.addItem(self.tr("(nothing)"), "")
        for ref, rows in feed.by_ref.items():
            self.supersedes.addItem(rows[0].instruction.subject, ref)
        self.answers = QComboBox()
        self.answers.addItem(self.tr("(no request)"), "")
        for request in feed.requests:
            self.answers.addItem(f"{request.subject} — {request.delegation}", request.event_id)
        self.draft_picker = QComboBox()
        self.draft_picker.addItem(self.tr("(new)"), "")
        for draft in drafts:
            self.draft_picker.addItem(draft.subject or self.tr("(untitled)"), draft.draft_id)
        self.draft_picker.currentIndexChanged.connect(self._load_draft)
        self.error = error_label("instructionError")
        save = QPushButton(self.tr("Save &draft"))
        save.clicked.connect(self._save)
        buttons = ok_cancel(self, self._issue)
        buttons.addButton(save, buttons.ButtonRole.ActionRole)

        form = QFormLayout(self)
        form.addRow(self.tr("D&rafts:"), self.draft_picker)
        form.addRow(self.tr("&Subject:"), self.subject)
        form.addRow(self.tr("&Text:"), self.body)
        form.addRow(self.tr("&Priority:"), self.priority)
        form.addRow(self.tr("&Action:"), self.action)
        form.addRow(self.tr("&Information:"), self.info)
        form.addRow(self.deadline)
        form.addRow(self.requires_ack)
        form.addRow(self.tr("&Classification:"), self.classification)
        form.addRow(self.tr("Su&persedes:"), self.supersedes)
        form.addRow(self.tr("Ans&wers request:"), self.answers)
        form.addRow(self.error)
        form.addRow(buttons)
        self.resize(560, 620)

    def draft(self) -> Draft:
        action = _checked(self.action)
        return Draft(
            subject=self.subject.text().strip(),
            body=self.body.toPlainText(),
            priority=self.priority.currentData(),
            action=action,
            info=tuple(d for d in _checked(self.info) if d not in action),
            deadline=self.deadline.value(),
            requires_ack=self.requires_ack.isChecked(),
            classification=self.classification.text().strip(),
            supersedes=self.supersedes.currentData(),
            answers=self.answers.currentData(),
            draft_id=self._draft_id,
        )

    def _load_draft(self) -> None:
        """Fill the form from the chosen draft; "(new)" starts a fresh one (the drafts stay)."""
        chosen = self.draft_picker.currentData()
        found = next((d for d in self._drafts if d.draft_id == chosen), None)
        self._draft_id = found.draft_id if found else ""
        if found is None:
            return
        self.subject.setText(found.subject)
        self.body.setPlainText(found.body)
        self.priority.setCurrentIndex(max(0, self.priority.findData(found.priority)))
        _check(self.action, found.action)
        _check(self.info, found.info)
        self.deadline.set_value(found.deadline)
        self.requires_ack.setChecked(found.requires_ack)
        self.classification.setText(found.classification)
        self.supersedes.setCurrentIndex(max(0, self.supersedes.findData(found.supersedes)))
        self.answers.setCurrentIndex(max(0, self.answers.findData(found.answers)))

    def _issue(self) -> None:
        texts = {
            "no_subject": self.tr("The instruction needs a subject."),
            "no_addressee": self.tr("Choose at least one delegation."),
            "bad_priority": self.tr("Choose a priority."),
            "deadline_past": self.tr("The deadline has already passed."),
            "too_long": self.tr("The text is too long for one instruction."),
        }
        problems = draft_problems(self.draft(), int(time.time() * 1000))
        if problems:
            self.error.setText(" ".join(texts[p] for p in problems))
            return
        self.accept()

    def _save(self) -> None:
        self.saved_draft = True
        self.accept()


class RequestDialog(QDialog):
    """A delegation asks the capital for instructions, with its own deadline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Request instructions"))
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.deadline = DeadlineField()
        self.error = error_label()
        form = QFormLayout(self)
        form.addRow(self.tr("&Subject:"), self.subject)
        form.addRow(self.tr("&Text:"), self.body)
        form.addRow(self.deadline)
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))

    def _check(self) -> None:
        if not self.subject.text().strip():
            self.error.setText(self.tr("The request needs a subject."))
            return
        self.accept()
