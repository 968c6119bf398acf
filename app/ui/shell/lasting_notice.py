"""A sentence the window says once and keeps in the status bar until it is dismissed.

The status bar's own line goes after seconds, and the next line replaces it: a person
who looked away at the start would never learn what was said, and what is told once
(an outbox set aside: renamed once, so no later start tells it again) is then lost.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class LastingNotice(QWidget):
    """The sentence, selectable (a path in it can be copied), and a button dismissing it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lastingNotice")
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QToolButton()
        self.dismiss.setText(self.tr("Dismiss"))
        self.dismiss.clicked.connect(self.deleteLater)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss)
