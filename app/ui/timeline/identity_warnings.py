"""The timeline's warnings that a participant's identity changed, as this app's own rows.

The backend says whose new identity waits and which rooms we share with them
(``IdentitiesChanged``); each of those rooms shows a warning from the moment it was
first told until the user accepts the identity, then a note that it was accepted. The
warnings are not events of the room: nothing is sent, and another member's client says
nothing of our trust in a third person.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from app.services.notices import IdentitiesChanged
from app.ui.timeline.rows import TimelineRow, identity_row


@dataclass(frozen=True, slots=True)
class _Warning:
    rooms: tuple[str, ...]
    since_ms: int  # when this app first learned of the change: the row's place in time
    key: str  # the row's, one per change (a second change gets a row of its own)
    accepted: bool = False


class IdentityWarnings:
    """Each person's latest identity change as this run has seen it (UI thread)."""

    def __init__(self) -> None:
        self._warnings: dict[str, _Warning] = {}
        self._serials = itertools.count(1)

    def update(self, notice: IdentitiesChanged) -> None:
        """A new change starts a warning (also after an accepted one); a person no longer
        listed was accepted; the rooms follow whom we share rooms with."""
        waiting = dict(notice.people)
        now = int(time.time() * 1000)
        for user_id, rooms in waiting.items():
            known = self._warnings.get(user_id)
            if known is None or known.accepted:
                key = f"identity:{user_id}:{next(self._serials)}"
                self._warnings[user_id] = _Warning(rooms, now, key)
            else:
                self._warnings[user_id] = replace(known, rooms=rooms)
        for user_id, known in self._warnings.items():
            if user_id not in waiting and not known.accepted:
                self._warnings[user_id] = replace(known, accepted=True)

    def rows_for(self, room_id: str, name_of: Callable[[str], str]) -> Iterator[TimelineRow]:
        """The rows ``room_id`` shows, people named as the room names them."""
        for user_id, known in sorted(self._warnings.items()):
            if room_id and room_id in known.rooms:
                name = name_of(user_id)
                yield identity_row(known.key, user_id, name, known.since_ms, known.accepted)
