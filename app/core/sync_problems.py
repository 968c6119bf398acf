"""Parts of a sync answer this device could not take in, and why: what the record keeps.

A sync answer is read in one go by the Matrix library; one part it fails on (a
timeline event without content, a presence event of the wrong shape) would fail the
whole answer, and the same answer comes again on every retry. Such parts are taken
out, each recorded here with its place and reason, and the rest of the answer goes
through. These plain records cross from the Matrix layer to the services and the UI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Sections of a sync answer whose items are room events ("history": a page of a room's
# past): a taken-out one leaves a malformed row in its room's timeline as well, so the
# room shows that something was said.
ROOM_EVENT_SECTIONS = frozenset({"timeline", "state", "history"})


@dataclass(frozen=True, slots=True)
class SyncProblem:
    """One part of a sync answer that was taken out. ``section`` names where it was
    ("timeline", "state", "ephemeral", "account_data", "presence", "invite_state",
    "summary", a whole room's "join"...); ``room_id`` is '' outside the rooms."""

    section: str
    detail: str
    room_id: str = ""
    event_id: str = ""
    event_type: str = ""
    sender: str = ""
    source: str = ""  # JSON of the part as received, cut to a bounded length


class ToldOnce:
    """The parts taken out of the batch from one token, told once. A batch whose archive
    write failed is fetched again from the same token, screened again, and would tell
    the same parts again on every retry."""

    def __init__(self) -> None:
        self._since: str | None = None
        self._told: set[SyncProblem] = set()

    def untold(self, since: str | None, problems: Iterable[SyncProblem]) -> list[SyncProblem]:
        """``problems`` of the batch from ``since`` not told yet (now counted as told)."""
        if since != self._since:
            self._since, self._told = since, set()
        fresh = [p for p in dict.fromkeys(problems) if p not in self._told]
        self._told.update(fresh)
        return fresh


def summarize_sync(problems: Iterable[SyncProblem]) -> list[str]:
    """One line per section and room, as a person reads it in the log or the status bar:
    '2 timeline items of !abc:hs taken out (KeyError: 'content')'."""
    groups: dict[tuple[str, str], list[SyncProblem]] = {}
    for problem in problems:
        groups.setdefault((problem.section, problem.room_id), []).append(problem)
    lines = []
    for (section, room_id), found in groups.items():
        noun = "item" if len(found) == 1 else "items"
        place = f" of {room_id}" if room_id else ""
        lines.append(f"{len(found)} {section} {noun}{place} taken out ({found[0].detail[:200]})")
    return lines
