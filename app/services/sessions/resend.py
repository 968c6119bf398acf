"""Re-sending and pinning a session's encrypted details.

A member who joins late cannot read messages sent before they had the room key, so the
facilitator whose device sent a room's newest details sends them again, whole (the fold
of that room's details), through the outbox. One sender per room: the author of the
newest details, so several facilitators' devices do not each repeat them. When our own
details come back from the server, we pin them in place of the room's older ones.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.errors import SendFailed
from app.core.identifiers import is_server_id
from app.core.records import EventStatus, RoomEvent
from app.core.session import carries_details, details_payload, info_message, payload_of
from app.services.rosters import pins_with, room_details

if TYPE_CHECKING:
    from app.services.account import AccountService

log = logging.getLogger(__name__)


class DetailsResender:
    """A Feature with no projection of its own: it reacts to joins."""

    def __init__(self, account: AccountService) -> None:
        self.account = account

    async def start(self) -> None:
        """Nothing to rebuild: joins that happened while away were answered by then, or
        are answered by the next join (the details are whole each time)."""

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        await self._pin_ours(fresh)
        await self._resend_on_join(fresh)

    async def _pin_ours(self, fresh: Sequence[RoomEvent]) -> None:
        me = self.account.user_id
        for event in fresh:
            if event.sender != me or not _whole(event) or not _pinnable(event):
                continue  # a people-only update is read, never pinned over the whole
            pins = await self.account.db(pins_with, self.account.archive, event)
            if pins is None:
                continue  # pinned already
            try:
                await self.account.client.put_state(
                    event.room_id, "m.room.pinned_events", {"pinned": pins}
                )
            except SendFailed as exc:  # the details stand unpinned: still read, still re-sent
                log.warning("could not pin the details in %s: %s", event.room_id, exc.detail)

    async def _resend_on_join(self, fresh: Sequence[RoomEvent]) -> None:
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


def _whole(event: RoomEvent) -> bool:
    """A details message that names the session (not only an update of people)."""
    if not carries_details(event.type, event.content):
        return False
    payload = payload_of(event.content)
    return payload is not None and "title" in payload


def _pinnable(event: RoomEvent) -> bool:
    """A valid event under an id the server gave: a pin of a malformed row or of a local
    id (an echo that came without one) would point every member at nothing."""
    return event.status is EventStatus.OK and is_server_id(event.event_id)
