"""Compose a timeline entry from the keyboard: Ctrl+Shift+E opens it, Ctrl+Enter posts it.

Every field has a mnemonic; the time it happened defaults to now and can be set back
(a report often arrives an hour after the event it describes).
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.core.timeline import KIND_ORDER, STATUS_ORDER, EntryDraft, EntryError, entry_content
from app.ui.timeline.rows import kind_label, status_label
from app.ui.widgets import error_label, ok_cancel


def _split(text: str, separator: str) -> tuple[str, ...]:
    """Arabic writes its own comma and semicolon (، ؛); both count as separators."""
    text = text.replace("،", ",").replace("؛", ";")
    return tuple(part.strip() for part in text.split(separator) if part.strip())


class EntryComposer(QDialog):
    """Collects an EntryDraft; accepted only when the rules take it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New timeline entry"))
        self.setObjectName("entryComposer")
        self.kind = QComboBox()
        for kind in KIND_ORDER:
            self.kind.addItem(kind_label(kind), kind)
        self.title = QLineEdit()
        self.title.setMaxLength(300)
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.occurred = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.location = QLineEdit()
        self.location.setMaxLength(200)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("comma between tags"))
        self.sources = QLineEdit()
        self.sources.setPlaceholderText(self.tr("semicolon between sources"))
        self.verification = QComboBox()
        for status in STATUS_ORDER[:3]:  # a new report cannot start out disputed or retracted
            self.verification.addItem(status_label(status), status)
        self.error = error_label("entryError")
        form = QFormLayout(self)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Body:"), self.body)
        form.addRow(self.tr("&Happened at:"), self.occurred)
        form.addRow(self.tr("&Location:"), self.location)
        form.addRow(self.tr("T&ags:"), self.tags)
        form.addRow(self.tr("&Sources:"), self.sources)
        form.addRow(self.tr("&Verification:"), self.verification)
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._check)
        self.title.setFocus()

    def draft(self) -> EntryDraft:
        return EntryDraft(
            kind=self.kind.currentData(),
            title=self.title.text(),
            body=self.body.toPlainText(),
            occurred_at=self.occurred.dateTime().toMSecsSinceEpoch(),
            sources=_split(self.sources.text(), ";"),
            tags=_split(self.tags.text(), ","),
            location=self.location.text(),
            verification=self.verification.currentData(),
        )

    def _check(self) -> None:
        try:
            entry_content(self.draft())
        except EntryError:
            self.error.setText(self.tr("An entry needs a title of at most 300 characters."))
            self.title.setFocus()
            return
        self.accept()
