"""The two-person rule: a sitrep is submitted by its author, approved (or returned with a
comment) by a second person with the official role, and only then published.

``fold_sitreps`` reads a session's sitrep events into where each sitrep stands. It is the
app's second lock for sitreps: the server cannot tell an approval by the author, or by
someone who is not an official, from a good one (the room is encrypted, and a raw client
may send anything), so such a review is kept in the record as refused (shown as forged)
and never counts. The same rule (``review_refusal``) lets the app refuse before sending.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.core import roles
from app.core.records import EventStatus, RoomEvent
from app.core.sitrep.compile import SECTIONS, SitrepDraft


class Stage(enum.StrEnum):
    SUBMITTED = "submitted"  # waiting for a second person's review
    RETURNED = "returned"  # sent back with a comment; the author may revise
    APPROVED = "approved"  # approved, not yet seen published
    PUBLISHED = "published"


class Why(enum.StrEnum):
    """Why a sitrep step is refused (the UI words each one)."""

    OWN_SITREP = "own_sitrep"  # the author approves or returns their own sitrep
    NOT_OFFICIAL = "not_official"  # a reviewer without the official role
    NOT_AUTHOR = "not_author"  # someone else resubmits an author's sitrep
    NOT_SUBMITTED = "not_submitted"  # nothing to review: returned, approved or published
    OUTDATED = "outdated"  # a review of a revision since replaced
    UNAPPROVED = "unapproved"  # a publication without a valid approval by its sender
    LOCKED = "locked"  # the server-side level check (authority) already found it forged
    NO_COMMENT = "no_comment"  # a return must say why
    NO_TITLE = "no_title"
    EMPTY = "empty"  # nothing in any section
    NOT_IN_SESSION = "not_in_session"
    NOT_COMPILER = "not_compiler"  # a role below the level that may submit
    DETAILS_PENDING = "details_pending"  # the session's exercise flag is not decrypted yet


@dataclass(frozen=True, slots=True)
class Review:
    event_id: str
    by: str
    at: int
    verdict: str  # approved | returned
    comment: str
    revision: int


@dataclass(frozen=True, slots=True)
class Refusal:
    """A sitrep event that does not count, kept for the record with its reason."""

    event_id: str
    sitrep_id: str
    by: str
    at: int
    why: Why
    note: str = ""


@dataclass(frozen=True, slots=True)
class Sitrep:
    """A sitrep as it stands: its newest revision, its reviews, where it went."""

    sitrep_id: str
    author: str
    revision: int
    submitted_event: str  # the newest revision's submission: what a review references
    submitted_at: int
    draft: SitrepDraft
    exercise: bool
    stage: Stage
    reviews: tuple[Review, ...] = ()
    approved_by: str = ""
    approved_at: int = 0
    published_at: int = 0
    published_in: tuple[str, ...] = ()  # rooms where its publication arrived

    @property
    def comment(self) -> str:
        """The last reviewer's comment (why it was returned)."""
        return self.reviews[-1].comment if self.reviews else ""


@dataclass(frozen=True, slots=True)
class Board:
    """A session's sitreps, oldest first, and the events refused on the way."""

    sitreps: tuple[Sitrep, ...] = ()
    refused: tuple[Refusal, ...] = ()

    def find(self, sitrep_id: str) -> Sitrep | None:
        return next((s for s in self.sitreps if s.sitrep_id == sitrep_id), None)

    @property
    def latest_published(self) -> Sitrep | None:
        published = [s for s in self.sitreps if s.stage is Stage.PUBLISHED]
        return max(published, key=lambda s: s.published_at, default=None)

    @property
    def covered_until(self) -> int:
        """Where the next sitrep starts: the end of the last published one (0 before)."""
        latest = self.latest_published
        return latest.draft.until if latest else 0


def may_compile(role: roles.Role | None) -> bool:
    return role is not None and roles.POWER[role] >= roles.EVENT_LEVELS[roles.SITREP]


def review_refusal(sitrep: Sitrep, reviewer: str, officials: frozenset[str]) -> Why | None:
    """Why ``reviewer`` may not approve or return this sitrep now (None: they may)."""
    if reviewer == sitrep.author:
        return Why.OWN_SITREP
    if reviewer not in officials:
        return Why.NOT_OFFICIAL
    if sitrep.stage is not Stage.SUBMITTED:
        return Why.NOT_SUBMITTED
    return None


def draft_refusal(draft: SitrepDraft) -> Why | None:
    if not draft.title.strip():
        return Why.NO_TITLE
    if not any(text.strip() for _, text in draft.sections) and not draft.unverified.strip():
        return Why.EMPTY
    return None


def new_sitrep_id() -> str:
    return uuid.uuid4().hex


def submission_payload(
    draft: SitrepDraft, sitrep_id: str, revision: int, exercise: bool
) -> dict[str, Any]:
    return {
        "stage": Stage.SUBMITTED.value,
        "id": sitrep_id,
        "revision": revision,
        "title": draft.title.strip(),
        "sections": {name: text.strip() for name, text in draft.sections if text.strip()},
        "unverified": draft.unverified.strip(),
        "since": draft.since,
        "until": draft.until,
        "exercise": exercise,
    }


def publication_payload(sitrep: Sitrep, approved_by: str) -> dict[str, Any]:
    payload = submission_payload(sitrep.draft, sitrep.sitrep_id, sitrep.revision, sitrep.exercise)
    payload.update(stage=Stage.PUBLISHED.value, author=sitrep.author, approved_by=approved_by)
    return payload


def review_payload(sitrep: Sitrep, verdict: str, comment: str = "") -> dict[str, Any]:
    payload: dict[str, Any] = {
        "verdict": verdict,
        "id": sitrep.sitrep_id,
        "m.relates_to": {"rel_type": "m.reference", "event_id": sitrep.submitted_event},
    }
    if comment.strip():
        payload["comment"] = comment.strip()
    return payload


def read_draft(content: Mapping[str, Any]) -> SitrepDraft:
    """The sitrep text an already validated submission or publication carries."""
    sections = content.get("sections") or {}
    return SitrepDraft(
        title=str(content.get("title", "")),
        sections=tuple(
            (name, text if isinstance(text := sections.get(name, ""), str) else "")
            for name in SECTIONS
        ),
        unverified=str(content.get("unverified") or ""),
        since=int(content.get("since", 0)),
        until=int(content.get("until", 0)),
        sitrep_id=str(content.get("id", "")),
    )


class _Fold:
    """One pass over a session's sitrep events in timeline order."""

    def __init__(self, operations: str, officials: frozenset[str]) -> None:
        self.operations, self.officials = operations, officials
        self.sitreps: dict[str, Sitrep] = {}
        self.refused: list[Refusal] = []

    def refuse(self, event: RoomEvent, why: Why, note: str = "") -> None:
        sitrep_id = str(event.content.get("id", "")) if isinstance(event.content, Mapping) else ""
        self.refused.append(Refusal(event.event_id, sitrep_id, event.sender, event.origin_ts,
                                    why, note))  # fmt: skip

    def take(self, event: RoomEvent) -> None:
        if event.status is EventStatus.FORGED:
            self.refuse(event, Why.LOCKED, event.note)
        elif event.status is not EventStatus.OK:
            return
        elif event.type == roles.SITREP_REVIEW and event.room_id == self.operations:
            self.review(event)
        elif event.type == roles.SITREP and event.content["stage"] == Stage.SUBMITTED:
            if event.room_id == self.operations:
                self.submit(event)
        elif event.type == roles.SITREP:
            self.publish(event)

    def submit(self, event: RoomEvent) -> None:
        c = event.content
        revision = c["revision"]
        if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
            return
        known = self.sitreps.get(c["id"])
        if known is not None and known.author != event.sender:
            self.refuse(event, Why.NOT_AUTHOR)
            return
        if known is not None and known.stage in (Stage.APPROVED, Stage.PUBLISHED):
            self.refuse(event, Why.NOT_SUBMITTED)
            return
        reviews = known.reviews if known else ()
        exercise = bool(c.get("exercise"))
        self.sitreps[c["id"]] = Sitrep(c["id"], event.sender, revision, event.event_id,
                                       event.origin_ts, read_draft(c), exercise,
                                       Stage.SUBMITTED, reviews)  # fmt: skip

    def review(self, event: RoomEvent) -> None:
        c = event.content
        sitrep = self.sitreps.get(str(c["id"]))
        if sitrep is None:
            return  # a review of nothing we know: no effect, nothing to record
        if c["m.relates_to"]["event_id"] != sitrep.submitted_event:
            self.refuse(event, Why.OUTDATED)
            return
        if (why := review_refusal(sitrep, event.sender, self.officials)) is not None:
            self.refuse(event, why)
            return
        verdict = str(c["verdict"])
        review = Review(event.event_id, event.sender, event.origin_ts, verdict,
                        str(c.get("comment") or ""), sitrep.revision)  # fmt: skip
        reviews = (*sitrep.reviews, review)
        if verdict == "approved":
            self.sitreps[sitrep.sitrep_id] = replace(sitrep, stage=Stage.APPROVED,
                reviews=reviews, approved_by=event.sender, approved_at=event.origin_ts)  # fmt: skip
        else:
            self.sitreps[sitrep.sitrep_id] = replace(sitrep, stage=Stage.RETURNED, reviews=reviews)

    def publish(self, event: RoomEvent) -> None:
        sitrep = self.sitreps.get(str(event.content["id"]))
        if (
            sitrep is None
            or sitrep.stage not in (Stage.APPROVED, Stage.PUBLISHED)
            or event.sender != sitrep.approved_by
            or event.content["revision"] != sitrep.revision
        ):
            self.refuse(event, Why.UNAPPROVED)
            return
        published_at = sitrep.published_at or event.origin_ts
        rooms = (*sitrep.published_in, event.room_id)
        self.sitreps[sitrep.sitrep_id] = replace(sitrep, stage=Stage.PUBLISHED,
            published_at=published_at, published_in=rooms)  # fmt: skip


def _is_publication(event: RoomEvent) -> bool:
    content = event.content if isinstance(event.content, Mapping) else {}
    return event.type == roles.SITREP and content.get("stage") == Stage.PUBLISHED


def fold_sitreps(events: Iterable[RoomEvent], operations: str, officials: frozenset[str]) -> Board:
    """Where each sitrep of a session stands, from its events in any room of the session.

    Submissions and reviews count only in the operations room; a publication counts in
    any room once its sitrep was approved there by the publication's sender. Events are
    taken in the servers' time order, so every client folds them the same way."""
    fold = _Fold(operations, officials)
    relevant = [e for e in events if e.type in (roles.SITREP, roles.SITREP_REVIEW)]
    # Publications last: an approved sitrep never changes again, and a delegation room's
    # copy may carry an earlier server time than the approval it follows.
    relevant.sort(key=lambda e: (_is_publication(e), e.origin_ts, e.event_id))
    for event in relevant:
        fold.take(event)
    ordered = sorted(fold.sitreps.values(), key=lambda s: (s.submitted_at, s.sitrep_id))
    return Board(tuple(ordered), tuple(fold.refused))
