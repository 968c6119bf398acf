"""Compiling a sitrep draft from the operations room's timeline.

What the room has confirmed goes into the sections a situation report is read by
(situation, actions taken, decisions, needs, outlook); what is still unconfirmed is listed
apart with its status, so a reader never mistakes a rumour for a fact; what was found
false or retracted is left out. Only entries posted since the last published sitrep
count: each sitrep says up to when it covers (``until``), and the next begins there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core import roles
from app.core.records import EventStatus, RoomEvent
from app.core.timeline import read_entry, referenced_entry, verification_of

SECTIONS = ("situation", "actions", "decisions", "needs", "outlook")
#: Where an entry of each kind belongs. Nothing in the timeline is a "need" by kind: an
#: entry is put there (or anywhere else) by a tag naming the section.
SECTION_OF_KIND: Mapping[str, str] = {
    "sitrep": "situation",
    "media": "situation",
    "rumour": "situation",
    "statement": "actions",
    "decision": "decisions",
    "analysis": "outlook",
}
_TAGGED = {name: name for name in SECTIONS} | {
    "need": "needs",
    "action": "actions",
    "decision": "decisions",
}
CONFIRMED = "confirmed"
LEFT_OUT = frozenset({"false", "retracted"})  # no longer a report of anything


@dataclass(frozen=True, slots=True)
class SitrepDraft:
    """A sitrep as its author edits it: one text per section, the unconfirmed apart.

    ``sitrep_id`` is empty for a new one and names the sitrep a revision replaces."""

    title: str
    sections: tuple[tuple[str, str], ...]  # (section, text) in SECTIONS order
    unverified: str
    since: int  # ms: entries after this (the last published sitrep's ``until``)
    until: int  # ms: the newest timeline event this draft was compiled from
    sitrep_id: str = ""

    def section(self, name: str) -> str:
        return dict(self.sections).get(name, "")


def section_of(kind: str, tags: Iterable[str]) -> str:
    """The section an entry goes to: a tag naming one wins over the entry's kind."""
    for tag in tags:
        if (named := _TAGGED.get(tag.strip().casefold())) is not None:
            return named
    return SECTION_OF_KIND.get(kind, "situation")


def _line(title: str, body: str, sources: Iterable[str], status: str = "") -> str:
    text = " ".join(body.split())
    line = f"• {f'[{status}] ' if status else ''}{title}{f': {text}' if text else ''}"
    listed = ", ".join(sources)
    return f"{line} ({listed})" if listed else line


def compile_draft(events: Iterable[RoomEvent], since: int, title: str = "") -> SitrepDraft:
    """A draft from the room's entry and verification events (any order, any age):
    entries posted after ``since``, each judged by its verification status now."""
    changes: dict[str, list[RoomEvent]] = {}
    entries: list[RoomEvent] = []
    until = since
    for event in events:
        if event.status is not EventStatus.OK:
            continue
        if event.type == roles.VERIFICATION:
            changes.setdefault(referenced_entry(event.content), []).append(event)
        elif event.type == roles.ENTRY and event.origin_ts > since:
            entries.append(event)
        else:
            continue
        until = max(until, event.origin_ts)
    lines: dict[str, list[str]] = {name: [] for name in SECTIONS}
    unconfirmed: list[str] = []
    for event in sorted(entries, key=lambda e: (e.origin_ts, e.event_id)):
        entry = read_entry(event.content)
        status = verification_of(event, changes.get(event.event_id, ())).status
        if status in LEFT_OUT:
            continue
        if status == CONFIRMED:
            line = _line(entry.title, entry.body, entry.sources)
            lines[section_of(entry.kind, entry.tags)].append(line)
        else:
            unconfirmed.append(_line(entry.title, entry.body, entry.sources, status))
    sections = tuple((name, "\n".join(lines[name])) for name in SECTIONS)
    return SitrepDraft(title, sections, "\n".join(unconfirmed), since, until)
