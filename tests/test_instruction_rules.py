"""The instruction lifecycle rules, without a server: what the board shows for given events."""

from __future__ import annotations

from app.core import protocol, roles
from app.core.instructions import (
    ACK_WINDOW_MS,
    Doubt,
    Draft,
    Stage,
    ack_content,
    build_feed,
    draft_problems,
    feed_order,
    instruction_content,
    next_due,
)
from app.core.records import EventStatus, RoomEvent

ROOMS = {"!geneva": "geneva", "!doha": "doha"}
T0 = 1_800_000_000_000


def event(n: int, room: str, sender: str, kind: str, content: dict, *, ts: int = T0) -> RoomEvent:
    return RoomEvent(f"$e{n}", room, sender, kind, ts + n, content)


def instruction(n: int, room: str, draft: Draft, ref: str, ts: int = T0) -> RoomEvent:
    content = instruction_content(draft, ref)
    assert protocol.problem(roles.INSTRUCTION, content) == ""
    return event(n, room, "@amal:x", roles.INSTRUCTION, content, ts=ts)


def ack(n: int, room: str, target: int, state: str, note: str = "") -> RoomEvent:
    content = ack_content(f"$e{target}", state, note)
    assert protocol.problem(roles.ACK, content) == ""
    return event(n, room, "@omar:x", roles.ACK, content)


def test_a_delegation_moves_only_forward_and_settles_once() -> None:
    draft = Draft("Hold", "Text", "flash", action=("geneva",))
    events = [
        instruction(1, "!geneva", draft, "r1"),
        ack(2, "!geneva", 1, "acknowledged"),
        ack(3, "!geneva", 1, "received"),  # late "received": never moves the row back
        ack(4, "!geneva", 1, "done", "Held."),
        ack(5, "!geneva", 1, "unable", "Too late to change a settled row."),
    ]
    (row,) = build_feed(events, ROOMS, T0 + 10).rows
    assert row.stage is Stage.DONE and row.note == "Held." and not row.open
    assert [a.state for a in row.history] == [
        Stage.ACKNOWLEDGED, Stage.RECEIVED, Stage.DONE, Stage.UNABLE
    ]  # fmt: skip


def test_overdue_by_priority_window_and_deadline_and_not_when_superseded() -> None:
    flash = Draft("Flash", "", "flash", action=("geneva",))
    routine = Draft("Routine", "", "routine", action=("doha",), deadline=T0 + 60_000)
    events = [instruction(1, "!geneva", flash, "f"), instruction(2, "!doha", routine, "r")]
    feed = build_feed(events, ROOMS, T0)
    assert not any(r.overdue for r in feed.rows)
    assert next_due(feed.rows, T0) == T0 + 60_000  # the routine deadline comes first
    later = build_feed(events, ROOMS, T0 + ACK_WINDOW_MS["flash"] + 10)
    assert {r.instruction.ref: r.overdue for r in later.rows} == {"f": True, "r": True}
    newer = Draft("Newer", "", "flash", action=("geneva",), supersedes="f")
    superseded = build_feed([*events, instruction(3, "!geneva", newer, "n")], ROOMS, T0 + 10**9)
    old = superseded.by_ref["f"][0]
    assert old.superseded_by == "n" and not old.overdue and not old.open


def test_forged_malformed_and_stray_acks_are_audited_not_counted() -> None:
    draft = Draft("Hold", "", action=("geneva", "doha"))
    forged = ack(2, "!geneva", 1, "done")
    forged = RoomEvent(**{**_fields(forged), "status": EventStatus.FORGED, "note": "not a member"})
    malformed = RoomEvent(
        "$e5", "!geneva", "@omar:x", roles.ACK, T0 + 5, {"state": "maybe"},
        status=EventStatus.MALFORMED, note="state is not one of ...",
    )  # fmt: skip
    stray = ack(3, "!geneva", 99, "acknowledged")
    # A Geneva delegate "acknowledging" Doha's copy: the authority check vouched for the
    # sender in Geneva's room only, so it must not move Doha's row.
    cross = ack(6, "!geneva", 7, "done")
    elsewhere = ack(4, "!other", 1, "done")  # not a delegation room of this session
    events = [
        instruction(1, "!geneva", draft, "r"), instruction(7, "!doha", draft, "r"),
        forged, malformed, stray, cross, elsewhere,
    ]  # fmt: skip
    feed = build_feed(events, ROOMS, T0)
    assert {r.instruction.delegation: r.stage for r in feed.rows} == {
        "geneva": Stage.ISSUED, "doha": Stage.ISSUED
    }  # fmt: skip
    doubts = {s.event_id: s.doubt for s in feed.suspects}
    assert doubts == {
        "$e2": Doubt.FORGED, "$e5": Doubt.MALFORMED, "$e3": Doubt.STRAY, "$e6": Doubt.STRAY
    }  # fmt: skip


def test_feed_order_puts_open_urgent_instructions_first() -> None:
    drafts = [
        Draft("old flash, done", "", "flash", action=("geneva",)),
        Draft("routine open", "", "routine", action=("geneva",)),
        Draft("flash open", "", "flash", action=("geneva",)),
        Draft("info only", "", "flash", info=("geneva",)),
    ]
    events = [instruction(n, "!geneva", d, f"r{n}") for n, d in enumerate(drafts, start=1)]
    events.append(ack(9, "!geneva", 1, "done"))
    rows = feed_order(build_feed(events, ROOMS, T0).rows)
    assert [r.instruction.subject for r in rows] == [
        "flash open", "routine open", "info only", "old flash, done"
    ]  # fmt: skip


def test_drafts_are_checked_before_they_can_be_issued() -> None:
    assert draft_problems(Draft(" ", "x"), T0) == ["no_subject", "no_addressee"]
    late = Draft("Go", "", action=("geneva",), deadline=T0 - 1)
    assert draft_problems(late, T0) == ["deadline_past"]
    marked = Draft("Go", "", action=("geneva",), classification="X" * 65)
    assert draft_problems(marked, T0) == ["too_long"]  # every receiver would refuse it


def test_an_unable_ack_without_a_reason_is_malformed() -> None:
    assert "must say why" in protocol.problem(roles.ACK, ack_content("$x", "unable"))
    assert protocol.problem(roles.ACK, ack_content("$x", "unable", "No mediator.")) == ""


def _fields(e: RoomEvent) -> dict:
    return {name: getattr(e, name) for name in e.__dataclass_fields__}
