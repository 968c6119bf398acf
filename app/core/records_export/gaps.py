"""Known gaps: stretches of a room's history the archive knows it could not read.

A record that looks whole while its archive knows of a hole misleads the very reader who
must rely on it. So every hole still open when the record is exported travels with it:
in the report, in plain words ahead of everything else, and in the signed manifest, which
`oor verify` reads back and tells. Only what the archive knows is said: where the hole
begins when the archive can name it, and when it was noted (the recording machine's own
clock, said so), never a time made up for its end. English, as the rest of the record
(``marking``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from html import escape
from typing import Any

from app.core.roles import RoomKind
from app.core.session import SessionInfo
from app.core.text import isolate, one_line


class Fetching(StrEnum):
    """Where the archive stood with fetching a hole when the record was exported: a
    reader must know whether the history may still come or is lost to it."""

    NOT_YET = "not_yet"  # not asked for yet, or asked for with some of it coming
    RETRYING = "retrying"  # asked for and refused or failed: to be asked again
    GIVEN_UP = "given_up"  # not to be asked again: the server would not give it


@dataclass(frozen=True, slots=True)
class KnownGap:
    """One hole in a room's history, as far as its place is known.

    ``after_event_id`` (sent at ``after_ms``): the last event of the room the record
    holds before the hole; what came after it could not be read (the keeper reads
    forward and notes a hole where the server stopped serving the room). ``from_start``:
    nothing of the room could be read. Neither: a sync skipped part of the room's history;
    the archive knows only that it came before ``noted_at_ms``, when the sync that skipped
    it arrived. ``fetching``: whether it may still be fetched (the keeper's holes are
    given up: it never asks for them again, it only reads on if it is let back in)."""

    room_id: str
    noted_at_ms: int  # the recording machine's clock
    after_event_id: str = ""
    after_ms: int = 0  # the server's timestamp of that event
    from_start: bool = False
    fetching: Fetching = Fetching.GIVEN_UP


def gaps_field(gaps: Sequence[KnownGap]) -> list[dict[str, Any]]:
    """The gaps as the manifest carries them (and the signature covers)."""
    return [asdict(gap) for gap in gaps]


def read_gaps(value: object) -> tuple[KnownGap, ...]:
    """The manifest's gaps back as ``KnownGap``; ValueError for anything else."""
    if not isinstance(value, list):
        raise ValueError("not a list")
    return tuple(_gap(item) for item in value)


_FIELDS = {
    "room_id": str,
    "noted_at_ms": int,
    "after_event_id": str,
    "after_ms": int,
    "from_start": bool,
    "fetching": str,
}


def _gap(item: object) -> KnownGap:
    if not isinstance(item, Mapping) or set(item) != set(_FIELDS):
        raise ValueError("not a gap")
    for name, kind in _FIELDS.items():
        value = item[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"a gap's {name} is not a {kind.__name__}")
    if item["fetching"] not in set(Fetching):
        raise ValueError(f"a gap's fetching is not one of {', '.join(Fetching)}")
    return KnownGap(**{**item, "fetching": Fetching(item["fetching"])})


def utc(ms: int) -> str:
    """A time as the record's tools print it, where no session's capital is at hand."""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def room_label(room_id: str, session: SessionInfo | None) -> str:
    """The room as a reader knows it, its id after: "the operations room (!id)"."""
    if session is not None and room_id == session.space_id:
        return f"the session's space ({room_id})"
    room = next((r for r in session.rooms if r.room_id == room_id), None) if session else None
    if session is None or room is None:
        return f"room {room_id}"
    if room.kind is RoomKind.DELEGATION:
        names = {d.id: d.name for d in session.delegations}
        name = isolate(one_line(names.get(room.delegation) or room.delegation))
        return f"the room of delegation “{name}” ({room_id})"
    return f"the {room.kind.value} room ({room_id})"


def gap_sentence(gap: KnownGap, room: str, at: Callable[[int], str]) -> str:
    """What the gap means, in one sentence: ``room`` as ``room_label`` names it, times
    as ``at`` writes them."""
    noted = f"{at(gap.noted_at_ms)} by the recording machine's clock"
    if gap.from_start:
        return f"Nothing of the history of {room} could be read, from its start. Noted {noted}."
    if gap.after_event_id:
        return (
            f"The history of {room} after event {gap.after_event_id} (sent "
            f"{at(gap.after_ms)}), the last of this room in the record, could not be read. "
            f"Noted {noted}."
        )
    skipped = f"Part of the history of {room} is not in this record: a sync at {noted} skipped it"
    return skipped + _FETCHING[gap.fetching]


_FETCHING = {
    Fetching.NOT_YET: ", and it had not been fetched yet when the record was exported.",
    Fetching.RETRYING: "; asking the server for it had failed, and it was to be asked again.",
    Fetching.GIVEN_UP: ", and it could not be fetched: the server would not give it, and the "
    "archive gave it up as lost.",
}


def gaps_said(count: int | None) -> str:
    """How many known gaps a record states, as `oor export` and `oor verify` say it;
    None: the record says nothing of its gaps (exported before records did)."""
    if count is None:
        return "it does not state its known gaps (exported before records did)"
    if not count:
        return "no known gaps"
    return f"{count} known gap{'' if count == 1 else 's'} in its history"


def gaps_section(gaps: Sequence[KnownGap], session: SessionInfo, at: Callable[[int], str]) -> str:
    """The report's box of known gaps, ahead of the record it qualifies; a line saying
    there are none otherwise."""
    if not gaps:
        return (
            '<p class="meta">No known gaps: the archive knew of no part of these rooms\' '
            "history it could not read.</p>"
        )
    items = "".join(
        f"<li>{escape(gap_sentence(gap, room_label(gap.room_id, session), at))}</li>"
        for gap in gaps
    )
    stretches = "1 stretch" if len(gaps) == 1 else f"{len(gaps)} stretches"
    return (
        '<div class="gaps"><h2>Known gaps in this record</h2><p>This record is not the '
        "whole history of the session. The archive it was exported from knows "
        f"{stretches} of its rooms' history that it does not hold; nothing of them is in "
        f"this record:</p><ul>{items}</ul></div>"
    )
