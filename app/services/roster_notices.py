"""The account's sessions as the UI and the features hear of them: which sessions a
batch of events changed, and their rosters read and announced.

Why apart from the account: which events change a session (its state, a role, a
member, a room naming its space, encrypted details) and how the rosters are announced
at a start (one store call per session, so a room opened meanwhile waits for one
session's read, not all of them) are the sessions' business; the account only says
when (after a batch is archived, at its start).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app.core import roles
from app.core.records import RoomEvent
from app.core.session import carries_details
from app.services.notices import Notice, Problem, RosterChanged
from app.services.outbox_worker import StoreCall
from app.services.rosters import SessionRosters, spaces_with_new_details

if TYPE_CHECKING:
    from app.store import Archive

_SESSION_TYPES = frozenset({roles.SESSION, roles.ROLE, "m.room.member"})


class RosterNotices:
    """Rosters read through the account's memo (``SessionRosters``) on the store thread
    (``db``), and told to the UI through ``notify``."""

    def __init__(self, archive: Archive, db: StoreCall, notify: Callable[[Notice], None]):
        self._archive = archive
        self._rosters = SessionRosters(archive)  # read once per archive write, shared
        self._db = db
        self._notify = notify

    async def read(self, spaces: list[str] | None = None) -> list[RosterChanged]:
        """Sessions as the archive knows them: all known spaces, or those named."""
        found, unreadable = await self._db(self._read, spaces)
        self._tell(unreadable)
        return found

    async def announce(self, spaces: list[str] | None = None) -> None:
        """Tell the UI about sessions: all known spaces, or those named. One store call
        per space: a room opened meanwhile waits on the store thread for one session's
        read, not for all of them (0.3-0.9 s at 50 sessions; docs/performance.md,
        session 9: the start's notices)."""
        for space_id in list(await self._db(self._rosters.spaces)) if spaces is None else spaces:
            found, unreadable = await self._db(self._read, [space_id])
            for notice in found:
                self._notify(notice)
            self._tell(unreadable)

    def _read(self, spaces: list[str] | None) -> tuple[list[RosterChanged], list[str]]:
        """Rosters, and the sessions that newly failed to read (store thread)."""
        return self._rosters.read(spaces), self._rosters.newly_unreadable()

    def _tell(self, unreadable: list[str]) -> None:
        """A session left out of the lists is told once, by name (the log has why)."""
        for session in unreadable:
            self._notify(Problem("session_unreadable", session))

    async def changed_by(self, fresh: Sequence[RoomEvent]) -> list[str]:
        """The session spaces whose rosters these archived events change, sorted."""
        spaces = {e.room_id for e in fresh if e.state_key is not None and e.type in _SESSION_TYPES}
        # A room of ours naming its space: the session's rooms as we know them changed.
        spaces |= {e.state_key for e in fresh if e.type == "m.space.parent" and e.state_key}
        if any(carries_details(e.type, e.content) for e in fresh):  # else no store call
            spaces |= await self._db(spaces_with_new_details, self._archive, list(fresh))
        return sorted(spaces)
