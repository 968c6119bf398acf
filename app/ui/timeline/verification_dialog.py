"""Change an entry's verification status, with the reason, and see its whole history."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.core.timeline import next_statuses
from app.ui.texts import digits, fill
from app.ui.timeline.rows import TimelineRow, status_label
from app.ui.widgets import error_label, ok_cancel


class VerificationDialog(QDialog):
    """History first (who changed it, when, why); then the change the rules allow."""

    def __init__(self, row: TimelineRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert row.entry is not None
        self.setWindowTitle(self.tr("Verification"))
        self.setObjectName("verificationDialog")
        self.resize(640, 420)
        self.entry_id = row.key
        current = row.status
        title = QLabel(fill(self.tr("%1 — now %2"), row.entry.title, status_label(current)))
        title.setWordWrap(True)
        self.history = QTreeWidget()
        self.history.setObjectName("verificationHistory")
        self.history.setRootIsDecorated(False)
        self.history.setHeaderLabels(
            [self.tr("When"), self.tr("Who"), self.tr("Status"), self.tr("Why")]
        )
        for change in row.verification.history if row.verification else ():
            when = digits(datetime.fromtimestamp(change.at / 1000).strftime("%Y-%m-%d %H:%M:%S"))
            status = status_label(change.status)
            if not change.applied:
                status = fill(self.tr("%1 (not applied: %2)"), status, change.why_not)
            reason = change.reason or self.tr("as posted")
            QTreeWidgetItem(self.history, [when, change.by, status, reason])
        self.status = QComboBox()
        for status in next_statuses(current):
            self.status.addItem(status_label(status), status)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("Why: the source, the check that was made"))
        self.error = error_label("verificationError")
        buttons = ok_cancel(self, self._check)
        form = QFormLayout(self)
        form.addRow(title)
        form.addRow(self.history)
        form.addRow(self.tr("New &status:"), self.status)
        form.addRow(self.tr("&Reason:"), self.reason)
        form.addRow(self.error)
        form.addRow(buttons)
        if not self.status.count():
            self.error.setText(self.tr("A retracted entry keeps its status for good."))
            self.status.setEnabled(False)
            self.reason.setEnabled(False)
        self.status.setFocus()

    def choice(self) -> tuple[str, str]:
        """The new status and the reason."""
        return self.status.currentData(), self.reason.toPlainText().strip()

    def _check(self) -> None:
        if not self.status.count():
            self.reject()
        elif not self.choice()[1]:
            self.error.setText(self.tr("Say why the status changes."))
            self.reason.setFocus()
        else:
            self.accept()
