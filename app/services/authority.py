"""The client's second lock: custom events a sender's role does not allow are FORGED.

In an encrypted room the server sees only ``m.room.encrypted``, so it cannot apply the
power levels named for each custom type. After decryption, every custom timeline event
is checked against the room's server-authenticated state (its create event and power
levels, as they stood when the event arrived) and recorded as forged if it fails; in a
room under the device policy, one sent from a device its owner has not cross-signed is
recorded as unverified and does not count either. State
events need no second check: they are never encrypted, so the server enforced them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from app.core import roles
from app.core.instructions.plain import reply_ack
from app.core.records import EventStatus, RoomEvent
from app.core.session import read_role, user_of_role_key
from app.core.trust import DeviceBook, NoPolicy, device_refusal

AUTH_TYPES = ("m.room.create", "m.room.power_levels", roles.ROLE, roles.DELEGATION)


class RoomAuthority:
    """Power-level state per room, advanced event by event through a sync batch."""

    def __init__(self, state: Iterable[RoomEvent], devices: DeviceBook | None = None) -> None:
        self._devices = devices or NoPolicy()  # which sending devices count where
        self._create: dict[str, RoomEvent] = {}
        self._levels: dict[str, RoomEvent] = {}
        self._delegation: dict[str, str] = {}  # delegation room -> delegation id
        self._delegates: dict[tuple[str, str], str] = {}  # (room, user) -> their delegation
        for event in state:
            self._learn(event)
            self._learn_role(event)

    def _learn(self, event: RoomEvent) -> None:
        if event.state_key != "" or event.status is not EventStatus.OK:
            return
        if event.type == "m.room.create":
            self._create[event.room_id] = event
        elif event.type == "m.room.power_levels":
            self._levels[event.room_id] = event
        elif event.type == roles.DELEGATION and isinstance(event.content.get("id"), str):
            self._delegation[event.room_id] = event.content["id"]

    def _learn_role(self, event: RoomEvent) -> None:
        if event.type != roles.ROLE or not event.state_key or event.status is not EventStatus.OK:
            return
        user_id = user_of_role_key(event.state_key)
        member = read_role(user_id, event.content)
        self._delegates[(event.room_id, user_id)] = member.delegation if member else ""

    def level_of(self, room_id: str, user_id: str) -> float:
        create = self._create.get(room_id)
        levels = self._levels.get(room_id)
        return roles.user_level(
            user_id,
            levels.content if levels else None,
            create.content if create else None,
            create.sender if create else "",
        )

    def check(self, event: RoomEvent) -> RoomEvent:
        """The event as it should be archived: unchanged, or marked forged with the reason.

        A 2.0 event arrives as m.room.message but is recorded as its own type, so it is
        judged here exactly as the 1.x custom event; a plain reply that reads as an ack
        ("done") in a delegation room is judged as an ack."""
        if self.may_refuse(event):
            judged_as = event.type
            if event.type == "m.room.message" and self._plain_ack(event):
                judged_as = roles.ACK
            if judged_as in roles.CHECKED_TYPES and (why := self._refusal(event, judged_as)):
                return replace(event, status=EventStatus.FORGED, note=why)
            if judged_as in roles.CHECKED_TYPES and (why := device_refusal(self._devices, event)):
                return replace(event, status=EventStatus.UNVERIFIED, note=why)
        self._learn(event)
        self._learn_role(event)
        return event

    @staticmethod
    def may_refuse(event: RoomEvent) -> bool:
        """Whether ``check`` could mark this event at all: a batch with none such is
        archived as it came, without reading the rooms' power levels first."""
        if event.status is not EventStatus.OK or event.state_key is not None:
            return False
        plain_ack = event.type == "m.room.message" and reply_ack(event.content) is not None
        return plain_ack or event.type in roles.CHECKED_TYPES

    def may_send(self, room_id: str, user_id: str, event_type: str) -> bool:
        """Whether the user's level, as the room stands now, allows this custom type here
        (who may re-send the room's charts: every receiver would refuse a demoted one)."""
        probe = RoomEvent("", room_id, user_id, event_type, 0, {})
        return not self._refusal(probe, event_type)

    def _refusal(self, event: RoomEvent, judged_as: str) -> str:
        """Why the sender may not send this here ('' when they may)."""
        levels = self._levels.get(event.room_id)
        born_state = judged_as in roles.STATE_BORN
        need = roles.required_level(judged_as, born_state, levels.content if levels else None)
        have = self.level_of(event.room_id, event.sender)
        if have < need:
            return f"{event.sender} has power level {have:g}; {judged_as} needs {need}"
        if judged_as in roles.DELEGATION_ONLY and not self._delegate_here(event):
            return f"{event.sender} is not a member of this room's delegation"
        return ""

    def _plain_ack(self, event: RoomEvent) -> bool:
        """A reply from any client whose whole text is an ack word, in a delegation room."""
        return event.room_id in self._delegation and reply_ack(event.content) is not None

    def _delegate_here(self, event: RoomEvent) -> bool:
        delegation = self._delegation.get(event.room_id)
        return bool(delegation) and self._delegates.get((event.room_id, event.sender)) == delegation

    def check_all(self, events: Sequence[RoomEvent]) -> list[RoomEvent]:
        return [self.check(event) for event in events]
