"""The EXERCISE (or DETAILS PENDING) marking on a chart's picture: a picture that
circulates must never pass for the real situation."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from app.ui.session_marking import PENDING_COLOUR, Marking
from app.ui.widgets import EXERCISE_COLOUR

EXERCISE_STRIP = QColor(EXERCISE_COLOUR)  # the yellow of the EXERCISE banner on every screen
PENDING_STRIP = QColor(PENDING_COLOUR)  # the grey of "details pending" on every screen


def marked_image(image: QImage, marking: Marking) -> QImage:
    """A picture of an exercise chart, or of a session whose details are still pending,
    carries its marking inside the pixels (a strip on top, which a crop cannot take
    without taking the title) and in the PNG's text, so a picture that circulates can
    never pass for the real situation."""
    banner = marking.text()
    if not banner:
        return image
    strip = max(24, image.height() // 12)
    out = QImage(image.width(), image.height() + strip, QImage.Format.Format_ARGB32)
    out.fill(PENDING_STRIP if marking is Marking.PENDING else EXERCISE_STRIP)
    painter = QPainter(out)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(strip * 2 // 3)
    painter.setFont(font)
    painter.setPen(QColor("#000000"))
    painter.drawText(QRect(0, 0, out.width(), strip), Qt.AlignmentFlag.AlignCenter, banner)
    painter.drawImage(0, strip, image)
    painter.end()
    out.setText("Marking", banner)
    return out
