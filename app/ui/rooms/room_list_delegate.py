"""The room list's rows as Element and WhatsApp draw them: the name with the last
message's time at the trailing edge (the left one in Arabic), beneath it who said what
last, and badges for unread messages and, apart, for a message that names me. A session's
heading leads with its mark (EXERCISE…) as a filled pill: a title can hold the mark's
words, never the pill.

Colours come from the palette (text, muted text, highlight), so a row reads in light and
dark alike; only the badges have their own, with white on them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.rooms.room_list_model import (
    MarkRole,
    MentionRole,
    PreviewRole,
    SizeKeyRole,
    TimeRole,
    UnreadRole,
)
from app.ui.session_marking import Badge
from app.ui.texts import digits

BADGE_COLOUR = QColor("#1f6feb")
MENTION_COLOUR = QColor("#d1242f")
_PAD = 4
_OUTLINE = 2  # px: the line of an outlined pill

_Index = QModelIndex | QPersistentModelIndex


def _small(font: QFont) -> QFont:
    smaller = QFont(font)
    smaller.setPointSizeF(max(font.pointSizeF() * 0.85, 7))
    smaller.setBold(False)
    return smaller


class RoomListDelegate(QStyledItemDelegate):
    """Paints a room's row; measures it once for each name, weight and font it has.

    Why the measures are kept: Qt asks a row's size several times for every message
    that changes it (placing the row, finding its rectangle, painting it), and each
    answer is a dozen Python ``data`` calls through ``initStyleOption`` and the style's
    text measuring, some 0.2 ms each on a busy box, though only the name, its weight and
    whether a preview line shows can change the size (``SizeKeyRole``); a message
    changes the preview's text and the badges, not the size."""

    _MOST_SIZES = 4096  # a few per room (bold or not, preview or not); then start over

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[object, ...], QSize] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        row = index.data(SizeKeyRole)
        if row is None:  # a model that does not say what the size follows
            return self._measure(option, index)
        wraps = bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText)
        decoration = option.decorationSize
        font = QFont(option.font)  # hashed and compared as Qt does (its key() is slower)
        key = (row, font, decoration.width(), decoration.height(), wraps)
        if wraps:
            key += (option.rect.width(),)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) >= self._MOST_SIZES:
                self._sizes.clear()
            size = self._sizes[key] = self._measure(option, index)
        return QSize(size)

    def _measure(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        # As wide as the list, never wider: a long name is elided, the time and badges
        # stay in sight instead of behind a horizontal scroll bar.
        size.setWidth(min(size.width(), 120))
        if index.data(MarkRole) is not None:  # the pill whole, a margin above and below
            bold = QFont(option.font)
            bold.setBold(True)
            size.setHeight(max(size.height(), QFontMetrics(bold).height() + 2 * _PAD))
        if index.data(PreviewRole):
            size.setHeight(size.height() + QFontMetrics(_small(option.font)).height() + _PAD)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        preview = index.data(PreviewRole) or ""
        badges = self._badges(index)
        moment = index.data(TimeRole) or ""
        mark: Badge | None = index.data(MarkRole)
        if not (preview or badges or moment or mark):
            super().paint(painter, option, index)
            return
        rtl = option.direction == Qt.LayoutDirection.RightToLeft
        style = option.widget.style() if option.widget else None
        if style is not None:  # the selection background spans the whole row
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        small = _small(option.font)
        line = QFontMetrics(option.font).height()
        # The name's line, then the preview's to the row's bottom; nothing is painted
        # outside the row (a row repainted alone must not leave marks on its neighbour).
        top = option.rect.adjusted(_PAD, _PAD // 2, -_PAD, 0)
        top.setHeight(min(line + _PAD, option.rect.bottom() - top.top() + 1))
        painter.save()
        painter.setClipRect(option.rect)
        trailing = self._paint_badges(painter, top, badges, rtl, option)
        ink = option.palette.color(text_role)
        leading = self._paint_mark(painter, top, mark, rtl, option, ink=ink) if mark else 0
        if moment:
            painter.setFont(small)
            painter.setPen(option.palette.color(text_role))
            width = QFontMetrics(small).horizontalAdvance(moment) + _PAD
            box = QRect(top.left() + trailing, top.top(), width, top.height())
            if not rtl:
                box.moveRight(top.right() - trailing)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, moment)
            trailing += width + _PAD
        name = (
            top.adjusted(trailing, 0, -leading, 0)
            if rtl
            else top.adjusted(leading, 0, -trailing, 0)
        )
        shrunk = QStyleOptionViewItem(option)
        shrunk.rect = name
        shrunk.state &= ~QStyle.StateFlag.State_HasFocus  # no frame inside the row
        super().paint(painter, shrunk, index)  # the name as the model styles it (bold…)
        if preview:
            painter.setFont(small)
            muted = QPalette.ColorRole.PlaceholderText
            painter.setPen(option.palette.color(text_role if selected else muted))
            height = QFontMetrics(small).height()
            below = QRect(top.left() + 3 * _PAD, top.bottom(), top.width() - 4 * _PAD, height)
            below.setBottom(min(below.bottom(), option.rect.bottom()))  # not a pixel below
            elide = Qt.TextElideMode.ElideRight
            shown = QFontMetrics(small).elidedText(preview, elide, below.width())
            align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
            painter.drawText(below, align | Qt.AlignmentFlag.AlignTop, shown)
        painter.restore()

    @staticmethod
    def _badges(index: _Index) -> list[tuple[str, QColor]]:
        unread = int(index.data(UnreadRole) or 0)
        badges = [("@", MENTION_COLOUR)] if index.data(MentionRole) else []
        if unread:
            badges.append((digits(str(unread) if unread < 1000 else "999+"), BADGE_COLOUR))
        return badges

    @staticmethod
    def _paint_mark(
        painter: QPainter,
        row: QRect,
        mark: Badge,
        rtl: bool,
        option: QStyleOptionViewItem,
        *,
        ink: QColor,
    ) -> int:
        """The session's mark as a pill at the leading edge, in bold: filled in its own
        colour, or outlined in the row's text colour ``ink`` (a real session's "not an
        exercise": plain, neither an exercise's yellow nor a refusal's red); returns how
        much of the row it took."""
        bold = QFont(option.font)
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        # Never taller than the row, nor reaching out of it (the painter is clipped to the
        # row): a pill missing its bottom line reads as [brackets] around its words.
        height = min(metrics.height(), option.rect.height())
        width = metrics.horizontalAdvance(mark.text) + metrics.height()
        x = row.right() - width if rtl else row.left()
        y = min(row.center().y() - height // 2, option.rect.bottom() + 1 - height)
        pill = QRect(x, max(y, option.rect.top()), width, height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shape = QRectF(pill)
        if mark.background:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(mark.background))
        else:  # a line just inside the pill's edge, in whole pixels
            painter.setPen(QPen(ink, _OUTLINE))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            half = _OUTLINE / 2
            shape.adjust(half, half, -half, -half)
        painter.drawRoundedRect(shape, 3, 3)
        painter.setPen(QColor(mark.foreground) if mark.foreground else ink)
        painter.setFont(bold)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, mark.text)
        return width + _PAD

    @staticmethod
    def _paint_badges(
        painter: QPainter,
        row: QRect,
        badges: list[tuple[str, QColor]],
        rtl: bool,
        option: QStyleOptionViewItem,
    ) -> int:
        """Pills from the trailing edge inwards; returns how much of the row they took."""
        metrics = option.fontMetrics
        height = metrics.height()
        taken = 0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for text, colour in badges:
            width = max(height, metrics.horizontalAdvance(text) + height // 2)
            x = row.left() + taken if rtl else row.right() - taken - width
            badge = QRect(x, row.center().y() - height // 2, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(badge, height / 2, height / 2)
            painter.setPen(QColor("#ffffff"))
            painter.setFont(option.font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
            taken += width + _PAD
        return taken
