"""An image message's preview, decoded small and only if its size is sane."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader

PREVIEW_WIDTH = 480
MAX_PREVIEW_PIXELS = 50_000_000  # e.g. 8000 x 6000: larger is no photo a preview needs


def preview_of(data: bytes) -> QImage | None:
    """A small image decoded at preview size (on the UI thread, so bounded): the header
    is read first, and a picture of absurd dimensions (a decompression bomb) is skipped."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_PREVIEW_PIXELS:
        return None
    if size.width() > PREVIEW_WIDTH:  # a preview, not the photo: decode it scaled down
        reader.setScaledSize(
            size.scaled(PREVIEW_WIDTH, size.height(), Qt.AspectRatioMode.KeepAspectRatio)
        )
    image = reader.read()
    return None if image.isNull() else image
