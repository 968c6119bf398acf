"""The open room's timeline as a Qt list model that applies small diffs.

Rows are inserted, changed or replaced one at a time as notices arrive (never a reset
except when another room is opened), so the view keeps its scroll position and
selection while messages stream in.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage

from app.core.records import EventStatus, OutboxItem, OutboxState, RoomEvent
from app.core.timeline import EDIT, Verification, edited_body, redacted_id
from app.services.notices import (
    AttachmentFetched,
    IdentitiesChanged,
    OlderLoaded,
    PinsChanged,
    RoomLoaded,
    VerificationsChanged,
)
from app.ui.people import display_name
from app.ui.timeline.fold import fold_notices
from app.ui.timeline.identity_warnings import IdentityWarnings
from app.ui.timeline.image_preview import preview_of
from app.ui.timeline.rows import RowKind, TimelineRow, context_of, event_row, outbox_row

RowRole = Qt.ItemDataRole.UserRole + 1
_USER_ID = re.compile(r"@[\w.=\-/+]+:[\w.\-]+(?::\d+)?")  # as room changes name people
_GROUP_MS = 5 * 60_000  # consecutive messages of one person within this read as one

_Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """Rows of one room, oldest first; outbox rows sit at their send time until echoed."""

    settled = Signal()  # a provisional room's first events came: its history may be paged

    def __init__(self, user_id: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.user_id = user_id
        self.room_id = ""
        self._rows: list[TimelineRow] = []
        self._by_key: dict[str, int] = {}
        self._verifications: dict[str, Verification] = {}
        # Edits and redactions by target: a row paged in later still shows them.
        self._edits: dict[str, tuple[str, int, str]] = {}  # target -> (sender, ts, new text)
        self._removed: dict[str, str] = {}
        self._pinned: frozenset[str] = frozenset()
        self._previews: dict[str, QImage] = {}
        self.names: dict[str, str] = {}  # display names from the room's member events
        self._session_names: dict[str, dict[str, str]] = {}  # room -> the roster's names
        self.at_start = True  # nothing older to fetch (set false when a room is loaded)
        self.provisional = False  # opened before anything was archived: events to come
        self.fetching = False  # an older page was asked for and has not come yet
        self._identities = IdentityWarnings()

    # -- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.detail or row.sender or None  # the @id on hover
        if role == RowRole:
            return row
        return None

    # -- diffs from the backend ----------------------------------------------------------

    def row(self, index: int) -> TimelineRow:
        return self._rows[index]

    def load(self, loaded: RoomLoaded) -> None:
        """Show another room: the only full reset."""
        self.beginResetModel()
        self.room_id = loaded.room_id
        self._rows = []
        self._verifications, self._edits, self._removed = {}, {}, {}
        self._pinned, self._previews = frozenset(), {}
        self.names = {}
        self._learn_names(loaded.events)
        self.at_start = not loaded.events  # unless provisional: then its events tell
        self.provisional = loaded.provisional and not loaded.events
        self.fetching = False
        self._rows = [r for r in (event_row(e) for e in loaded.events) if r is not None]
        self._reindex()
        for row in self._rows:
            self._note_relation(row)
        self._rows = [r for r in map(self._decorate, self._rows) if r is not None]
        echoed = {r.txn_id for r in self._rows if r.txn_id}
        pending = [i for i in loaded.pending if i.txn_id not in echoed]
        self._rows += [r for i in pending if (r := outbox_row(i, self.user_id)) is not None]
        self._rows += self._identities.rows_for(self.room_id, self.name_of)
        self._rows.sort(key=lambda r: r.ts)
        self._rows = fold_notices(self._rows)
        self._reindex()
        self.endResetModel()

    def unfold(self, position: int) -> None:
        """Open a folded run of room changes again, in place."""
        row = self._rows[position]
        if not row.folded:
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), position, position + len(row.folded) - 1)
        self._rows[position:position] = row.folded
        self._reindex(start=position)
        self.endInsertRows()

    def _learn_names(self, events: tuple[RoomEvent, ...]) -> None:
        for event in events:
            if event.type == "m.room.member" and event.room_id == self.room_id:
                name = event.content.get("displayname")
                if isinstance(name, str) and name.strip() and event.state_key:
                    self.names[event.state_key] = name.strip()[:80]

    def name_of(self, user_id: str) -> str:
        """The session's name for someone (what the facilitator called them when inviting
        them, like a name in a phone's contacts), else their own display name."""
        named = self._session_names.get(self.room_id, {}).get(user_id)
        return named or display_name(user_id, self.names)

    def named(self, text: str) -> str:
        """A room change's words with people's names for their ids ('Karim Haddad
        joined', not '@karim:ministry.example joined'); the id stays one hover away."""
        return _USER_ID.sub(lambda found: self.name_of(found.group(0)), text)

    def set_session_names(self, rooms: tuple[str, ...], names: dict[str, str]) -> None:
        """A session's roster named its people: these rooms show them by those names.

        A roster comes again after many syncs, most often with the same names: only a
        change redraws the room's rows (the view lays the whole page out again for it)."""
        changed = self.room_id in rooms and self._session_names.get(self.room_id) != names
        for room_id in rooms:
            self._session_names[room_id] = names
        if changed and self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))
            self._show_identities()

    def show_identities(self, notice: IdentitiesChanged) -> None:
        """Whose new identity waits: each room we share with them warns, until accepted."""
        self._identities.update(notice)
        self._show_identities()

    def _show_identities(self) -> None:
        for row in self._identities.rows_for(self.room_id, self.name_of):
            position = self._by_key.get(row.key)
            if position is None:
                self._insert(row)
            elif self._rows[position] != row:
                self._replace(position, row)

    def continues(self, position: int) -> bool:
        """Whether a row goes on from the one above it (same person, within five minutes,
        answering nothing): it is drawn without a second name and picture."""
        if position <= 0 or position >= len(self._rows):
            return False
        row, above = self._rows[position], self._rows[position - 1]
        talk = (RowKind.MESSAGE, RowKind.PENDING)
        return (
            row.kind in talk
            and above.kind in talk
            and row.sender == above.sender
            and not row.context
            and 0 <= row.ts - above.ts <= _GROUP_MS
        )

    def add_events(self, events: tuple[RoomEvent, ...]) -> None:
        self._learn_names(events)
        for event in events:
            if event.room_id != self.room_id:
                continue
            row = self._decorate(event_row(event))
            if row is None:
                continue
            self._note_relation(row, apply=True)
            local = self._by_key.get(row.txn_id or "") if event.sender == self.user_id else None
            existing = self._by_key.get(row.key, local)
            if existing is not None and self._rows[existing].folded:
                continue  # a room change already shown inside a fold (changes never change)
            if existing is None:
                if self._before_loaded(row):
                    continue  # older than the loaded page: it comes with its page, in place
                self._insert(row)
            else:
                self._replace(existing, row)
        if self.provisional and any(e.room_id == self.room_id for e in events):
            self.provisional = self.at_start = False  # older ones may be on the server
            self.settled.emit()

    def outbox_changed(self, item: OutboxItem) -> None:
        if item.room_id != self.room_id:
            return
        if item.event_id and item.event_id in self._by_key:
            return  # the echo is already shown
        position = self._by_key.get(item.txn_id)
        if position is not None and self._rows[position].event is not None:
            # The server's echo is shown: the message is in the room, whatever the outbox
            # says late (a send answered "refused" or timed out after the server took it).
            return
        if item.state is OutboxState.SENT:
            return  # the echo will replace the pending row; until then it stays "sending"
        row = outbox_row(item, self.user_id)
        if row is None:
            return
        if position is None:
            self._insert(row)
        else:
            self._replace(position, row)

    def apply_verifications(self, notice: VerificationsChanged) -> None:
        """Entries' current status and history; their rows repaint in place."""
        if notice.room_id != self.room_id:
            return
        for verification in notice.verifications:
            self._verifications[verification.entry_id] = verification
            position = self._by_key.get(verification.entry_id)
            if position is not None:
                self._refresh(verification.entry_id)

    def position_of(self, key: str) -> int | None:
        """Where the row of an event (or outbox transaction) is now."""
        return self._by_key.get(key)

    def verification(self, entry_id: str) -> Verification | None:
        return self._verifications.get(entry_id)

    # -- paging back in history ----------------------------------------------------------

    def can_fetch_older(self) -> bool:
        """Qt's own canFetchMore/fetchMore fetch at the bottom of a view; history grows at
        the top, so the view asks this when it is scrolled to its first row."""
        return bool(self.room_id) and not self.at_start and not self.fetching

    def oldest_key(self) -> str:
        """The event the next older page ends before ('' when no event is loaded)."""
        return next((r.key for r in self._rows if r.event is not None), "")

    def add_older(self, notice: OlderLoaded) -> None:
        """Rows older than the loaded ones, inserted above them as one block."""
        if notice.room_id != self.room_id:
            return
        self.fetching = False
        self.at_start = notice.at_start
        rows = [r for r in (event_row(e) for e in notice.events) if r is not None]
        for row in rows:
            self._note_relation(row, apply=True)
        fresh = [self._decorate(r) for r in rows if r.key not in self._by_key]
        if not fresh:
            return
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[:0] = fresh
        self._reindex()
        self.endInsertRows()

    # -- helpers -------------------------------------------------------------------------

    def set_preview(self, notice: AttachmentFetched) -> None:
        """An image's decrypted bytes: its row shows it (a file that is no image, none)."""
        position = self._by_key.get(notice.event_id)
        if position is None or not notice.data:
            return
        image = preview_of(notice.data)
        if image is None:
            return
        self._previews[notice.event_id] = image
        self._refresh(notice.event_id)

    def set_pins(self, notice: PinsChanged) -> None:
        """The room's pinned events (m.room.pinned_events): their rows say so."""
        if notice.room_id != self.room_id:
            return
        changed = self._pinned.symmetric_difference(notice.event_ids)
        self._pinned = frozenset(notice.event_ids)
        for key in changed:
            self._refresh(key)

    def _decorate(self, row: TimelineRow | None) -> TimelineRow | None:
        """A row with what other events say about it: verification, edits, removal, pin,
        and what it answers."""
        if row is None:
            return None
        target = None
        if row.relation is not None and (at := self._by_key.get(row.relation.target)) is not None:
            target = self._rows[at]
        return replace(
            row,
            verification=self._verifications.get(row.key) if row.entry else None,
            edited=self._edit_of(row),
            removed_by=self._removed.get(row.key, ""),
            pinned=row.key in self._pinned,
            preview=self._previews.get(row.key),
            context=context_of(row, target),
        )

    def _note_relation(self, row: TimelineRow, apply: bool = False) -> None:
        """Remember an edit or a redaction; with ``apply``, repaint its target if shown."""
        event = row.event
        if event is None:
            return
        if row.relation is not None and row.relation.kind == EDIT:
            target, text = row.relation.target, edited_body(event.content)
            known = self._edits.get(target)
            if text is None or (known is not None and known[1] > event.origin_ts):
                return  # a newer edit stands, whichever page brought this one
            self._edits[target] = (event.sender, event.origin_ts, text)
        elif (target := redacted_id(event) or "") and event.status is EventStatus.OK:
            self._removed[target] = event.sender
        else:
            return
        if apply:
            self._refresh(target)

    def _edit_of(self, row: TimelineRow) -> str | None:
        """The newest edit of a row, if its own author made it (others' are not shown)."""
        edit = self._edits.get(row.key)
        return edit[2] if edit is not None and edit[0] == row.sender else None

    def _refresh(self, key: str) -> None:
        position = self._by_key.get(key)
        if position is not None:
            decorated = self._decorate(self._rows[position])
            assert decorated is not None
            self._replace(position, decorated)

    def _before_loaded(self, row: TimelineRow) -> bool:
        return not self.at_start and bool(self._rows) and row.ts < self._rows[0].ts

    def _insert(self, row: TimelineRow) -> None:
        """Almost every new row is the newest: appending then costs O(1), not O(rows)."""
        position = bisect.bisect_right(self._rows, row.ts, key=lambda r: r.ts)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self._reindex(start=position)
        self.endInsertRows()

    def _replace(self, position: int, row: TimelineRow) -> None:
        """A row changed in place; one that comes again unchanged is left alone (the list
        view lays the whole page out again for any changed row)."""
        old = self._rows[position]
        if old == row:
            return
        self._rows[position] = row
        self._by_key.pop(old.key, None)
        self._by_key[row.key] = position
        if old.txn_id and old.key != row.key:
            self._by_key.pop(old.txn_id, None)
        if row.txn_id:
            self._by_key.setdefault(row.txn_id, position)
        index = self.index(position)
        self.dataChanged.emit(index, index)

    def _reindex(self, start: int = 0) -> None:
        """Positions of rows from ``start`` on (rows before it have not moved)."""
        if start == 0:
            self._by_key = {}
        for position in range(start, len(self._rows)):
            row = self._rows[position]
            self._by_key[row.key] = position
            for inner in row.folded:
                self._by_key[inner.key] = position
            if row.txn_id:
                self._by_key[row.txn_id] = position
