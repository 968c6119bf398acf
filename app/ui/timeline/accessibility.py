"""Telling screen readers that timeline rows changed in place.

A row changes where it stands ("sending…" becomes sent or failed, a message is redacted
or decrypted late). Qt tells assistive technology so in ``QAbstractItemView.dataChanged``,
which the timeline view does not call (it repaints a changed row itself, not what the
base would: the whole viewport once anything listens for the pointer entering it), so the
view sends the same event from here.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QAccessible, QAccessibleTableModelChangeEvent
from PySide6.QtWidgets import QAbstractItemView


def announce_changed(view: QAbstractItemView, first: QModelIndex, last: QModelIndex) -> None:
    """The cells ``first`` .. ``last`` of ``view`` now read differently."""
    if not QAccessible.isActive():  # no assistive technology listening: nothing to build
        return
    event = QAccessibleTableModelChangeEvent(
        view, QAccessibleTableModelChangeEvent.ModelChangeType.DataChanged
    )
    event.setFirstRow(first.row())
    event.setFirstColumn(first.column())
    event.setLastRow(last.row())
    event.setLastColumn(last.column())
    QAccessible.updateAccessibility(event)
