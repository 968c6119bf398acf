"""A room's display name by the rules matrix-nio's ``MatrixRoom.display_name`` applies.

Why a second copy: on a first start the room list could be painted from the first
sync's raw JSON a second before nio has loaded, but only if every row says exactly what
the backend will say a moment later (it names rooms with nio's ``display_name``); a
name that changes under the user's eyes is worse than a list that comes later. So this
follows nio 0.26's rules to the letter, quirks included (``tests/test_room_names.py``
holds it to nio on the same events):

- the room's name, else its canonical alias, else a name made of its members;
- members: with a usable summary (joined and invited counts) its heroes and the count
  of others; without one, every member but us, sorted by their shown names, five at
  most; a display name two members share is shown as "name (user id)";
- "A", "A and B", "A, B and C", "A, B and 3 others", "Empty Room (had A)", "Empty Room".

Only state nio understands changes a room: the callers give the content of events nio
would accept as such (``app.core.rooms.first_sync`` judges them by nio's schemas).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

LISTED = 5  # members named without a summary; nio names the rest "N others"


class RoomNaming:
    """The state of one room that its name depends on, changed event by event in the
    order nio applies them (the sync's state section, then its timeline)."""

    def __init__(self, own_user_id: str) -> None:
        self.own_user_id = own_user_id
        self.name: str | None = None
        self.alias: str | None = None
        self._users: dict[str, str | None] = {}  # user id -> display name, as nio adds them
        self._invited: set[str] = set()
        self._names: dict[str, list[str]] = {}  # shown name -> the members showing it
        self._summary: tuple[int, int, Sequence[str]] | None = None  # joined, invited, heroes

    def set_summary(self, joined: int | None, invited: int | None, heroes: Sequence[str]) -> None:
        """The sync's room summary; usable (as nio judges it) only with both counts."""
        if joined is not None and invited is not None:
            self._summary = (joined, invited, tuple(heroes))

    def membership(self, user_id: str, membership: str, content: Mapping[str, Any]) -> None:
        """One ``m.room.member`` event nio accepted (``MatrixRoom.handle_membership``)."""
        invited = membership == "invite"
        if membership in ("invite", "join"):
            if user_id not in self._users:
                self._add(user_id, content.get("displayname"), invited)
                return
            if invited and user_id not in self._invited:
                return  # nio tries to add a member it has: nothing changes
            if not invited:
                self._invited.discard(user_id)
            if "displayname" in content:
                self._names[self._shown(user_id)].remove(user_id)
                self._users[user_id] = content["displayname"]
                self._names.setdefault(self._shown(user_id), []).append(user_id)
        elif membership in ("leave", "ban") and user_id in self._users:
            self._names[self._shown(user_id)].remove(user_id)
            del self._users[user_id]
            self._invited.discard(user_id)

    def _add(self, user_id: str, display_name: str | None, invited: bool) -> None:
        self._users[user_id] = display_name
        if invited:
            self._invited.add(user_id)
        self._names.setdefault(display_name or user_id, []).append(user_id)

    def _shown(self, user_id: str) -> str:
        """A member's own name: the display name, else the user id (``MatrixUser.name``)."""
        return self._users[user_id] or user_id

    def user_name(self, user_id: str) -> str | None:
        """A member's name as the room shows it, "name (user id)" when another shares it."""
        if user_id not in self._users:
            return None
        display_name = self._users[user_id]
        if len(self._names.get(self._shown(user_id), ())) > 1 and display_name:
            return f"{display_name} ({user_id})"
        return self._shown(user_id)

    def display_name(self) -> str:
        """What nio's ``MatrixRoom.display_name`` gives for this state."""
        return self.name or self.alias or self._group_name()

    def _group_name(self) -> str:
        empty, user_ids, others = self._group_structure()
        names = [self.user_name(u) or u for u in user_ids]
        if others:
            text = f"{', '.join(names)} and {others} other{'' if others == 1 else 's'}"
        elif not names:
            text = ""
        elif len(names) == 1:
            text = names[0]
        else:
            text = f"{', '.join(names[:-1])} and {names[-1]}"
        if empty and text:
            return f"Empty Room (had {text})"
        return "Empty Room" if empty else text

    def _group_structure(self) -> tuple[bool, list[str], int]:
        """Whether the room is empty, the members named, how many others."""
        if self._summary is None:
            ordered = sorted(self._users, key=lambda u: self.user_name(u) or "")
            users = [u for u in ordered if u != self.own_user_id]
            return not users, users[:LISTED], max(len(users) - LISTED, 0)
        joined, invited, heroes = self._summary
        count = joined + invited
        if len(heroes) >= count - 1:
            return count <= 1, list(heroes), 0
        return count <= 1, list(heroes), count - 1 - len(heroes)
