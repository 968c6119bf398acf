"""The raw content of an event, one click (or Enter) away from any odd row.

Malformed, forged and unknown events are shown as such in the timeline; this is where a
person checks exactly what another client sent, and why the app did not accept it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.records import RoomEvent
from app.ui.texts import fill

MAX_FIELD_CHARS = 20_000  # a 1 MB field is cut for display; the archive keeps it whole


def _shortened(value: Any) -> Any:
    """Every field stays visible: only overlong texts are cut, saying how long they are."""
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        return f"{value[:MAX_FIELD_CHARS]}… [{len(value)} characters in the archive]"
    if isinstance(value, Mapping):
        return {str(k): _shortened(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shortened(v) for v in value]
    return value


def raw_text(event: RoomEvent) -> str:
    """Pretty JSON of what was received (decrypted content, then the event as sent)."""
    shown = {
        "event_id": event.event_id,
        "type": event.type,
        "sender": event.sender,
        "origin_server_ts": event.origin_ts,
        "content": event.content,
        "source": event.source,
    }
    return json.dumps(_shortened(shown), indent=2, ensure_ascii=False, sort_keys=True, default=str)


class RawEventDialog(QDialog):
    def __init__(self, event: RoomEvent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Raw event"))
        self.setObjectName("rawEventDialog")
        self.resize(700, 520)
        status = fill(self.tr("Status: %1"), event.status.value)
        why = QLabel(f"{status}\n{event.note}".strip())
        why.setWordWrap(True)
        self.text = QPlainTextEdit(raw_text(event))
        self.text.setReadOnly(True)
        self.text.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # JSON reads left to right
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(why)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
