"""The timeline's list view: row heights kept in a list with running totals.

Why not a plain ``QListView``: it forgets its whole layout on every inserted or changed
row and lays out the loaded page again (a Python ``sizeHint`` per row, 200 rows and more),
and a scroll repaints every visible row. A new message arriving at the bottom then cost
the UI thread ~25 ms. Here a new row is measured alone and appended to the running
totals, scrolling moves the pixels already drawn (only the uncovered strip is painted),
and painting finds the visible rows by bisection. It is still a ``QListView`` to the rest
of the app (Qt's keyboard, selection, mouse, accessibility and scroll bars go through the
virtual hooks overridden here). A row is measured at the width it is painted at, beside
the scroll bar when it shows (the list view measured without it, so a line wrapped there
overlapped the next row), and every row again when that width changes.

Rows inserted above what is shown (an older page, a late row) leave the shown rows where
they are on screen.

Opening a room measures only the rows the reader sees at the bottom and a page above;
the others get a guessed height and are measured in small slices while the app is idle,
or at once when scrolled to. A guess corrected above what is shown moves the scroll value
by the difference, so what is on screen stays still (the scroll bar is approximate until
then).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QModelIndex,
    QPoint,
    QRect,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QRegion, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyleOptionViewItem, QWidget

from app.ui.timeline.accessibility import announce_changed
from app.ui.timeline.navigation import RowNavigation
from app.ui.timeline.row_heights import RowHeights

_Index = QModelIndex
_BOTTOM_SLACK = 4  # px: a reader this close to the end is at the bottom
_SLICE = 16  # guessed rows measured per idle turn (~4 ms)


class TimelineView(RowNavigation, QListView):
    """A top-to-bottom list of rows of their own heights, scrolled by the pixel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows_h = RowHeights()
        self._width = -1  # the width the heights were measured at
        self._dirty = QRegion()  # uncovered or changed, not yet painted
        self.was_at_bottom = True  # when the rows last inserted came
        self._opened_at = -1  # where rows were just removed, to be replaced in place
        self._correcting = False  # the scroll value follows corrected guesses: nothing moves
        self._slicing = False  # a slice of guessed rows is due between events
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)

    # -- what the app asks -----------------------------------------------------------------

    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - _BOTTOM_SLACK

    def paint_now(self) -> None:
        """Paint what changed (a new row, the strip a scroll uncovered) before returning,
        not the whole viewport: the rest of it is already on screen."""
        if self._dirty.isEmpty() or not self.isVisible():
            return
        dirty, self._dirty = self._dirty, QRegion()
        self.viewport().repaint(dirty)

    # -- measuring -------------------------------------------------------------------------

    def _measure(self, first: int, last: int) -> list[int]:
        return self._measure_rows(range(first, last + 1))

    def _measure_rows(self, rows: Iterable[int]) -> list[int]:
        """Rows' heights: the delegate's size hint at the viewport's width, the one
        ``_rect`` paints them at (beside the scroll bar when it shows, either side)."""
        model = self.model()
        if model is None:
            return []
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = QRect(0, 0, self._width, self.viewport().height())
        delegate = self.itemDelegate()
        root = self.rootIndex()
        return [delegate.sizeHint(option, model.index(row, 0, root)).height() for row in rows]

    def _rows(self) -> int:
        model = self.model()
        return model.rowCount(self.rootIndex()) if model is not None else 0

    def _relayout(self) -> None:
        """Every row at the viewport's width; a reader at the bottom (or opening the room)
        waits only for the bottom two pages, the rows above are guessed for now."""
        self._width = self.viewport().width()
        count = self._rows()
        if self._rows_h and not self.at_bottom():
            self._rows_h.replace(self._measure(0, count - 1))
            return
        bottom: list[int] = []
        first = count
        while first > 0 and sum(bottom) < 2 * self.viewport().height():
            start = max(first - _SLICE // 2, 0)
            bottom[0:0] = self._measure(start, first - 1)
            first = start
        self._rows_h.guess(count, bottom)
        self._slice_later()

    def _slice_later(self) -> None:
        if not self._slicing and self._rows_h.last_guessed(1):
            self._slicing = True
            QTimer.singleShot(0, self, self._measure_slice)

    def _measure_slice(self) -> None:
        """Measure the next few guessed rows from the bottom up, between events (a
        hidden view's wait till it paints again)."""
        self._slicing = False
        shown = self.isVisible() and not self._stale()
        rows = self._rows_h.last_guessed(_SLICE) if shown else []
        if rows:
            self._settle(rows)
            self._slice_later()

    def _settle(self, rows: list[int]) -> None:
        """Measure guessed rows; those starting above the view move the scroll value by
        what they changed, so the rows on screen (and a reader at the bottom) stay put."""
        value, shift = self.verticalOffset(), 0
        for row, height in zip(rows, self._measure_rows(rows), strict=True):
            if self._rows_h.top(row) < value:
                shift += height - self._rows_h.heights[row]
            self._rows_h.set(row, [height])
        self._rows_h.totals()
        self._correcting = True
        try:
            self.updateGeometries()
            self.verticalScrollBar().setValue(value + shift)
        finally:
            self._correcting = False

    def _settle_shown(self) -> bool:
        """Measure the guessed rows shown and a page either side before they are painted
        (a page above: scrolling up by a page shows only measured rows); True if any."""
        settled = False
        if self._stale():  # rows not yet laid out: ``_ensure`` measures them first
            return settled
        for _ in range(4):  # a correction moves the window; each pass measures more of it
            value, page = self.verticalOffset(), self.viewport().height()
            shown = self._rows_h.between(max(value - page, 0), value + 2 * page)
            rows = self._rows_h.guessed_in(shown)
            if not rows:
                break
            self._settle(rows)
            settled = True
        return settled

    def _stale(self, coming: int = 0) -> bool:
        """Heights not for the model's rows (but those ``coming``) at the viewport's width."""
        return len(self._rows_h) + coming != self._rows() or self._width != self.viewport().width()

    def _ensure(self) -> None:
        if self._stale():
            self._relayout()

    def _remeasure(self, row: int) -> bool:
        """Measure one row again (its neighbour above changed); True if it changed."""
        if not 0 <= row < len(self._rows_h):
            return False
        (height,) = self._measure(row, row)
        changed = height != self._rows_h.heights[row]
        self._rows_h.set(row, [height])
        return changed

    def _changed_from(self, row: int) -> None:
        """Everything from this row down may have moved: repaint what of it is shown."""
        self._rows_h.totals()
        self.updateGeometries()
        top = self._rows_h.top(min(row, len(self._rows_h))) - self.verticalOffset()
        viewport = self.viewport().rect()
        if top < viewport.bottom():
            self._mark(QRect(0, max(top, 0), viewport.width(), viewport.height()))

    def _mark(self, rect: QRect) -> None:
        self._dirty += rect
        self.viewport().update(rect)

    # -- Qt's layout hooks -------------------------------------------------------------------

    def doItemsLayout(self) -> None:
        with self._bottom_kept():
            self._relayout()
            QAbstractItemView.doItemsLayout(self)  # scroll bars, then one repaint

    @contextmanager
    def _bottom_kept(self) -> Iterator[None]:
        """A reader at the bottom stays there when the rows are measured again or the
        window changes size (rows wrap anew): the next message shows without scrolling."""
        bottom = self.at_bottom() and bool(self._rows_h.heights)
        yield
        if bottom:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())

    def reset(self) -> None:
        self._rows_h.clear()
        super().reset()

    def rowsInserted(self, parent: _Index, start: int, end: int) -> None:
        self.was_at_bottom = self.at_bottom()
        if parent != self.rootIndex() or self._stale(end - start + 1):
            self._relayout()
            self._changed_from(0)
        elif (
            self._rows_h.top(start) <= self.verticalOffset()
            and start < len(self._rows_h)
            and start != self._opened_at
        ):
            self._insert(start, end)  # above what is shown: what the reader sees stays
            bar = self.verticalScrollBar()
            before = self._rows_h.total
            self._rows_h.totals()
            self.updateGeometries()
            bar.setValue(bar.value() + self._rows_h.total - before)
            self._mark(self.viewport().rect())
        else:  # below the top, or a row opened in place (a fold): shown where it is
            self._insert(start, end)
            self._changed_from(start)
        self._opened_at = -1
        QAbstractItemView.rowsInserted(self, parent, start, end)

    def _insert(self, start: int, end: int) -> None:
        self._rows_h.insert(start, self._measure(start, end))
        self._remeasure(end + 1)  # it may no longer continue the row above it

    def rowsAboutToBeRemoved(self, parent: _Index, start: int, end: int) -> None:
        """Past the list view's own, which would forget its layout; the heights go once
        the rows have (``_rows_removed``)."""
        QAbstractItemView.rowsAboutToBeRemoved(self, parent, start, end)

    def _rows_removed(self, parent: _Index, start: int, end: int) -> None:
        if parent != self.rootIndex():
            return
        self._rows_h.remove(start, end)
        self._remeasure(start)
        self._changed_from(start)
        self._opened_at = start  # rows inserted here next replace it (a fold opening)

    def setModel(self, model: object) -> None:
        """Rows removed from the model set before no longer reach this view's heights."""
        if (old := self.model()) is not None:
            old.rowsRemoved.disconnect(self._rows_removed)
        super().setModel(model)  # type: ignore[arg-type]
        if model is not None:
            model.rowsRemoved.connect(self._rows_removed)  # type: ignore[attr-defined]
        self._rows_h.clear()

    def dataChanged(self, top_left: _Index, bottom_right: _Index, roles: object = ()) -> None:
        self._ensure()
        first, last = top_left.row(), bottom_right.row()
        measured = self._measure(first, last)
        moved = measured != self._rows_h.heights[first : last + 1]
        self._rows_h.set(first, measured)
        moved = self._remeasure(last + 1) or moved
        if moved:
            self._changed_from(first)
        else:
            shown = self.viewport().rect()
            for row in range(first, min(last + 2, len(self._rows_h))):
                rect = self._rect(row)
                if rect.intersects(shown):
                    self._mark(rect)
        announce_changed(self, top_left, bottom_right)

    def updateGeometries(self) -> None:
        self._ensure()
        vertical, horizontal = self.verticalScrollBar(), self.horizontalScrollBar()
        height = self.viewport().height()
        horizontal.setRange(0, 0)
        vertical.setPageStep(height)
        if self._rows_h.heights:
            vertical.setSingleStep(self._rows_h.heights[0])  # as the list view steps: row 0
        vertical.setRange(0, max(self._rows_h.total - height, 0))
        QAbstractItemView.updateGeometries(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new width (the window's, the scroll bar shown or hidden) is measured now, in
        ``updateGeometries``: a row painted first would overlap the next with its text."""
        with self._bottom_kept():
            QAbstractItemView.resizeEvent(self, event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Move what is drawn; only the strip it uncovers is painted."""
        viewport = self.viewport()
        if not dy or self._correcting:
            return
        self._settle_shown()
        viewport.scroll(0, dy)
        rect = viewport.rect()
        if dy < 0:
            self._dirty += QRect(0, rect.height() + dy, rect.width(), -dy)
        else:
            self._dirty += QRect(0, 0, rect.width(), dy)

    def verticalScrollbarValueChanged(self, _value: int) -> None:
        """Qt's own asks the window system where the pointer is on every scroll step (a
        round trip to the X server) to repaint the rows under it as hovered; rows here
        draw no hover, so a new message repaints itself alone. Hover still follows the
        pointer when it moves; nothing here fetches more at the bottom (history grows at
        the top, see the controller)."""

    # -- geometry ----------------------------------------------------------------------------

    def _rect(self, row: int) -> QRect:
        top = self._rows_h.top(row) - self.verticalOffset()
        return QRect(0, top, self.viewport().width(), self._rows_h.heights[row])

    def _row_at(self, y: int) -> int:
        """The row at a viewport height, or -1."""
        return self._rows_h.row_at(y + self.verticalOffset())

    def visualRect(self, index: _Index) -> QRect:
        self._ensure()
        if not index.isValid() or index.parent() != self.rootIndex():
            return QRect()
        if not 0 <= index.row() < len(self._rows_h):
            return QRect()
        return self._rect(index.row())

    def indexAt(self, point: QPoint) -> QModelIndex:
        self._ensure()
        model = self.model()
        if model is None or not 0 <= point.x() < self.viewport().width():
            return QModelIndex()
        row = self._row_at(point.y())
        return model.index(row, 0, self.rootIndex()) if row >= 0 else QModelIndex()

    def horizontalOffset(self) -> int:
        return 0

    def verticalOffset(self) -> int:
        return self.verticalScrollBar().value()

    # -- painting ----------------------------------------------------------------------------

    def _rows_in(self, region: QRegion) -> list[int]:
        """The rows a paint's region touches, in order: a new row and the row under the
        pointer (hovered anew as the view scrolls) are painted, not every row between."""
        rows: set[int] = set()
        offset = self.verticalOffset()
        for rect in region:
            rows.update(self._rows_h.between(max(rect.top(), 0) + offset, rect.bottom() + offset))
        return sorted(rows)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Each row the paint touches, as the list view would paint it."""
        self._ensure()
        if self._settle_shown():  # shown before any scroll measured them: all moved
            self.viewport().update()
        self._slice_later()
        self._dirty -= event.region()
        model, selections = self.model(), self.selectionModel()
        rows = self._rows_in(event.region())
        if model is None or not rows:
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        state = option.state
        current = self.currentIndex()
        focus = (self.hasFocus() or self.viewport().hasFocus()) and current.isValid()
        root, delegate = self.rootIndex(), self.itemDelegate()
        painter = QPainter(self.viewport())
        for row in rows:
            index = model.index(row, 0, root)
            option.rect = self._rect(row)
            option.state = state
            if selections is not None and selections.isSelected(index):
                option.state |= QStyle.StateFlag.State_Selected
            if state & QStyle.StateFlag.State_Enabled:
                enabled = bool(model.flags(index) & Qt.ItemFlag.ItemIsEnabled)
                if not enabled:
                    option.state &= ~QStyle.StateFlag.State_Enabled
                group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
                option.palette.setCurrentColorGroup(group)
            if focus and index == current:
                option.state |= QStyle.StateFlag.State_HasFocus
            delegate.paint(painter, option, index)
        painter.end()
