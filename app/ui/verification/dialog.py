"""The verification dialog: the seven emoji with their names (or the decimals), and
"They match" / "They don't match".

It only paints the latest snapshot of one verification and sends the user's choice;
every state comes from the backend, so the dialog can be closed and opened again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.verification import Phase, VerificationView
from app.ui.people import person_text
from app.ui.texts import digits, fill
from app.ui.verification.emoji_names import emoji_cell
from app.ui.verification.texts import status_text

_EMOJI_POINTS = 30


class VerificationDialog(QDialog):
    """One verification, from the request to its end."""

    chosen = Signal(str, str)  # (verification key, "accept"|"confirm"|"mismatch"|"cancel")

    def __init__(
        self, view: VerificationView, names: dict[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("verificationDialog")
        self.setMinimumWidth(440)
        self.key = view.key
        self.names = names  # the person's name beside their id, as the session knows it
        self.setWindowTitle(fill(self.tr("Verify %1"), person_text(view.other_user, names)))
        self.status = QLabel()
        self.status.setObjectName("verificationStatus")
        self.status.setWordWrap(True)
        self.device = QLabel()
        self.device.setTextFormat(Qt.TextFormat.PlainText)
        self.emoji_row = QHBoxLayout()
        self.cells: list[tuple[QLabel, QLabel]] = [self._cell() for _ in range(7)]
        self.decimals = QLabel()
        self.decimals.setObjectName("verificationDecimals")
        self.decimals.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.accept_button = self._button(self.tr("&Verify"), "accept")
        self.match_button = self._button(self.tr("They &match"), "confirm")
        self.mismatch_button = self._button(self.tr("They &don't match"), "mismatch")
        self.cancel_button = self._button(self.tr("&Cancel"), "cancel")
        self.close_button = QPushButton(self.tr("C&lose"))
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.accept_button, self.mismatch_button, self.match_button):
            buttons.addWidget(button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.device)
        layout.addLayout(self.emoji_row)
        layout.addWidget(self.decimals)
        layout.addLayout(buttons)
        self.view = view
        self.show_view(view)

    def _cell(self) -> tuple[QLabel, QLabel]:
        symbol, name = QLabel(), QLabel()
        font = QFont(symbol.font())
        font.setPointSize(_EMOJI_POINTS)
        symbol.setFont(font)
        for label in (symbol, name):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column = QVBoxLayout()
        column.addWidget(symbol)
        column.addWidget(name)
        self.emoji_row.addLayout(column)
        return symbol, name

    def _button(self, text: str, choice: str) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: self.chosen.emit(self.key, choice))
        return button

    def show_view(self, view: VerificationView) -> None:
        """Paint where the verification stands now."""
        self.view = view
        self.status.setText(status_text(view, self.names))
        device = view.other_device
        self.device.setText(fill(self.tr("Device: %1"), device) if device else "")
        showing = bool(view.emoji) and view.phase in (Phase.SHOWING, Phase.CONFIRMED)
        for index, (symbol, name) in enumerate(self.cells):
            shown = emoji_cell(view.emoji[index]) if showing else ("", "")
            symbol.setText(shown[0])
            name.setText(shown[1])
            symbol.setVisible(showing)
            name.setVisible(showing)
        numbers = " ".join(digits(str(n)) for n in view.decimals)
        self.decimals.setText(
            fill(self.tr("Or compare the numbers: %1"), numbers) if showing else ""
        )
        self.decimals.setVisible(showing)
        self.accept_button.setVisible(view.incoming and view.phase is Phase.REQUESTED)
        self.match_button.setVisible(view.phase is Phase.SHOWING)
        self.mismatch_button.setVisible(view.phase is Phase.SHOWING)
        self.cancel_button.setVisible(not view.finished)
        self.close_button.setVisible(view.finished)
        if view.phase is Phase.SHOWING:
            self.match_button.setDefault(True)

    def send_with(self, act: Callable[[str, str], None]) -> None:
        self.chosen.connect(act)
