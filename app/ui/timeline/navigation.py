"""How keys, selection and ``scrollTo`` find the timeline's rows.

Qt's list view answers these from its own layout, which the timeline view does not keep:
here they read the view's row heights (``_rows_h``) and find rows by their running totals.
A mixin ahead of ``QListView`` in ``TimelineView``'s bases, kept apart so the view module
holds measuring and painting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QRect, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QAbstractItemView

if TYPE_CHECKING:
    from app.ui.timeline.row_heights import RowHeights

_Index = QModelIndex


class RowNavigation(QAbstractItemView if TYPE_CHECKING else object):
    """Cursor moves, rubber-band selection and scrolling to a row, by the rows' heights."""

    if TYPE_CHECKING:  # the view's, which this reads
        _rows_h: RowHeights

        def _ensure(self) -> None: ...

        def _row_at(self, y: int) -> int: ...

    def scrollTo(
        self,
        index: _Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        rect = self.visualRect(index)
        if not rect.isValid():
            return
        area = self.viewport().rect()
        hints = QAbstractItemView.ScrollHint
        if hint == hints.EnsureVisible and area.contains(rect):
            self.viewport().update(rect)
            return
        above = hint == hints.EnsureVisible and rect.top() < area.top()
        below = hint == hints.EnsureVisible and rect.bottom() > area.bottom()
        value = self.verticalScrollBar().value()
        if hint == hints.PositionAtTop or above:
            value += rect.top()
        elif hint == hints.PositionAtBottom or below:
            value += min(rect.top(), rect.bottom() - area.height() + 1)
        elif hint == hints.PositionAtCenter:
            value += rect.top() - (area.height() - rect.height()) // 2
        self.verticalScrollBar().setValue(value)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, _modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        self._ensure()
        model, count = self.model(), len(self._rows_h)
        if model is None or not count:
            return QModelIndex()
        current = self.currentIndex()
        if not current.isValid():
            return model.index(0, 0, self.rootIndex())
        row, moves = current.row(), QAbstractItemView.CursorAction
        page = self.viewport().height()
        if action in (moves.MoveUp, moves.MovePrevious):
            row -= 1
        elif action in (moves.MoveDown, moves.MoveNext):
            row += 1
        elif action == moves.MoveHome:
            row = 0
        elif action == moves.MoveEnd:
            row = count - 1
        elif action == moves.MovePageUp:
            row = min(self._rows_h.first_from(self._rows_h.top(row) - page), row - 1)
        elif action == moves.MovePageDown:
            row = max(self._rows_h.first_from(self._rows_h.top(row) + page) - 1, row + 1)
        return model.index(max(0, min(row, count - 1)), 0, self.rootIndex())

    def setSelection(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        self._ensure()
        model, selections = self.model(), self.selectionModel()
        if model is None or selections is None:
            return
        shown = rect.normalized()
        first, last = self._row_at(max(shown.top(), 0)), self._row_at(shown.bottom())
        last = len(self._rows_h) - 1 if last < 0 and first >= 0 else last
        selection = QItemSelection()
        if first >= 0 and last >= first:
            root = self.rootIndex()
            selection.select(model.index(first, 0, root), model.index(last, 0, root))
        selections.select(selection, command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        region = QRegion()
        shown = self.viewport().rect()
        for span in selection:
            for row in range(span.top(), span.bottom() + 1):
                rect = self.visualRect(self.model().index(row, 0, self.rootIndex()))
                if rect.intersects(shown):
                    region += rect
        return region
