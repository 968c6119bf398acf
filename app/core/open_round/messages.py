"""The open round's events as any Matrix client shows them (protocol 2.0).

The round and its controls are ``m.room.message`` with a readable body and the fields
under ``org.openopsroom.round`` (or ``.round_control``); a proposal is a thread reply to
the round; the vote is a stable Matrix poll, so Element's poll UI shows and answers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core import protocol
from app.core.open_round import polls
from app.core.open_round.rounds import CONTROL, PROPOSAL, ROUND, VOTE_OF, Round, Terms

EXERCISE = "EXERCISE — "


class RoundError(ValueError):
    """A round, proposal or step the rules refuse; the message says why, for the user."""


def _mark(terms: Terms) -> str:
    return EXERCISE if terms.exercise else ""


def round_message(terms: Terms) -> dict[str, Any]:
    """The message that poses a round; refuses terms every client would refuse."""
    if not terms.problem.strip():
        raise RoundError("the round needs a problem")
    if not 1 <= terms.minutes <= 24 * 60 or not 1 <= terms.vote_minutes <= 24 * 60:
        raise RoundError("a time box is between 1 minute and 24 hours")
    if not 3 <= terms.top <= 5:
        raise RoundError("three to five proposals go to the desk")
    if not terms.proposers or not terms.voters:
        raise RoundError("name who may propose and who may vote")
    payload = {
        "problem": terms.problem.strip(),
        "wanted": terms.wanted.strip(),
        "minutes": terms.minutes,
        "vote_minutes": terms.vote_minutes,
        "proposers": sorted(r.value for r in terms.proposers),
        "voters": sorted(r.value for r in terms.voters),
        "top": terms.top,
        "exercise": terms.exercise,
    }
    lead = f"{_mark(terms)}🗳 Open round: {terms.problem.strip()}"
    tail = (
        f"Proposals for {terms.minutes} min: reply in this message's thread, first line "
        f"the title. Who may propose: {', '.join(payload['proposers'])}; who may vote: "
        f"{', '.join(payload['voters'])}."
    )
    return protocol.carried_message(ROUND, payload, lead, terms.wanted.strip(), tail=tail)


def control_message(r: Round, action: str, minutes: int = 0) -> dict[str, Any]:
    """Pause, resume, extend or show the tally: a notice referencing the round."""
    words = {
        "pause": "paused",
        "resume": "resumed",
        "extend": f"extended by {minutes} min",
        "show_tally": "tally shown to everyone",
    }
    if action not in words:
        raise RoundError(f"unknown step: {action}")
    payload: dict[str, Any] = {"action": action}
    if action == "extend":
        payload["minutes"] = minutes
    payload["m.relates_to"] = {"rel_type": "m.reference", "event_id": r.round_id}
    lead = f"{_mark(r.terms)}Open round “{r.terms.problem}”: {words[action]}"
    return protocol.carried_message(CONTROL, payload, lead, notice=True)


def proposal_message(
    round_id: str, title: str, text: str, sources: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A proposal: a thread reply to the round, its title on the first line."""
    title, text = " ".join(title.split()), text.strip()
    if not title:
        raise RoundError("a proposal needs a title")
    kept = [s.strip() for s in sources if s.strip()]
    body = "\n".join(p for p in (title, text, ("Sources: " + ", ".join(kept)) if kept else "") if p)
    return {
        "msgtype": "m.text",
        "body": body,
        PROPOSAL: {"title": title, "text": text, "sources": kept},
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": round_id,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": round_id},
        },
    }


def vote_start(r: Round) -> dict[str, Any]:
    """The poll that opens the vote: every proposal that counted is an answer."""
    if not r.proposals:
        raise RoundError("no proposal to vote on")
    answers = [(p.event_id, p.title) for p in r.proposals]
    question = f"{_mark(r.terms)}{r.terms.problem}"
    fallback = f"{question}\n" + "\n".join(f"{n}. {t}" for n, (_, t) in enumerate(answers, 1))
    content = polls.poll_start(question, answers, fallback)
    content[VOTE_OF] = {"round": r.round_id}
    return content


def vote_end(r: Round) -> dict[str, Any]:
    lines = [f"{n}. {row.proposal.title} — {row.votes}" for n, row in enumerate(r.tally, 1)]
    text = f"{_mark(r.terms)}The vote on “{r.terms.problem}” is closed.\n" + "\n".join(lines)
    return polls.poll_end(r.poll_id, text)


def link(room_id: str, event_id: str) -> str:
    return f"https://matrix.to/#/{room_id}/{event_id}"


def decision_fields(r: Round) -> tuple[str, str, tuple[str, ...], dict[str, Any]]:
    """What the desk files from a closed round: title, text, sources (links to the chosen
    proposals) and the archive's fields (who took part, options, outcome, reasons)."""
    chosen, ballots = r.chosen, len(r.ballots)
    title = f"{_mark(r.terms)}Open round: {r.terms.problem}"[:300]
    outcome = [f"{n}. {c.proposal.title} ({c.votes} of {ballots} ballots)" for n, c in
               enumerate(chosen, 1)]  # fmt: skip
    reasons = (
        f"The {len(chosen)} proposals with the most votes of {ballots} ballots cast by "
        f"{', '.join(sorted(r.ballots)) or 'no one'}; a tie goes to the earlier proposal."
    )
    options = [f"{row.proposal.title} — {row.votes}" for row in r.tally]
    text = "\n".join(
        [
            f"Problem: {r.terms.problem}",
            f"Wanted: {r.terms.wanted or '—'}",
            "Outcome:",
            *outcome,
            f"Reasons: {reasons}",
            "Options considered: " + "; ".join(options),
            "Took part: " + ", ".join(r.participants),
        ]
    )
    fields = {
        "round": r.round_id,
        "poll": r.poll_id,
        "proposals": [c.proposal.event_id for c in chosen],
        "participants": list(r.participants),
        "options": [
            {"proposal": row.proposal.event_id, "title": row.proposal.title, "votes": row.votes}
            for row in r.tally
        ],
        "outcome": [c.proposal.title for c in chosen],
        "reasons": reasons,
    }
    return title, text, tuple(link(r.room_id, c.proposal.event_id) for c in chosen), fields


DECIDED = "org.openopsroom.round_decision"  # the archive's fields, in the entry's payload


def decided_round(content: Mapping[str, Any]) -> str:
    """The round a decision entry files ('' when the entry files none)."""
    fields = content.get(DECIDED)
    found = fields.get("round") if isinstance(fields, Mapping) else None
    return found if isinstance(found, str) else ""
