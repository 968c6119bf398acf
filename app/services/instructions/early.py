"""Instruction-feed events shown ahead of their archive write, kept apart until archived.

Why apart: the boards show them at once (the screen need not wait for the commit), but
whatever has consequences — the automatic "received", alerts, the overdue note on disk —
counts only what is on record. Keeping these events in their own place until ``absorb``
hears they are archived lets the feature tell the two apart, and keyed by event id they
are never counted twice, also when a failed write brings their batch again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.core import instructions as ins
from app.core import roles
from app.core.records import RoomEvent


class ShownEarly:
    """Per session: feed events judged and shown, not archived yet."""

    def __init__(self) -> None:
        self._by_space: dict[str, dict[str, RoomEvent]] = {}

    def add(self, spaces_by_room: Mapping[str, str], shown: Iterable[RoomEvent]) -> set[str]:
        """Keep the feed events of the sessions we know; returns the sessions touched."""
        touched = set()
        for event in shown:
            space = spaces_by_room.get(event.room_id)
            if space is not None and ins.in_feed(event):
                self._by_space.setdefault(space, {})[event.event_id] = event
                touched.add(space)
        return touched

    def settle(self, archived: Iterable[RoomEvent]) -> set[str]:
        """Forget the events archived now; returns the sessions they were shown in."""
        settled = set()
        ids = {event.event_id for event in archived}
        for space, early in self._by_space.items():
            if ids & early.keys():
                settled.add(space)
                for event_id in ids & early.keys():
                    del early[event_id]
        return settled

    def with_archived(self, space: str, archived: Mapping[str, RoomEvent]) -> dict[str, RoomEvent]:
        """The session's feed events by id (a new dict): the archived ones, and those
        shown early besides, but for an early ack of an instruction not known yet.

        Why that one waits: our own instruction's echo is never shown early (its outbox
        row turns into it at the commit), so the delegate's "received" can be shown in
        the same batch ahead of it; the board would call that genuine ack a stray one
        in the audit list until the write is done. On record, the echo is there too."""
        early = self._by_space.get(space, {})
        known = {**early, **archived}
        for event_id, event in early.items():
            target = _ack_target(event)
            if target and target not in known and event_id not in archived:
                del known[event_id]
        return known


def _ack_target(event: RoomEvent) -> str:
    """The instruction an ack (ours or a plain reply) refers to; '' for any other event."""
    if event.type == roles.ACK:
        return ins.acknowledged_id(event.content)
    replied = ins.reply_ack(event.content) if event.type == "m.room.message" else None
    return replied[0] if replied else ""
