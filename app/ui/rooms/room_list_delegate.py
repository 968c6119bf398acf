"""The room list's rows: the name as the model gives it, and an unread badge at the
trailing edge (the left one in Arabic), as Element and WhatsApp show activity."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.rooms.room_list_model import UnreadRole

BADGE_COLOUR = QColor("#1f6feb")


class RoomListDelegate(QStyledItemDelegate):
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        unread = int(index.data(UnreadRole) or 0)
        if not unread:
            super().paint(painter, option, index)
            return
        text = str(unread) if unread < 1000 else "999+"
        metrics = option.fontMetrics
        width = max(metrics.height(), metrics.horizontalAdvance(text) + metrics.height() // 2)
        height = metrics.height()
        rtl = option.direction == Qt.LayoutDirection.RightToLeft
        rect = option.rect
        x = rect.left() + 4 if rtl else rect.right() - width - 4
        badge = QRect(x, rect.center().y() - height // 2, width, height)
        shrunk = QStyleOptionViewItem(option)
        if rtl:
            shrunk.rect = rect.adjusted(width + 8, 0, 0, 0)
        else:
            shrunk.rect = rect.adjusted(0, 0, -(width + 8), 0)
        # The row's selection background spans the whole row, badge included.
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter)
        super().paint(painter, shrunk, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BADGE_COLOUR)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
