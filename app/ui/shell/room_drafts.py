"""Each room's half-typed text, kept apart from every other room's.

Switching rooms must never carry a message meant for officials into the influencers'
room: the composer is one box, so what it holds is filed under the room it was typed
for, and the next room's text is put back in its place. The drafts are also offered to
be kept for the next start, a moment after typing stops (not on every key).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLineEdit

from app.ui.shell.compose_context import ComposeContext, Mode


class RoomDrafts(QObject):
    """The drafts behind the workspace's composer, room by room."""

    changed = Signal(dict)  # room id -> text typed and not sent (to keep for next start)

    def __init__(self, composer: QLineEdit, context: ComposeContext, parent: QObject) -> None:
        super().__init__(parent)
        self._composer, self._context = composer, context
        self.by_room: dict[str, str] = {}
        self._composing_for = ""  # the room whose draft the composer holds now
        self._keep = QTimer(self)  # written a moment after typing stops, not per key
        self._keep.setSingleShot(True)
        self._keep.setInterval(800)
        self._keep.timeout.connect(lambda: self.changed.emit(self.current()))
        composer.textEdited.connect(lambda _text: self._keep.start())
        context.cancelled.connect(self._cancelled)

    def clear(self) -> None:
        """Another account (or none): no draft of the previous one stays."""
        self.by_room.clear()
        self._composing_for = ""

    def switch(self, room_id: str) -> None:
        """Keep what was typed for the room we leave; show what was typed for the new one."""
        if self._composing_for:
            text = self._composer.text()
            if text.strip():
                self.by_room[self._composing_for] = text
            else:
                self.by_room.pop(self._composing_for, None)
        self._composing_for = room_id
        self._composer.setText(self.by_room.get(room_id, ""))
        self._keep.start()

    def sent(self, room_id: str) -> None:
        """The composer's text went out: it is no longer anyone's draft."""
        self._composer.clear()
        self.by_room.pop(room_id, None)
        self._keep.start()

    def current(self) -> dict[str, str]:
        """Every room's unsent text, the open room's composer included (not a correction
        being typed: that is the old message's text, not a draft)."""
        drafts = dict(self.by_room)
        context = self._context.context
        editing = context is not None and context.mode is Mode.EDIT
        if self._composing_for and not editing:
            text = self._composer.text()
            if text.strip():
                drafts[self._composing_for] = text
            else:
                drafts.pop(self._composing_for, None)
        return drafts

    def restore(self, drafts: dict[str, str]) -> None:
        """Drafts of the last run, after sign-in: what was typed since wins."""
        for room_id, text in drafts.items():
            self.by_room.setdefault(room_id, text)
        if self._composing_for and not self._composer.text():
            self._composer.setText(self.by_room.get(self._composing_for, ""))

    def _cancelled(self) -> None:
        """A reply or correction dropped: the box gets back the room's own draft."""
        self._composer.clear()
        self._composer.setText(self.by_room.pop(self._composing_for, ""))
