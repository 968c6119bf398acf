"""Our instructions the server accepted this run, held on the board until their echo.

Why: a rebuild reads the outbox's unsent rows only (sent rows stay there for good, so
reading them all would grow without bound), and our own echo joins the board only once
archived. Without this, a board rebuilt in between showed no row: the instruction the
user had just sent vanished until sync brought it back. Only rows that were pending on
an earlier read are looked up, once, in the same store call; each is dropped as soon as
its event id is among the board's archived events (our own echo is never shown early).
A restart in between forgets them (they live in memory): the row comes back with the
echo on the next sync.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.core.records import RoomEvent


class AwaitingEcho:
    """Per session: our sent instructions as events, by their server event id."""

    def __init__(self) -> None:
        self._by_space: dict[str, dict[str, RoomEvent]] = {}

    def add(self, space: str, sent: Iterable[RoomEvent]) -> None:
        self._by_space.setdefault(space, {}).update((e.event_id, e) for e in sent)

    def fold(self, space: str, events: Mapping[str, RoomEvent]) -> dict[str, RoomEvent]:
        """The board's events (a new dict) with each sent instruction whose echo they do
        not hold yet; the ones they hold are forgotten."""
        waiting = self._by_space.get(space, {})
        for event_id in waiting.keys() & events.keys():
            del waiting[event_id]
        return {**waiting, **events}
