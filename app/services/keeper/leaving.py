"""The rooms the keeper left, from the sync that says so until each is back-filled up
to its own leave (or given up as a hole).

Kept apart from the loop (``service``) because what it decides is easy to get subtly
wrong, and each rule here is why nothing is lost:

- Only a room the keeper was in is "leaving": a rescinded invitation (invited while it
  was down, removed before it joined) comes in the same leave section, and Synapse serves
  a departed member a ``shared`` room's whole history: the keeper would archive a room it
  never joined (``departures``).
- While one is pending, the sync token from before the batch that told of it is the one
  saved (``token_to_save``), so a restart meanwhile is told of the leave again instead of
  forgetting the room. On a first run there is no such token: then none is saved.
- A failing room is tried again on a back-off of its own (``due``, ``failed``), not by
  sleeping in the loop: live rooms, invitations and a stop go on meanwhile. Only after
  ``patience`` seconds of failure without a page archived is it given up (a hole); an
  outage of minutes costs nothing but time.
- The record ends at the first leave or ban after the keeper's last join, and resumes at
  its next join (``own_part``), whichever leave the sync reported and wherever a page
  ends: the keeper is entitled to nothing said while it was out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from app.core.records import RoomEvent
from app.services.backoff import Backoff

LEFT_PATIENCE = 24 * 3600.0  # seconds a left room may keep failing before it is a hole
LEFT_CEILING = 180.0  # the longest wait between two tries of a failing left room
OUT = ("leave", "ban")  # the memberships that end the keeper's stay in a room


class Departure(NamedTuple):
    """What a sync batch says of the keeper's leaving one room."""

    event_id: str | None  # its own leave or ban, if the batch held it
    was_joined: bool  # the membership it left was ``join`` (not an invitation)


@dataclass(slots=True)
class Leave:
    """A room the keeper left whose last back-fill is not done."""

    held: str | None  # the sync token from before the leave was told (None: none yet)
    event_id: str | None  # its leave as the sync reported it: paged until read (or archived)
    failing_since: float | None = None  # when the first failure in a row came
    next_try: float = 0.0  # not asked again before this (``clock`` seconds)
    wait: Backoff = field(default_factory=lambda: Backoff(first=0.5, ceiling=LEFT_CEILING))


class LeftRooms:
    """The pending left rooms, oldest told first, and when each may be asked again."""

    def __init__(
        self, patience: float = LEFT_PATIENCE, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.patience = patience
        self._clock = clock
        self._rooms: dict[str, Leave] = {}

    def __contains__(self, room_id: object) -> bool:
        return room_id in self._rooms

    def get(self, room_id: str) -> Leave | None:
        return self._rooms.get(room_id)

    def told(self, room_id: str, held: str | None, event_id: str | None) -> None:
        """The sync (whose ``since`` was ``held``) says the keeper left the room; a room
        pending already keeps its older hold."""
        if room_id not in self._rooms:
            self._rooms[room_id] = Leave(held, event_id)

    def ours_again(self, room_ids: Iterable[str]) -> None:
        """Rooms the keeper is in again: no longer leaving, their failures forgotten."""
        for room_id in room_ids:
            self._rooms.pop(room_id, None)

    def done(self, room_id: str) -> None:
        self._rooms.pop(room_id, None)

    def token_to_save(self, newest: str) -> str | None:
        """The sync token to save now: the oldest pending leave's hold, ``newest`` when
        none is pending; None (save none) when that leave came before any token."""
        oldest = next(iter(self._rooms.values()), None)
        return newest if oldest is None else oldest.held

    def due(self, room_id: str) -> bool:
        """Whether the room may be asked now (one not leaving always may)."""
        leave = self._rooms.get(room_id)
        return leave is None or leave.next_try <= self._clock()

    def seconds_to_next(self) -> float | None:
        """How long until the earliest pending room is due (0 if one is; None if none)."""
        if not self._rooms:
            return None
        now = self._clock()
        return max(0.0, min(leave.next_try for leave in self._rooms.values()) - now)

    def moved(self, room_id: str) -> None:
        """A page of the room was archived: whatever failed before is not failing now."""
        leave = self._rooms.get(room_id)
        if leave is not None:
            leave.failing_since, leave.next_try = None, 0.0
            leave.wait.reset()

    def failed(self, room_id: str) -> float | None:
        """A page of the room failed: the seconds until it is asked again, or None once
        it has failed for ``patience`` seconds without a page archived (give it up)."""
        leave = self._rooms[room_id]
        now = self._clock()
        if leave.failing_since is None:
            leave.failing_since = now
        if now - leave.failing_since >= self.patience:
            return None
        delay = leave.wait.next_delay()
        leave.next_try = now + delay
        return delay


def departures(
    events: Iterable[RoomEvent], left: Iterable[str], user_id: str
) -> dict[str, Departure]:
    """For each room of ``left``, the leave or ban among the batch's ``events`` that ended
    the keeper's last stay: its first after its last own join. Not simply its last own
    member event: after a kick, an invitation withdrawn before it was accepted is a
    leave too, and the record ends at the kick, not there."""
    found = {room_id: Departure(None, False) for room_id in left}
    for event in events:
        if event.room_id not in found:
            continue
        membership = _own_membership(event, user_id)
        if membership == "join":
            found[event.room_id] = Departure(None, False)
        elif membership in OUT and found[event.room_id].event_id is None:
            was_joined = event.membership_before() == "join"
            found[event.room_id] = Departure(event.event_id, was_joined)
    return found


def own_part(events: list[RoomEvent], user_id: str, inside: bool) -> tuple[list[RoomEvent], bool]:
    """The page's events the keeper was present for, and whether it is in the room at
    the page's end (``inside``: at its start). It is out from a leave or ban that ends
    its stay (the last event kept) to its next own join (the first kept again): what was
    said between is not its to keep, though Synapse serves it (a ``shared`` room, paged
    forward by a departed or rejoined member). Carried across pages (``inside``), so a
    page that starts after the kick keeps nothing up to the rejoin, and an invitation
    withdrawn meanwhile opens nothing."""
    kept: list[RoomEvent] = []
    for event in events:
        inside = inside or _own_membership(event, user_id) == "join"
        if inside:
            kept.append(event)
        if ends_stay(event, user_id):
            inside = False
    return kept, inside


def ends_stay(event: RoomEvent, user_id: str) -> bool:
    """Whether the event is the keeper's leave or ban, other than the withdrawal of an
    invitation: one before its first join only declines the room's offer, and the
    history it was invited to, from the room's start, is still the record's."""
    if _own_membership(event, user_id) not in OUT:
        return False
    return event.membership_before() != "invite"


def _own_membership(event: RoomEvent, user_id: str) -> str | None:
    """The membership of the keeper an event sets (None: not its own member event)."""
    if event.type != "m.room.member" or event.state_key != user_id:
        return None
    membership = event.content.get("membership")
    return membership if isinstance(membership, str) else None
