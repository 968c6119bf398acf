"""Small widget recipes every form shares: the error line and the OK/Cancel row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

ERROR_COLOUR = "#b3261e"  # also the timeline's colour for refused, malformed, forged


def error_label(name: str = "") -> QLabel:
    """Where a form says, in red and wrapped, why it cannot go on."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    return label


def ok_cancel(dialog: QDialog, check: Callable[[], None]) -> QDialogButtonBox:
    """OK runs ``check`` (which accepts the dialog once the form is valid); Cancel rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(check)
    buttons.rejected.connect(dialog.reject)
    return buttons
