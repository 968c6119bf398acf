"""What a feature is to the account: a use case that keeps its own projection of the
archive (instructions, charts, records, key recovery…)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.core.records import RoomEvent


class Feature(Protocol):
    """A use case that keeps its own projection of the archive (instructions, indicators).

    The account starts it once its archive is announced and hands it every batch of
    fresh events after they are archived; a feature never holds up the sync loop with
    an exception (it is logged and shown as a Problem).

    An event is judged once per feature, by its event id: a projection read from the
    archive between a batch's commit and its ``absorb`` holds that batch already, and
    ``absorb`` brings it again. Features that keep their events by id and fold them
    whole (instructions, the open round) or read them anew (sitreps) are safe by
    construction; one that changes its projection event by event keeps the ids it
    judged (``core.charts.RoomIndicators``).
    """

    async def start(self) -> None: ...

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None: ...
