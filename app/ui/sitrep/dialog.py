"""The sitrep form: the compiled draft, one text per section and the unconfirmed apart,
edited by its author and submitted (it stays open, saying why, if it is refused)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from app.core.sitrep import SECTIONS, SitrepDraft
from app.ui.commands import CommandDialog
from app.ui.sitrep.words import section_title, unverified_title
from app.ui.widgets import error_label, ok_cancel


class SitrepDialog(CommandDialog):
    def __init__(self, draft: SitrepDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = draft
        revising = bool(draft.sitrep_id)
        self.setWindowTitle(self.tr("Revise the sitrep") if revising else self.tr("New sitrep"))
        self.title = QLineEdit(draft.title)
        self.title.setObjectName("sitrepTitle")
        self.sections: dict[str, QPlainTextEdit] = {}
        form = QFormLayout(self)
        form.addRow(self.tr("&Title:"), self.title)
        for name in SECTIONS:
            edit = QPlainTextEdit(draft.section(name))
            edit.setObjectName(f"sitrep_{name}")
            self.sections[name] = edit
            form.addRow(section_title(name), edit)
        self.unverified = QPlainTextEdit(draft.unverified)
        self.unverified.setObjectName("sitrep_unverified")
        form.addRow(unverified_title(), self.unverified)
        self.error = error_label("sitrepError")
        form.addRow(self.error)
        form.addRow(ok_cancel(self, self._check))
        self.resize(640, 720)

    def draft(self) -> SitrepDraft:
        return replace(
            self._draft,
            title=self.title.text().strip(),
            sections=tuple((name, edit.toPlainText()) for name, edit in self.sections.items()),
            unverified=self.unverified.toPlainText(),
        )

    def _check(self) -> None:
        if not self.title.text().strip():
            self.error.setText(self.tr("The sitrep needs a title."))
            return
        self.accept()
