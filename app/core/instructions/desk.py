"""One session as the instruction feature sees it from this account: role, delegation,
rooms, time zones.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core import protocol
from app.core.instructions.drafts import ISSUERS
from app.core.roles import Role, RoomKind
from app.core.session import Delegation, Roster


@dataclass(frozen=True, slots=True)
class Desk:
    """One session as the instruction feature sees it from this account."""

    space_id: str
    title: str
    exercise: bool
    capital_tz: str
    delegations: tuple[Delegation, ...]
    rooms: dict[str, str]  # delegation room -> delegation id (the rooms we are in)
    my_role: Role | None
    my_delegation: str
    my_tz: str = ""  # the user's own m.tz profile zone, where set: their local clock
    # False while ``exercise`` is not decrypted (no answer yet); False unless said, so a
    # desk built without it shows "pending", never "real".
    details_known: bool = False

    @property
    def can_issue(self) -> bool:
        return self.my_role in ISSUERS

    def name_of(self, delegation: str) -> str:
        """What people call a delegation (its id when the session does not name it)."""
        return next((d.name for d in self.delegations if d.id == delegation), delegation)

    def room_of(self, delegation: str) -> str | None:
        return next((room for room, d in self.rooms.items() if d == delegation), None)


def desk_of(roster: Roster, user_id: str, my_tz: str = "") -> Desk:
    info = roster.session
    me = next((m for m in roster.members if m.user_id == user_id), None)
    return Desk(
        info.space_id,
        info.title,
        info.exercise,
        info.capital_tz,
        info.delegations,
        {
            r.room_id: r.delegation
            for r in info.rooms
            if r.kind is RoomKind.DELEGATION and r.delegation
        },
        me.role if me else None,
        me.delegation if me else "",
        my_tz if protocol.is_time_zone(my_tz) else "",
        info.details_known,
    )
