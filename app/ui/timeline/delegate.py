"""One delegate paints every timeline row (no widget per event).

A row is a stack of text blocks (header, an entry's kind/status/title line, one block per
paragraph, an entry's details). Each block is laid out in its own direction (Arabic
right-to-left, English left-to-right), whatever the window's direction; state is shown
in words, not only colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter, QPalette, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.core.text import is_rtl, isolate
from app.core.timeline import paragraphs
from app.ui.people import avatar_pixmap
from app.ui.texts import digits, fill, tr
from app.ui.theme import readable
from app.ui.timeline.model import RowRole, TimelineModel
from app.ui.timeline.rows import RowKind, TimelineRow, kind_label, status_label
from app.ui.widgets import ERROR_COLOUR

_PAD = 6
_AVATAR = 28  # px: a person's initials in their colour, beside what they said
_AVATAR_SPACE = _AVATAR + _PAD
_Index = QModelIndex | QPersistentModelIndex
_WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.TextFlag.TextWrapAnywhere)
# Settled statuses read at a glance; a false or retracted report keeps its mark in red.
_STATUS_COLOURS = {"confirmed": "#1b6e20", "disputed": "#9a5b00"}
_WARNING_STATUSES = {"false", "retracted"}


def _state_label(kind: RowKind) -> str:
    return {
        RowKind.PENDING: tr("sending…"),
        RowKind.FAILED: tr("not sent: refused by the server"),
        RowKind.UNDECRYPTED: tr("locked"),
        RowKind.MALFORMED: tr("malformed"),
        RowKind.FORGED: tr("forged"),
        RowKind.UNVERIFIED: tr("unverified device"),
        RowKind.DIFFERS: tr("records differ"),
        RowKind.IDENTITY_CHANGED: tr("identity changed"),
    }.get(kind, "")


def _when(ms: int, fmt: str = "%H:%M:%S") -> str:
    """A time to paint; '' for none, or for one no clock shows (a row must always paint)."""
    try:
        return digits(datetime.fromtimestamp(ms / 1000).strftime(fmt)) if ms else ""
    except (ValueError, OverflowError, OSError):
        return ""


_STYLES = ("header", "title", "body", "meta", "notice", "image")


def _styled(base: QFont, style: str) -> QFont:
    font = QFont(base)
    if style in ("header", "meta", "notice"):
        font.setPointSizeF(max(base.pointSizeF() * 0.85, 7))
    elif style == "title":
        font.setBold(True)
    return font


def _text_option(rtl: bool) -> QTextOption:
    text_option = QTextOption()
    text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    text_option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    # Absolute: the paragraph's own direction decides the side, not the window's.
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    text_option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
    return text_option


_TEXT_OPTIONS = {rtl: _text_option(rtl) for rtl in (False, True)}  # painted with, read-only


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    style: str  # header | title | body | meta | notice
    rtl: bool | None  # None: the interface's direction (app wording around user text)
    colour: str = ""  # '' for the style's own colour
    image: QImage | None = None  # an attachment's preview (style 'image')


@dataclass(frozen=True, slots=True)
class _Layout:
    """What a row paints, top to bottom, and how tall each part is."""

    blocks: list[_Block]
    heights: list[int]


def _entry_blocks(row: TimelineRow) -> list[_Block]:
    entry = row.entry
    assert entry is not None
    status = row.status
    head = f"{kind_label(entry.kind).upper()} · {status_label(status)} — {entry.title}"
    colour = ERROR_COLOUR if status in _WARNING_STATUSES else _STATUS_COLOURS.get(status, "")
    blocks = [_Block(head, "title", is_rtl(entry.title), colour)]
    blocks += [_Block(text, "body", rtl) for text, rtl in paragraphs(entry.body)]
    details = []
    if entry.occurred_at is not None:
        details.append(fill(tr("happened %1"), _when(entry.occurred_at, "%Y-%m-%d %H:%M")))
    if entry.location:
        details.append(fill(tr("at %1"), entry.location))
    if entry.tags:
        details.append(fill(tr("tags: %1"), ", ".join(entry.tags)))
    if entry.sources:
        details.append(fill(tr("sources: %1"), "; ".join(entry.sources)))
    changes = len(row.verification.history) - 1 if row.verification else 0
    if changes:
        details.append(fill(tr("%1 verification changes (Enter shows them)"), changes))
    if details:
        blocks.append(_Block("  ·  ".join(details), "meta", None))
    return blocks


def _relation_blocks(row: TimelineRow) -> tuple[list[_Block], list[_Block]]:
    """What other events say about a row: above it (what it answers), below it (edited,
    removed, pinned)."""
    above = [_Block(row.context, "meta", None)] if row.context else []
    below = []
    if row.edited is not None:
        below.append(_Block(tr("edited; Ctrl+U shows the original"), "meta", None))
    if row.removed_by:
        text = fill(tr("removed by %1; the archive keeps what it had"), row.removed_by)
        below.append(_Block(text, "meta", None, ERROR_COLOUR))
    if row.pinned:
        below.append(_Block(tr("pinned"), "meta", None))
    return above, below


def blocks_of(row: TimelineRow, name: str = "", continues: bool = False) -> list[_Block]:
    """What a row shows, top to bottom; a row that continues the one above (same person,
    moments later) has no header of its own."""
    if row.kind is RowKind.NOTICE:  # ``name``: its words with people's names for ids
        return [_Block(name or row.text, "notice", row.rtl)]
    parts = (name or row.sender, _when(row.ts), _state_label(row.kind))
    header = "  ·  ".join(isolate(part) for part in parts if part)
    above, below = _relation_blocks(row)
    blocks = [] if continues else [_Block(header, "header", False)]
    blocks += above
    if row.entry is not None:
        return blocks + _entry_blocks(row) + below
    bad = row.kind in (
        RowKind.FAILED,
        RowKind.MALFORMED,
        RowKind.FORGED,
        RowKind.UNVERIFIED,
        RowKind.DIFFERS,
        RowKind.IDENTITY_CHANGED,
    )
    colour = ERROR_COLOUR if bad else ""
    text = row.text if row.edited is None else row.edited
    blocks += [_Block(part, "body", rtl, colour) for part, rtl in paragraphs(text)]
    if row.preview is not None:
        blocks.append(_Block("", "image", None, image=row.preview))
    elif row.attachment is not None:
        blocks.append(_Block(tr("Enter saves the file"), "meta", None))
    if row.kind in (RowKind.MALFORMED, RowKind.FORGED, RowKind.UNVERIFIED, RowKind.DIFFERS):
        why = fill(tr("%1 — Enter shows the raw content"), row.detail) if row.detail else ""
        blocks.append(_Block(why or tr("Enter shows the raw content"), "meta", None))
    return blocks + below


class TimelineDelegate(QStyledItemDelegate):
    """Stacks a row's blocks; measures them the same way it paints them.

    A list view asks a row's size several times per layout; rows are immutable, so a
    size is measured once per row object, its neighbour above and width (a changed row
    is a new object).
    """

    _CACHE_ROWS = 5_000

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # By row object and width: (the row, the row above it, size).
        self._sizes: dict[tuple[int, int], tuple[TimelineRow, TimelineRow | None, QSize]] = {}
        # A row's blocks and their heights at one width: measured for its size, reused
        # by every paint (a new message scrolls the view and repaints every visible row).
        self._layouts: dict[tuple[Any, ...], tuple[TimelineRow, _Layout]] = {}
        self._font_sets: dict[str, dict[str, QFont]] = {}

    def _fonts(self, option: QStyleOptionViewItem) -> dict[str, QFont]:
        """Each block style's font in the view's font: made once per font, not per block
        of every row painted."""
        key = option.font.key()
        fonts = self._font_sets.get(key)
        if fonts is None:
            fonts = {style: _styled(option.font, style) for style in _STYLES}
            self._font_sets[key] = fonts
        return fonts

    def _layout(
        self,
        option: QStyleOptionViewItem,
        row: TimelineRow,
        name: str,
        continues: bool,
        width: int,
    ) -> _Layout:
        """The row's blocks and their heights at this width and font, measured once."""
        key = (id(row), width, name, continues, option.font.key())
        cached = self._layouts.get(key)
        if cached is not None and cached[0] is row:  # the same object, not a reused id
            return cached[1]
        blocks = blocks_of(row, name, continues)
        fonts = self._fonts(option)
        heights = [self._height(b, fonts[b.style], width) for b in blocks]
        layout = _Layout(blocks, heights)
        if len(self._layouts) >= self._CACHE_ROWS:
            self._layouts.clear()
        self._layouts[key] = (row, layout)
        return layout

    def _height(self, block: _Block, font: QFont, width: int) -> int:
        if block.image is not None:
            return self._image_rect(block.image, width).height()
        if block.style == "header":
            return QFontMetrics(font).height()
        box = QRect(0, 0, max(width, 50), 100_000)
        return QFontMetrics(font).boundingRect(box, _WRAP, block.text).height()

    @staticmethod
    def _image_rect(image: QImage, width: int) -> QRect:
        """The preview fitted into the row (at most 240 px high, never enlarged)."""
        size, room = image.size(), QSize(max(width, 50), 240)
        if size.width() > room.width() or size.height() > room.height():
            size = size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
        return QRect(0, 0, size.width(), size.height())

    @staticmethod
    def _width(option: QStyleOptionViewItem) -> int:
        return option.rect.width() - 2 * _PAD if option.rect.width() > 0 else 600

    @staticmethod
    def _who(index: _Index, row: TimelineRow) -> tuple[str, bool]:
        """The sender's display name (for a room change, its words with people's names),
        and whether the row continues the one above."""
        model = index.model()
        if not isinstance(model, TimelineModel):
            return "", False
        if row.kind is RowKind.NOTICE:
            return model.named(row.text), False
        return model.name_of(row.sender), model.continues(index.row())

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        row: TimelineRow = index.data(RowRole)
        width = self._width(option) - (0 if row.kind is RowKind.NOTICE else _AVATAR_SPACE)
        model = index.model()
        position = index.row()
        above = model.row(position - 1) if isinstance(model, TimelineModel) and position else None
        # A list view lays every row out again for each new one: a row whose neighbour
        # above is the same object (so it still does or does not continue it) keeps its
        # size without asking for names. A name sets no height but a room change's.
        key = (id(row), width)
        cached = self._sizes.get(key)
        if (
            cached is not None
            and cached[0] is row
            and cached[1] is above
            and row.kind is not RowKind.NOTICE
        ):
            return cached[2]
        name, continues = self._who(index, row)
        height = sum(self._layout(option, row, name, continues, width).heights)
        if not continues and row.kind is not RowKind.NOTICE:
            height = max(height, _AVATAR)
        size = QSize(width, height + 2 * _PAD)
        if len(self._sizes) >= self._CACHE_ROWS:
            self._sizes.clear()
        self._sizes[key] = (row, above, size)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row: TimelineRow = index.data(RowRole)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Highlight))
        area = option.rect.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        name, continues = self._who(index, row)
        if row.kind is not RowKind.NOTICE:  # the picture on the leading side, text beside it
            rtl_window = option.direction == Qt.LayoutDirection.RightToLeft
            if not continues:
                left = area.right() - _AVATAR + 1 if rtl_window else area.left()
                # Drawn once per person and size, then copied: a repaint draws many rows.
                ratio = painter.device().devicePixelRatioF()
                picture = avatar_pixmap(row.sender, name, _AVATAR, ratio)
                painter.drawPixmap(QRect(left, area.top(), _AVATAR, _AVATAR), picture)
            if rtl_window:
                area = area.adjusted(0, 0, -_AVATAR_SPACE, 0)
            else:
                area = area.adjusted(_AVATAR_SPACE, 0, 0, 0)
        muted = option.palette.color(QPalette.ColorRole.PlaceholderText)
        text_colour = option.palette.color(QPalette.ColorRole.Text)
        if row.kind in (RowKind.PENDING, RowKind.UNDECRYPTED):
            text_colour = muted
        top = area.top()
        layout = self._layout(option, row, name, continues, area.width())
        fonts = self._fonts(option)
        for block, height in zip(layout.blocks, layout.heights, strict=True):
            painter.setFont(fonts[block.style])
            faint = block.style in ("header", "meta", "notice")
            painter.setPen(
                readable(block.colour, option.palette)
                if block.colour
                else muted
                if faint
                else text_colour
            )
            box = QRect(area.left(), top, area.width(), height)
            if block.image is not None:  # on the leading side, like the sender's name
                frame = self._image_rect(block.image, area.width())
                rtl = option.direction == Qt.LayoutDirection.RightToLeft
                left = area.right() - frame.width() if rtl else area.left()
                painter.drawImage(frame.translated(left, top), block.image)
            elif block.style == "header":  # the window's direction: sender on the leading side
                align = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(box, align, block.text)
            else:
                rtl = block.rtl
                if rtl is None:
                    rtl = option.direction == Qt.LayoutDirection.RightToLeft
                painter.drawText(box, block.text, _TEXT_OPTIONS[rtl])
            top += height
        painter.restore()
