"""Small widget recipes the views share: the error line, the OK/Cancel row, the EXERCISE
banner, the question that needs a written answer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.ui.texts import tr
from app.ui.theme import readable

ERROR_COLOUR = "#b3261e"  # also the timeline's colour for refused, malformed, forged
EXERCISE_COLOUR = "#ffd54f"  # the yellow every mark of an exercise has


def error_label(name: str = "") -> QLabel:
    """Where a form says, in red and wrapped, why it cannot go on."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {readable(ERROR_COLOUR).name()};")
    return label


def exercise_banner() -> QLabel:
    """The yellow EXERCISE mark every screen of an exercise session carries."""
    label = QLabel(tr("EXERCISE"))
    label.setObjectName("exerciseBanner")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(
        f"background: {EXERCISE_COLOUR}; color: #000; font-weight: bold; padding: 2px 8px;"
    )
    return label


def ok_cancel(dialog: QDialog, check: Callable[[], None]) -> QDialogButtonBox:
    """OK runs ``check`` (which accepts the dialog once the form is valid); Cancel rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(check)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ReasonDialog(QDialog):
    """A question whose answer is required (a reason, a question to the capital): OK stays
    off, with the reason why, until something is written, so an empty answer can never
    close the window and send nothing without a word."""

    answered = Signal(str)

    def __init__(self, title: str, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QLineEdit()
        self.hint = QLabel(tr("An answer is required."))
        self.buttons = ok_cancel(self, self._accept)
        self._ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setEnabled(False)
        self.text.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question))
        layout.addWidget(self.text)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)

    def _changed(self, text: str) -> None:
        self._ok.setEnabled(bool(text.strip()))
        self.hint.setVisible(not text.strip())

    def _accept(self) -> None:
        if self.text.text().strip():
            self.answered.emit(self.text.text().strip())
            self.accept()
