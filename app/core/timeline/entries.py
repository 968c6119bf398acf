"""Timeline entries and their verification: the pure rules, no Matrix, Qt or SQL.

An entry is what the crisis room knows (a sitrep, a decision, a rumour …) together with
how sure it is. How sure changes later and by other people, so a change is its own event
that references the entry; the history of those changes is the record of who believed
what and why. Nothing here ever drops a change: one that breaks the rules is kept in the
history as not applied, the way a rumour marked false stays visible with its mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.records import EventStatus, RoomEvent
from app.core.text import is_rtl

KIND_ORDER = ("sitrep", "decision", "statement", "analysis", "media", "rumour")
STATUS_ORDER = ("unverified", "corroborated", "confirmed", "disputed", "false", "retracted")
INITIAL_STATUS = "unverified"

# Where a report may go next. Confirmed can still be disputed (new facts), false can be
# reopened as disputed; a retraction is the author's last word and ends the history.
_NEXT: Mapping[str, frozenset[str]] = {
    "unverified": frozenset({"corroborated", "confirmed", "disputed", "false", "retracted"}),
    "corroborated": frozenset({"confirmed", "disputed", "false", "retracted"}),
    "confirmed": frozenset({"disputed", "retracted"}),
    "disputed": frozenset({"corroborated", "confirmed", "false", "retracted"}),
    "false": frozenset({"disputed", "retracted"}),
    "retracted": frozenset(),
}

# Arabic short vowels, shadda, sukun, superscript alef and tatweel: written or not, the
# word is the same, so search ignores them on both sides (index and query).
ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
_MARKS_RE = re.compile(f"[{ARABIC_MARKS}]")
# Letters written either way (alef with or without hamza or madda, final ya with or without
# dots): search treats them as one, as Arabic readers do.
ARABIC_FOLDS = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0649": "\u064a"}
_FOLD_TABLE = str.maketrans(ARABIC_FOLDS)


class EntryError(ValueError):
    """A draft or a change the rules refuse; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """What the composer collects; ``occurred_at`` is when it happened (ms), not when posted."""

    kind: str
    title: str
    body: str
    occurred_at: int | None = None
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    location: str = ""
    verification: str = INITIAL_STATUS


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry as read back from an archived, valid ``org.openopsroom.entry`` event."""

    kind: str
    title: str
    body: str
    occurred_at: int | None
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    location: str
    verification: str  # as posted; the current status comes from the history


@dataclass(frozen=True, slots=True)
class Change:
    """One step of an entry's verification history."""

    event_id: str
    by: str
    at: int  # ms, the server's clock
    status: str
    reason: str
    applied: bool = True
    why_not: str = ""  # why a change was not applied (kept in the record all the same)


@dataclass(frozen=True, slots=True)
class Verification:
    """An entry's current status and every change that led there, oldest first."""

    entry_id: str
    status: str
    history: tuple[Change, ...]


def _clean_list(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def entry_content(draft: EntryDraft) -> dict[str, Any]:
    """Content of a new entry; refuses a draft the schema or the rules would reject.

    The plain ``body`` leads with kind and title so other Matrix clients show a
    readable line.
    """
    title, body = draft.title.strip(), draft.body.strip()
    if draft.kind not in KIND_ORDER:
        raise EntryError(f"unknown kind of entry: {draft.kind}")
    if not title:
        raise EntryError("an entry needs a title")
    if len(title) > 300:
        raise EntryError("the title is longer than 300 characters")
    if draft.verification not in STATUS_ORDER:
        raise EntryError(f"unknown verification status: {draft.verification}")
    content: dict[str, Any] = {
        "body": f"[{draft.kind.upper()}] {title}\n\n{body}".strip(),
        "kind": draft.kind,
        "title": title,
        "verification": draft.verification,
    }
    if draft.occurred_at is not None:
        content["occurred_at"] = int(draft.occurred_at)
    for name, values in (("sources", draft.sources), ("tags", draft.tags)):
        if cleaned := _clean_list(values):
            content[name] = list(cleaned)
    if draft.location.strip():
        content["location"] = draft.location.strip()
    return content


def read_entry(content: Mapping[str, Any]) -> Entry:
    """The entry an already validated content describes.

    Our own bodies lead with kind and title (see ``entry_content``); that lead is not
    shown twice. Another client's body is shown whole.
    """
    kind, title = str(content.get("kind", "")), str(content.get("title", ""))
    text = str(content.get("body", ""))
    lead = f"[{kind.upper()}] {title}"
    if text.startswith(lead):
        text = text[len(lead) :].lstrip("\n")
    occurred = content.get("occurred_at")
    return Entry(
        kind=kind,
        title=title,
        body=text,
        occurred_at=occurred if isinstance(occurred, int) else None,
        sources=tuple(content.get("sources") or ()),
        tags=tuple(content.get("tags") or ()),
        location=str(content.get("location") or ""),
        verification=str(content.get("verification") or INITIAL_STATUS),
    )


def verification_content(entry_id: str, status: str, reason: str) -> dict[str, Any]:
    """Content of a verification change; a reason is required, a guess is not a verdict."""
    reason = reason.strip()
    if status not in STATUS_ORDER:
        raise EntryError(f"unknown verification status: {status}")
    if not reason:
        raise EntryError("say why the status changes")
    return {
        "body": f"Verification: {status} — {reason}",
        "status": status,
        "reason": reason,
        "m.relates_to": {"rel_type": "m.reference", "event_id": entry_id},
    }


def can_change(current: str, new: str) -> bool:
    return new in _NEXT.get(current, frozenset())


def next_statuses(current: str) -> tuple[str, ...]:
    """What the verification dialog offers, in display order."""
    return tuple(s for s in STATUS_ORDER if can_change(current, s))


def referenced_entry(content: Mapping[str, Any]) -> str:
    relates = content.get("m.relates_to")
    return str(relates.get("event_id", "")) if isinstance(relates, Mapping) else ""


def verification_of(entry: RoomEvent, changes: Iterable[RoomEvent]) -> Verification:
    """Fold an entry's change events (any order) into its current status and history.

    Only valid (OK) change events count; a change the rules refuse from the status then
    current (e.g. after a retraction, or a retraction by someone other than the author)
    is kept as not applied.
    """
    posted = read_entry(entry.content).verification
    status = posted
    history = [Change(entry.event_id, entry.sender, entry.origin_ts, posted, "", True)]
    ordered = sorted(changes, key=lambda e: (e.origin_ts, e.event_id))
    for event in ordered:
        if event.status is not EventStatus.OK or referenced_entry(event.content) != entry.event_id:
            continue
        new, reason = str(event.content["status"]), str(event.content["reason"])
        why_not = ""
        if not can_change(status, new):
            why_not = f"{status} cannot become {new}"
        elif new == "retracted" and event.sender != entry.sender:
            why_not = "only the author can retract an entry"
        history.append(
            Change(event.event_id, event.sender, event.origin_ts, new, reason, not why_not, why_not)
        )
        if not why_not:
            status = new
    return Verification(entry.event_id, status, tuple(history))


def paragraphs(text: str) -> list[tuple[str, bool]]:
    """Each paragraph with its own direction (True: right-to-left), blank lines dropped.

    Mixed Arabic/English text: every paragraph starts on the side its first strong
    letter asks for, whatever the window's language.
    """
    return [(p, is_rtl(p)) for p in text.split("\n") if p.strip()]


def search_key(text: str) -> str:
    """Text as search compares it: Arabic marks removed, letter forms folded, case folded."""
    return _MARKS_RE.sub("", text).translate(_FOLD_TABLE).casefold()


@dataclass(frozen=True, slots=True)
class TimelineQuery:
    """What the search and filter bar asks of the archive; empty fields do not filter."""

    text: str = ""
    room_ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # entry kinds, or CHAT for plain messages
    statuses: tuple[str, ...] = ()  # current verification status (entries only)
    sender: str = ""
    tag: str = ""
    since: int | None = None  # ms, inclusive
    until: int | None = None  # ms, exclusive
    limit: int = 200


CHAT = "chat"  # the kind filter's name for plain messages between entries


def search_terms(text: str) -> list[str]:
    """The words of a query as search compares them (see ``search_key``)."""
    return [t for t in search_key(text).split() if t]
