"""The EXERCISE marking on a chart's picture: a picture that circulates must never pass
for the real situation."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

EXERCISE_STRIP = QColor("#ffd54f")  # the yellow of the EXERCISE banner on every screen


def marked_image(image: QImage, banner: str) -> QImage:
    """A picture of an exercise chart carries its marking inside the pixels (a strip on
    top, which a crop cannot take without taking the title) and in the PNG's text, so a
    picture that circulates can never pass for the real situation."""
    if not banner:
        return image
    strip = max(24, image.height() // 12)
    out = QImage(image.width(), image.height() + strip, QImage.Format.Format_ARGB32)
    out.fill(EXERCISE_STRIP)
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
