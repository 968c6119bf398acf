"""One delegate paints every timeline row (no widget per event).

Each message is laid out in its own direction (Arabic right-to-left, English left-to-
right), whatever the window's direction; state is shown in words, not only colour.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.core.text import isolate
from app.ui.texts import tr
from app.ui.timeline_model import RowRole
from app.ui.timeline_rows import RowKind, TimelineRow
from app.ui.widgets import ERROR_COLOUR

_PAD = 6
_Index = QModelIndex | QPersistentModelIndex


def _state_label(kind: RowKind) -> str:
    return {
        RowKind.PENDING: tr("sending…"),
        RowKind.FAILED: tr("not sent: refused by the server"),
        RowKind.UNDECRYPTED: tr("locked"),
        RowKind.MALFORMED: tr("malformed"),
        RowKind.FORGED: tr("forged"),
    }.get(kind, "")


class TimelineDelegate(QStyledItemDelegate):
    """Header line (sender, time, state) above the wrapped message text."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() * 0.85, 7))
        return small, option.font

    def _text_option(self, row: TimelineRow) -> QTextOption:
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        rtl = row.rtl
        text_option.setTextDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        # Absolute: the paragraph's own direction decides the side, not the window's.
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        text_option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
        return text_option

    def _body_height(self, row: TimelineRow, font: QFont, width: int) -> int:
        metrics = QFontMetrics(font)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.TextFlag.TextWrapAnywhere)
        return metrics.boundingRect(QRect(0, 0, max(width, 50), 100_000), flags, row.text).height()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        row: TimelineRow = index.data(RowRole)
        small, body = self._fonts(option)
        width = option.rect.width() - 2 * _PAD if option.rect.width() > 0 else 600
        header = QFontMetrics(small).height() if row.kind is not RowKind.NOTICE else 0
        return QSize(width, header + self._body_height(row, body, width) + 2 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row: TimelineRow = index.data(RowRole)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Highlight))
        small, body = self._fonts(option)
        area = option.rect.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        muted = option.palette.color(QPalette.ColorRole.PlaceholderText)
        if row.kind is RowKind.NOTICE:
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(area, row.text, self._text_option(row))
            painter.restore()
            return
        header_h = QFontMetrics(small).height()
        painter.setFont(small)
        painter.setPen(muted)
        when = datetime.fromtimestamp(row.ts / 1000).strftime("%H:%M:%S") if row.ts else ""
        parts = (row.sender, when, _state_label(row.kind))
        header = "  ·  ".join(isolate(part) for part in parts if part)
        align = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(area.left(), area.top(), area.width(), header_h), align, header)
        painter.setFont(body)
        color = option.palette.color(QPalette.ColorRole.Text)
        if row.kind in (RowKind.FAILED, RowKind.MALFORMED, RowKind.FORGED):
            color = QColor(ERROR_COLOUR)
        elif row.kind in (RowKind.PENDING, RowKind.UNDECRYPTED):
            color = muted
        painter.setPen(color)
        painter.drawText(area.adjusted(0, header_h, 0, 0), row.text, self._text_option(row))
        painter.restore()
