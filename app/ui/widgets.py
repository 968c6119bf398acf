"""Small widget recipes the views share: the error line, the OK/Cancel row, the EXERCISE
banner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from app.ui.texts import tr

ERROR_COLOUR = "#b3261e"  # also the timeline's colour for refused, malformed, forged


def error_label(name: str = "") -> QLabel:
    """Where a form says, in red and wrapped, why it cannot go on."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    return label


def exercise_banner() -> QLabel:
    """The yellow EXERCISE mark every screen of an exercise session carries."""
    label = QLabel(tr("EXERCISE"))
    label.setObjectName("exerciseBanner")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("background: #ffd54f; color: #000; font-weight: bold; padding: 2px 8px;")
    return label


def ok_cancel(dialog: QDialog, check: Callable[[], None]) -> QDialogButtonBox:
    """OK runs ``check`` (which accepts the dialog once the form is valid); Cancel rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(check)
    buttons.rejected.connect(dialog.reject)
    return buttons
