"""The known gaps of a session's record: the archive's open holes in its rooms, each
placed as far as the archive can place it (store thread).

Read when the record is exported, with the chain positions it stops at, so the report,
the manifest and `oor keeper gaps` say the same thing of the same archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.records_export import Fetching, KnownGap

if TYPE_CHECKING:
    from app.store import Archive
    from app.store.archive.gaps import HistoryGap


def known_gaps(archive: Archive, room_ids: Sequence[str] | None = None) -> list[KnownGap]:
    """The open holes in these rooms (None: in all), oldest noted first."""
    return [_placed(archive, hole) for hole in archive.open_holes(room_ids)]


def _placed(archive: Archive, hole: HistoryGap) -> KnownGap:
    """Where the hole begins, when the archive can say: after the room's last archived
    event where holes follow the chain (the keeper's), else only when it was noted."""
    noted = int(hole.noted_at * 1000)
    if not archive.holes_follow_the_chain:
        return KnownGap(hole.room_id, noted, fetching=_fetching(hole))
    count, _head = archive.chain_position(hole.room_id)
    last = archive.chain_links(hole.room_id, count - 1, count, 1) if count else []
    if not last:
        return KnownGap(hole.room_id, noted, from_start=True)
    event = last[0][3]
    return KnownGap(hole.room_id, noted, event.event_id, event.origin_ts)


def _fetching(hole: HistoryGap) -> Fetching:
    """A client's hole by its fills so far (``Archive.gap_left``, ``gap_given_up``)."""
    if hole.given_up:
        return Fetching.GIVEN_UP
    return Fetching.RETRYING if hole.tries else Fetching.NOT_YET
