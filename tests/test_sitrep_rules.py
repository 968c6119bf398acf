"""Sitrep rules without a server: compiling a draft from the timeline, and the two-person
rule that decides which reviews and publications count."""

from __future__ import annotations

from typing import Any

from app.core import protocol, roles
from app.core.records import EventStatus, RoomEvent
from app.core.sitrep import (
    SitrepDraft,
    Stage,
    Why,
    compile_draft,
    fold_sitreps,
    publication_message,
    publication_payload,
    review_message,
    review_payload,
    review_refusal,
    submission_message,
    submission_payload,
)

OPS, GENEVA = "!ops", "!geneva"
AUTHOR, APPROVER, EXPERT = "@amal:x", "@badr:x", "@hind:x"
OFFICIALS = frozenset({AUTHOR, APPROVER})


def entry(eid: str, ts: int, kind: str, title: str, tags: tuple[str, ...] = ()) -> RoomEvent:
    content: dict[str, Any] = {"kind": kind, "title": title, "body": f"{title} body"}
    if tags:
        content["tags"] = list(tags)
    return RoomEvent(eid, OPS, EXPERT, roles.ENTRY, ts, content)


def verified(eid: str, ts: int, target: str, status: str) -> RoomEvent:
    content = {"status": status, "reason": "seen", "m.relates_to": {"event_id": target}}
    return RoomEvent(eid, OPS, APPROVER, roles.VERIFICATION, ts, content)


def test_confirmed_entries_go_to_their_sections_and_the_rest_is_listed_apart() -> None:
    events = [
        entry("$1", 10, "sitrep", "Bridge closed"),
        entry("$2", 11, "decision", "Open the consulate"),
        entry("$3", 12, "statement", "Minister spoke"),
        entry("$4", 13, "analysis", "Talks likely to stall"),
        entry("$5", 14, "media", "Water short", tags=("Needs",)),
        entry("$6", 15, "rumour", "Convoy attacked"),
        entry("$7", 16, "rumour", "Airport shut"),
        entry("$8", 17, "media", "Old story"),
    ]
    changes = [verified(f"$v{e.event_id}", 20, e.event_id, "confirmed") for e in events[:5]]
    changes.append(verified("$v7", 21, "$7", "false"))
    changes.append(verified("$v8", 22, "$8", "corroborated"))
    draft = compile_draft(events + changes, since=0, title="Morning")
    assert draft.section("situation") == "• Bridge closed: Bridge closed body"
    assert "Open the consulate" in draft.section("decisions")
    assert "Minister spoke" in draft.section("actions")
    assert "Talks likely to stall" in draft.section("outlook")
    assert "Water short" in draft.section("needs")  # a tag naming a section wins
    assert "[unverified] Convoy attacked" in draft.unverified
    assert "[corroborated] Old story" in draft.unverified
    assert "Airport shut" not in draft.unverified + "".join(t for _, t in draft.sections)
    assert draft.until == 22


def test_only_entries_since_the_last_sitrep_count() -> None:
    events = [entry("$old", 10, "sitrep", "Old news"), entry("$new", 30, "sitrep", "New news")]
    events += [verified("$v1", 31, "$old", "confirmed"), verified("$v2", 32, "$new", "confirmed")]
    draft = compile_draft(events, since=20)
    assert "New news" in draft.section("situation")
    assert "Old news" not in draft.section("situation")
    assert (draft.since, draft.until) == (20, 32)


def _message(eid: str, ts: int, sender: str, content: dict[str, Any], room: str = OPS) -> RoomEvent:
    """What decode records a 2.0 message as: its carried type and payload."""
    kind, flat = protocol.recorded("m.room.message", content)
    assert not protocol.problem(kind, flat), protocol.problem(kind, flat)
    return RoomEvent(eid, room, sender, kind, ts, flat)


DRAFT = SitrepDraft("Morning", (("situation", "• Bridge closed"),), "", 0, 22)


def _submitted(revision: int = 1, sender: str = AUTHOR, eid: str = "$s1", ts: int = 100):
    payload = submission_payload(DRAFT, "sr1", revision, exercise=True)
    return _message(eid, ts, sender, submission_message(payload))


def test_returned_revised_approved_and_published() -> None:
    events = [_submitted()]
    board = fold_sitreps(events, OPS, OFFICIALS)
    (sitrep,) = board.sitreps
    assert sitrep.stage is Stage.SUBMITTED and sitrep.exercise
    returned = review_payload(sitrep, "returned", "Add the needs")

    events.append(_message("$r1", 110, APPROVER, review_message(returned, sitrep)))
    sitrep = fold_sitreps(events, OPS, OFFICIALS).sitreps[0]
    assert sitrep.stage is Stage.RETURNED and sitrep.comment == "Add the needs"
    events.append(_submitted(2, eid="$s2", ts=120))
    sitrep = fold_sitreps(events, OPS, OFFICIALS).sitreps[0]
    assert (sitrep.stage, sitrep.revision, sitrep.submitted_event) == (Stage.SUBMITTED, 2, "$s2")
    approved = review_payload(sitrep, "approved")
    events.append(_message("$a", 130, APPROVER, review_message(approved, sitrep)))
    sitrep = fold_sitreps(events, OPS, OFFICIALS).sitreps[0]
    assert sitrep.stage is Stage.APPROVED and sitrep.approved_by == APPROVER
    published = publication_message(publication_payload(sitrep, APPROVER))
    assert "approved by @badr:x" in published["body"] and "Bridge closed" in published["body"]
    # A delegation room's copy may carry an earlier time than the approval: still counts.
    events += [_message("$p1", 129, APPROVER, published, GENEVA)]
    events += [_message("$p2", 131, APPROVER, published)]
    board = fold_sitreps(events, OPS, OFFICIALS)
    assert board.latest_published is not None
    assert set(board.latest_published.published_in) == {OPS, GENEVA}
    assert board.covered_until == 22 and not board.refused


def test_approvals_by_the_author_or_a_non_official_do_not_count() -> None:
    events = [_submitted()]
    sitrep = fold_sitreps(events, OPS, OFFICIALS).sitreps[0]
    assert review_refusal(sitrep, AUTHOR, OFFICIALS) is Why.OWN_SITREP
    assert review_refusal(sitrep, EXPERT, OFFICIALS) is Why.NOT_OFFICIAL
    assert review_refusal(sitrep, APPROVER, OFFICIALS) is None
    approval = review_message(review_payload(sitrep, "approved"), sitrep)
    events += [_message("$own", 110, AUTHOR, approval), _message("$exp", 111, EXPERT, approval)]
    # A publication that no valid approval stands behind does not count either.
    unapproved = publication_message(publication_payload(sitrep, EXPERT))
    events.append(_message("$pub", 112, EXPERT, unapproved))
    board = fold_sitreps(events, OPS, OFFICIALS)
    assert board.sitreps[0].stage is Stage.SUBMITTED and board.latest_published is None
    assert [(r.event_id, r.why) for r in board.refused] == [
        ("$own", Why.OWN_SITREP),
        ("$exp", Why.NOT_OFFICIAL),
        ("$pub", Why.UNAPPROVED),
    ]


def test_only_the_author_revises_and_a_review_of_an_old_revision_is_outdated() -> None:
    events = [_submitted()]
    first = fold_sitreps(events, OPS, OFFICIALS).sitreps[0]
    events.append(_submitted(2, sender=APPROVER, eid="$s2", ts=105))
    events.append(_submitted(2, eid="$s3", ts=106))
    old = review_message(review_payload(first, "approved"), first)
    events.append(_message("$late", 110, APPROVER, old))
    forged = RoomEvent("$f", OPS, EXPERT, roles.SITREP_REVIEW, 111, {}, status=EventStatus.FORGED,
                       note="level 40")  # fmt: skip
    events.append(forged)
    board = fold_sitreps(events, OPS, OFFICIALS)
    assert board.sitreps[0].revision == 2 and board.sitreps[0].stage is Stage.SUBMITTED
    assert [r.why for r in board.refused] == [Why.NOT_AUTHOR, Why.OUTDATED, Why.LOCKED]


def test_a_return_without_a_comment_is_malformed() -> None:
    sitrep = fold_sitreps([_submitted()], OPS, OFFICIALS).sitreps[0]
    content = review_message(review_payload(sitrep, "returned"), sitrep)
    kind, flat = protocol.recorded("m.room.message", content)
    assert "comment" in protocol.problem(kind, flat)
