"""The room list's view: a changed row repaints itself, not the whole list.

Why: every message that arrives changes one row (the last message's preview and time
beneath the room's name, its unread badge). ``QListView`` takes any changed row as a
reason to lay every row out again (a Python ``sizeHint`` per room, hundreds at a
ministry's scale) and to repaint the whole list, which then went to the X server with
the new message's row, and once more after the posted layout. A row whose size stays
what it was needs only its own rectangle repainted; one whose size changes (its first
preview line) is laid out as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyleOptionViewItem

_Index = QModelIndex | QPersistentModelIndex
_MOST_IN_PLACE = 8  # rows changed at once: more (a reload, a re-sort) are laid out anew


class RoomListView(QListView):
    """A ``QListView`` that repaints changed rows of unchanged size in place."""

    def dataChanged(
        self, top_left: _Index, bottom_right: _Index, roles: Sequence[int] = ()
    ) -> None:
        rows = self._in_place(top_left.row(), bottom_right.row())
        if rows is None:
            super().dataChanged(top_left, bottom_right, list(roles))
            return
        # The item view's own: repaints the rows' rectangles, keeps editors and screen
        # readers told; skips QListView's relayout of every row.
        QAbstractItemView.dataChanged(self, top_left, bottom_right, list(roles))
        # The delegate paints inside its row (RoomListDelegate clips to it), so the rows'
        # own rectangles are all there is to paint again.
        self.viewport().update(rows)

    def _in_place(self, first: int, last: int) -> QRect | None:
        """Where the rows are, if each would be laid out as it is now: its height as
        placed (from its top to the next row's; ``visualRect`` measures a row afresh, so
        its own height is the new one) and its width inside the viewport (a wider one
        changes how wide the list's contents are). None, and a layout as ``QListView`` does
        it, for more than ``_MOST_IN_PLACE`` rows (a bulk change, rare: one message
        changes one row, and each row here is measured twice), the last row (no next row
        to measure against), and any list but a plain top-to-bottom one without wrapping,
        spacing or a grid."""
        model, delegate = self.model(), self.itemDelegate()
        if model is None or delegate is None or first < 0 or last - first >= _MOST_IN_PLACE:
            return None
        if self.spacing() or self.gridSize().isValid() or last + 1 >= model.rowCount():
            return None
        plain = self.viewMode() == QListView.ViewMode.ListMode and not self.isWrapping()
        if not plain or self.flow() != QListView.Flow.TopToBottom:
            return None
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        width, root = self.viewport().width(), self.rootIndex()
        rects = [self.visualRect(model.index(row, 0, root)) for row in range(first, last + 2)]
        for offset in range(last - first + 1):
            placed, below = rects[offset], rects[offset + 1]
            if not (placed.isValid() and below.isValid()):
                return None
            if placed.height() != below.top() - placed.top():
                return None
            if delegate.sizeHint(option, model.index(first + offset, 0, root)).width() > width:
                return None
        return rects[0].united(rects[-2])
