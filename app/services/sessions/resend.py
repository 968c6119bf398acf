"""Re-sending a session's encrypted details when someone joins one of its rooms.

A member who joins late cannot read messages sent before they had the room key, so the
facilitator whose device sent a room's newest details sends them again, whole (the fold
of that room's details), through the outbox. One sender per room: the author of the
newest details, so several facilitators' devices do not each repeat them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.records import EventStatus, RoomEvent
from app.core.session import details_payload, info_message
from app.services.rosters import room_details

if TYPE_CHECKING:
    from app.services.account import AccountService


class DetailsResender:
    """A Feature with no projection of its own: it reacts to joins."""

    def __init__(self, account: AccountService) -> None:
        self.account = account

    async def start(self) -> None:
        """Nothing to rebuild: joins that happened while away were answered by then, or
        are answered by the next join (the details are whole each time)."""

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        me = self.account.user_id
        rooms = {
            e.room_id
            for e in fresh
            if e.type == "m.room.member"
            and e.state_key not in (None, me)
            and e.status is EventStatus.OK
            and e.content.get("membership") == "join"
        }
        for room_id in sorted(rooms):
            details, newest_by = await self.account.db(room_details, self.account.archive, room_id)
            if newest_by != me:
                continue  # not ours to repeat (or the room has no details: not a session's)
            delegation = next(iter(details.delegations), "")
            content = info_message(details_payload(details, delegation))
            await self.account.send(room_id, "m.room.message", content)
