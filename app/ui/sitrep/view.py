"""The Sitreps page: a session's sitreps with where each stands, the selected one in full
with its reviews, what did not count (forged), and the buttons this user may press."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.sitrep import Sitrep, Stage, Why, may_compile, review_refusal
from app.core.text import is_rtl, isolate
from app.services.sitrep.notices import SitrepsChanged
from app.ui.people import display_name, person_html
from app.ui.session_marking import Marking, pending_banner, show_marking, shown_title
from app.ui.sitrep.words import section_title, stage_label, unverified_title, why_text
from app.ui.texts import digits, fill, fill_html
from app.ui.widgets import error_label, exercise_banner

IdRole = Qt.ItemDataRole.UserRole + 1


def _paragraphs(text: str) -> str:
    """Each line its own paragraph in its own direction: an Arabic line in an English
    report still reads from the right, its bullet first."""
    return "".join(
        f'<p dir="{"rtl" if is_rtl(line) else "ltr"}" style="margin:0">{escape(line)}</p>'
        for line in text.splitlines()
        if line.strip()
    )


class SitrepPage(QWidget):
    compileRequested = Signal(str)  # space id
    approveRequested = Signal(str, str)  # space id, sitrep id
    returnRequested = Signal(str, str)
    reviseRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest: dict[str, SitrepsChanged] = {}
        self._space = ""
        self.names: dict[str, str] = {}  # the session's names for its people
        self.banner = exercise_banner()
        self.pending = pending_banner()
        self.heading = QLabel()
        self.compile_button = QPushButton(self.tr("&Compile sitrep…"))
        self.approve_button = QPushButton(self.tr("&Approve and publish"))
        self.return_button = QPushButton(self.tr("&Return with a comment…"))
        self.revise_button = QPushButton(self.tr("Re&vise…"))
        self.list = QListWidget()
        self.list.setObjectName("sitrepList")
        self.detail = QTextBrowser()
        self.detail.setObjectName("sitrepDetail")
        self.refused = QListWidget()
        self.refused.setObjectName("sitrepRefused")
        self.message = error_label("sitrepMessage")  # a refused command: why
        self.hint = QLabel()  # why this user may not review the selected sitrep
        self.hint.setObjectName("sitrepHint")
        self.hint.setWordWrap(True)
        self.refused_label = QLabel(self.tr("Not counted (forged or out of turn):"))
        buttons = QHBoxLayout()
        for button in (self.compile_button, self.approve_button, self.return_button,
                       self.revise_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.pending)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        layout.addWidget(self.refused_label)
        layout.addWidget(self.refused)
        self.refused.setMaximumHeight(100)
        self.list.currentItemChanged.connect(self._show_selected)
        self.compile_button.clicked.connect(lambda: self.compileRequested.emit(self._space))
        self.approve_button.clicked.connect(lambda: self._ask(self.approveRequested))
        self.return_button.clicked.connect(lambda: self._ask(self.returnRequested))
        self.revise_button.clicked.connect(lambda: self._ask(self.reviseRequested))
        self.show_space("")

    # -- notices ---------------------------------------------------------------------------

    def apply(self, notice: SitrepsChanged) -> None:
        self._latest[notice.space_id] = notice
        if notice.space_id == self._space:
            self._fill()

    def name_people(self, names: dict[str, str]) -> None:
        """Authors, reviewers and refused senders by name (shown at the next fill)."""
        self.names = names

    def show_space(self, space_id: str) -> None:
        if space_id != self._space:
            self.message.clear()
        self._space = space_id
        self._fill()

    def clear(self) -> None:
        self._latest.clear()
        self.show_space("")

    def latest(self, space_id: str) -> SitrepsChanged | None:
        return self._latest.get(space_id)

    def selected(self) -> Sitrep | None:
        shown = self._latest.get(self._space)
        item = self.list.currentItem()
        if shown is None or item is None:
            return None
        return shown.board.find(item.data(IdRole))

    def say(self, text: str) -> None:
        self.message.setText(text)

    # -- inside ----------------------------------------------------------------------------

    def _ask(self, signal: Signal) -> None:
        if (sitrep := self.selected()) is not None:
            signal.emit(self._space, sitrep.sitrep_id)

    def _fill(self) -> None:
        shown = self._latest.get(self._space)
        chosen = picked.sitrep_id if (picked := self.selected()) else ""
        self.list.blockSignals(True)
        self.list.clear()
        self.refused.clear()
        show_marking(self.banner, self.pending, shown)
        if shown is None:
            self.heading.setText(self.tr("Choose a room of a crisis session."))
        else:
            title = shown_title(shown.title, Marking.of(shown))
            self.heading.setText(fill(self.tr("Sitreps of %1"), title))
            for sitrep in reversed(shown.board.sitreps):  # newest first
                text = fill(self.tr("%1 — %2 (revision %3)"), sitrep.draft.title,
                            stage_label(sitrep.stage), sitrep.revision)  # fmt: skip
                item = QListWidgetItem(text)
                item.setData(IdRole, sitrep.sitrep_id)
                self.list.addItem(item)
                if sitrep.sitrep_id == chosen or (not chosen and self.list.count() == 1):
                    self.list.setCurrentItem(item)
            for refusal in shown.board.refused:
                who = display_name(refusal.by, self.names)
                item = QListWidgetItem(fill(self.tr("%1: %2"), who, why_text(refusal.why)))
                item.setToolTip(refusal.by)
                self.refused.addItem(item)
        self.list.blockSignals(False)
        self.refused_label.setVisible(self.refused.count() > 0)
        self.refused.setVisible(self.refused.count() > 0)
        self._show_selected()

    def _show_selected(self) -> None:
        shown = self._latest.get(self._space)
        sitrep = self.selected()
        known = shown is not None and shown.details_known
        self.compile_button.setEnabled(known and may_compile(shown.my_role))
        for button in (self.approve_button, self.return_button, self.revise_button):
            button.setEnabled(False)
        self.hint.clear()
        if shown is not None and not known:  # what would be sent could pass for real
            self.hint.setText(why_text(Why.DETAILS_PENDING))
        if shown is None or sitrep is None:
            self.detail.clear()
            return
        self.detail.setHtml(self._html(sitrep))
        why = review_refusal(sitrep, shown.me, shown.officials)
        self.approve_button.setEnabled(known and why is None)
        self.return_button.setEnabled(why is None)
        mine = known and sitrep.author == shown.me
        self.revise_button.setEnabled(mine and sitrep.stage in (Stage.SUBMITTED, Stage.RETURNED))
        if sitrep.stage is Stage.SUBMITTED and why is not None and known:
            self.hint.setText(fill(self.tr("You cannot approve this sitrep: %1"), why_text(why)))

    def _html(self, sitrep: Sitrep) -> str:
        parts = [f"<h3>{escape(sitrep.draft.title)}</h3>"]
        compiled, approved = self.tr("%1 · compiled by %2"), self.tr("approved by %1")
        stage = escape(isolate(stage_label(sitrep.stage)))
        meta = fill_html(compiled, stage, person_html(sitrep.author, self.names))
        if sitrep.approved_by:
            meta += " · " + fill_html(approved, person_html(sitrep.approved_by, self.names))
        parts.append(f"<p><i>{meta}</i></p>")
        shown = [(section_title(n), t) for n, t in sitrep.draft.sections]
        shown.append((unverified_title(), sitrep.draft.unverified))
        for heading, text in shown:
            if text.strip():
                parts.append(f"<h4>{escape(heading)}</h4>{_paragraphs(text)}")
        revised = self.tr("Revision %1 %2 by %3")
        for review in sitrep.reviews:
            verdict = self.tr("approved") if review.verdict == "approved" else self.tr("returned")
            revision = escape(isolate(digits(str(review.revision))))
            by = person_html(review.by, self.names)
            line = fill_html(revised, revision, escape(isolate(verdict)), by)
            comment = f": {escape(review.comment)}" if review.comment else ""
            parts.append(f"<p>{line}{comment}</p>")
        return "".join(parts)
