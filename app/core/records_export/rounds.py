"""The record's "Open rounds" section: every round of the session as the rules fold it
from the archived events (the same fold every client runs), with its proposals, votes,
what did not count and why, and the outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape

from app.core.open_round import Round, fold, is_round
from app.core.records import RoomEvent
from app.core.session import Member


def _t(value: object) -> str:
    return escape(str(value))


def rounds_section(
    events: Sequence[RoomEvent], members: Iterable[Member], at: Callable[[int], str]
) -> str:
    """HTML of every open round in ``events`` (oldest first); ``at`` words a time."""
    role_of = {m.user_id: m.role for m in members}
    found = [fold(e, events, role_of) for e in events if is_round(e)]
    items = [_round(r, at) for r in found if r is not None]
    return "<h2>Open rounds</h2>" + ("".join(items) or "<p>No open rounds.</p>")


def _round(r: Round, at: Callable[[int], str]) -> str:
    mark = "EXERCISE — " if r.terms.exercise else ""
    rows = "".join(
        f"<tr><td>{_t(t.proposal.title)}</td><td>{_t(t.proposal.sender)}</td>"
        f"<td>{at(t.proposal.at)}</td><td>{t.votes}</td></tr>"
        for t in r.tally
    )
    refused = "".join(
        f"<li>{at(x.at)}: {_t(x.what)} by {_t(x.sender)} — not counted: {_t(x.why)}</li>"
        for x in r.refused
    )
    chosen = ", ".join(_t(c.proposal.title) for c in r.chosen) or "—"
    closed = f"closed {at(r.closed_at)} by {_t(r.closed_by)}" if r.closed_at else r.phase.value
    return (
        f'<div class="item"><b>{_t(mark)}Open round: {_t(r.terms.problem)}</b><br>'
        f'<span class="meta">posed {at(r.started_at)} by {_t(r.poser)} · {closed} · '
        f'{len(r.ballots)} ballots</span><div class="body">{_t(r.terms.wanted)}</div>'
        "<table><tr><th>Proposal</th><th>By</th><th>At</th><th>Votes</th></tr>"
        f"{rows}</table>To the desk: {chosen}<br>Took part: "
        f"{_t(', '.join(r.participants))}"
        f'<ul class="history">{refused}</ul></div>'
    )
