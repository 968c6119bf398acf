"""Feed events a board shows before their archived copy is there, and the one rule that
decides which of them it shows.

Two kinds are held, per session, keyed by event id (so never counted twice, also when a
failed write brings their batch again):

- **Shown early**: events judged and shown ahead of their archive write. The boards show
  them at once (the screen need not wait for the commit), but whatever has consequences
  (the automatic "received", alerts, the overdue note on disk) counts only what is on
  record; they are released when ``absorb`` hears they are archived.
- **Sent**: our instructions the server accepted this run, as the events their echo will
  be. A rebuild reads the outbox's unsent rows only (sent rows stay there for good, so
  reading them all would grow without bound), and our own echo joins the board only
  once archived: without these, a board rebuilt in between showed no row, and the
  instruction the user had just sent vanished until sync brought it back. Each is
  released once its event id is among the archived events. A restart in between forgets
  them (they live in memory): the row comes back with the echo on the next sync.

Both ask the same question of the board, "is this event known yet", answered once per
build in ``board_events``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from app.core import instructions as ins
from app.core import roles
from app.core.records import RoomEvent


class Held:
    """Per session: events by id, held until their archived copy is on the board."""

    def __init__(self) -> None:
        self._by_space: dict[str, dict[str, RoomEvent]] = {}

    def add(self, space: str, events: Iterable[RoomEvent]) -> None:
        self._by_space.setdefault(space, {}).update((e.event_id, e) for e in events)

    def add_feed(self, spaces_by_room: Mapping[str, str], events: Iterable[RoomEvent]) -> set[str]:
        """Hold the feed events of the sessions we know; returns the sessions touched."""
        touched = set()
        for event in events:
            space = spaces_by_room.get(event.room_id)
            if space is not None and ins.in_feed(event):
                self.add(space, [event])
                touched.add(space)
        return touched

    def release(self, event_ids: Collection[str], space: str | None = None) -> set[str]:
        """Forget these events (in one session, or in all); returns the sessions that
        held one."""
        released = set()
        for held_in, held in self._by_space.items():
            if space not in (None, held_in):
                continue
            for event_id in held.keys() & event_ids:
                del held[event_id]
                released.add(held_in)
        return released

    def of(self, space: str) -> Mapping[str, RoomEvent]:
        return self._by_space.get(space, {})


def board_events(
    space: str, archived: Mapping[str, RoomEvent], sent: Held, early: Held
) -> dict[str, RoomEvent]:
    """The session's feed events by id (a new dict): the archived ones; our sent
    instructions whose echo is not archived yet (those whose echo is are released); and
    those shown early, but for an early ack of an instruction not known yet.

    Why that ack waits: our own instruction's echo is never shown early (its outbox row
    turns into it at the commit), so the delegate's "received" can be shown in the same
    batch ahead of it; the board would call that genuine ack a stray one in the audit
    list until the write is done. On record, the echo is there too."""
    sent.release(archived.keys(), space)
    shown = early.of(space)
    known = {**shown, **sent.of(space), **archived}
    for event_id, event in shown.items():
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
