"""`record.html`: the session's record as a person reads and prints it.

One self-contained page (inline CSS, no script, no external resource): first the known
gaps in the record (``gaps``: history the archive knows it could not read), then the
participants and roles, the timeline with each entry's verification history, the decisions, every
instruction with its whole acknowledgement history in capital and local time, the
requests, the sitreps with their approvals, the charts drawn as SVG, the facilitator's
evaluator notes (only in a facilitator's own export), and the seals members published of their
records (witnessed records) with what this client found about each. An exercise says
EXERCISE in a banner that repeats on every printed page. Built from the archived events
with the feature rules, like every other projection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core import roles
from app.core.exercise import EvaluatorNote
from app.core.instructions import acknowledged_id
from app.core.records import EventStatus, RoomEvent
from app.core.records_export.charts import DrawnChart, refused_definitions
from app.core.records_export.gaps import KnownGap, gaps_section
from app.core.records_export.marking import RecordMark
from app.core.records_export.rounds import rounds_section
from app.core.records_export.svg import is_rtl
from app.core.roles import Role, RoomKind
from app.core.seals import NOTE_DIFFERS, SEAL
from app.core.session import Member, SessionInfo
from app.core.sitrep import sitrep_record
from app.core.timeline import read_entry, referenced_entry, verification_of

_CSS = """
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:2em;color:#111}
h1{margin-bottom:.2em} h2{border-bottom:1px solid #888;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0} td,th{border:1px solid #bbb;
padding:.25em .5em;text-align:start;vertical-align:top} th{background:#eee}
.meta{color:#444} .history{margin:.2em 0 .8em 1.5em} .body{white-space:pre-wrap}
.exercise{position:fixed;top:0;left:0;right:0;text-align:center;font-weight:bold;
background:#ffd54f;letter-spacing:.3em;padding:.2em} .exercise.pending{background:#e0e0e0}
.item{page-break-inside:avoid;margin-bottom:1em} .chart svg{max-width:100%;height:auto}
.gaps{border:2px solid #c62828;background:#fdecea;padding:0 1em;margin:1em 0}
.gaps h2{border:none;color:#b71c1c;margin-top:.6em}
@media print{body{margin:2.5em 1em 1em} th{background:none}}
"""


@dataclass(frozen=True, slots=True)
class ReportInput:
    """What the report is made of: the session, its people and its archived events."""

    session: SessionInfo
    members: Sequence[Member]
    events: Sequence[RoomEvent]  # every event of the session's rooms, oldest first
    exported_by: str
    exported_at: str
    charts: Sequence[DrawnChart] = ()
    notes: Sequence[EvaluatorNote] | None = None  # a facilitator's export only
    gaps: Sequence[KnownGap] = ()  # holes the archive knows in the session's rooms


class _Clock:
    """Times as the session reads them: the capital's, and a delegation's local time."""

    def __init__(self, session: SessionInfo) -> None:
        self._capital = _zone(session.capital_tz)
        self._capital_name = session.capital_tz or "UTC"
        self._zones = {d.id: d.tz for d in session.delegations}

    def capital(self, ms: int) -> str:
        return escape(self.plain(ms))

    def plain(self, ms: int) -> str:
        """``capital`` as text, not yet HTML."""
        return f"{_at(ms, self._capital)} ({self._capital_name})"

    def both(self, ms: int, delegation: str) -> str:
        tz = self._zones.get(delegation, "")
        local = f"; {_at(ms, _zone(tz))} ({escape(tz)})" if tz else ""
        return self.capital(ms) + local


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _at(ms: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _text(value: object) -> str:
    return escape(str(value or ""))


def render_report(data: ReportInput) -> str:
    """The whole page."""
    s = data.session
    clock = _Clock(s)
    readable = [e for e in data.events if e.status is EventStatus.OK]
    delegation_of = {r.room_id: r.delegation for r in s.rooms if r.delegation}
    mark = RecordMark.of(s)
    # Pending is grey, neither an exercise's yellow nor an alarm: the same place on every
    # printed page, so no page of it passes for a real session's.
    kind = "exercise pending" if mark is RecordMark.PENDING else "exercise"
    banner = f'<div class="{kind}">{mark.banner}</div>' if mark is not RecordMark.NONE else ""
    title = mark.heading(s.title)
    parts = [
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_text(title)}</title>'
        f'<style>{_CSS}</style></head><body dir="auto">{banner}',
        f"<h1>{_text(title)}</h1>",
        f'<p class="meta">Session {_text(s.space_id)} · {_text(s.kind)} · status '
        f"{_text(s.status)} · classification {_text(s.classification) or '—'} · capital time "
        f"{_text(s.capital_tz or 'UTC')}<br>Exported by {_text(data.exported_by)} at "
        f"{_text(data.exported_at)}</p>",
        gaps_section(data.gaps, s, clock.plain),
        _participants(data.members),
        _timeline(readable, clock),
        _instructions(readable, delegation_of, clock),
        _requests(readable, delegation_of, clock),
        rounds_section(readable, data.members, clock.capital),
        sitrep_record(
            readable,
            s.room(RoomKind.OPERATIONS) or "",
            frozenset(m.user_id for m in data.members if m.role is Role.OFFICIAL),
            clock.capital,
        ),
        _charts(data.charts, data.events),
        _notes(data.notes, clock) if data.notes is not None else "",
        _seals(data.events, clock),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def _participants(members: Iterable[Member]) -> str:
    rows = "".join(
        f"<tr><td>{_text(m.user_id)}</td><td>{_text(m.role.value)}</td>"
        f"<td>{_text(m.delegation)}</td><td>{_text(m.title)}</td>"
        f"<td>{_text(m.organisation)}</td><td>{_text(m.membership)}</td></tr>"
        for m in sorted(members, key=lambda m: (m.role.value, m.user_id))
    )
    head = "<tr><th>Participant</th><th>Role</th><th>Delegation</th><th>Title</th>"
    head += "<th>Organisation</th><th>Membership</th></tr>"
    return f"<h2>Participants and roles</h2><table>{head}{rows}</table>"


def _timeline(events: Sequence[RoomEvent], clock: _Clock) -> str:
    changes: dict[str, list[RoomEvent]] = {}
    for e in events:
        if e.type == roles.VERIFICATION:
            changes.setdefault(referenced_entry(e.content), []).append(e)
    entries = [e for e in events if e.type == roles.ENTRY]
    items, decisions = [], []
    for e in entries:
        entry = read_entry(e.content)
        verification = verification_of(e, changes.get(e.event_id, ()))
        history = "".join(
            f"<li>{clock.capital(c.at)}: {_text(c.status)} by {_text(c.by)} — {_text(c.reason)}"
            f"{'' if c.applied else f' (not applied: {_text(c.why_not)})'}</li>"
            for c in verification.history
        )
        item = (
            f'<div class="item"><b>{_text(entry.title)}</b> [{_text(entry.kind)}] — '
            f'{_text(verification.status)}<br><span class="meta">{clock.capital(e.origin_ts)}'
            f' · {_text(e.sender)}</span><div class="body">{_text(entry.body)}</div>'
            f'<ul class="history">{history}</ul></div>'
        )
        items.append(item)
        if entry.kind == "decision":
            decisions.append(item)
    timeline = "".join(items) or "<p>No timeline entries.</p>"
    decided = "".join(decisions) or "<p>No decisions recorded.</p>"
    return f"<h2>Timeline</h2>{timeline}<h2>Decisions</h2>{decided}"


def _instructions(
    events: Sequence[RoomEvent], delegation_of: Mapping[str, str], clock: _Clock
) -> str:
    acks: dict[str, list[RoomEvent]] = {}
    for e in events:
        if e.type == roles.ACK:
            acks.setdefault(acknowledged_id(e.content), []).append(e)
    items = []
    for e in events:
        if e.type != roles.INSTRUCTION:
            continue
        c, delegation = e.content, delegation_of.get(e.room_id, "")
        history = "".join(_ack(a, delegation, clock) for a in acks.get(e.event_id, ()))
        items.append(
            f'<div class="item"><b>{_text(c.get("subject"))}</b> to {_text(delegation)} · '
            f'{_text(c.get("priority"))}<br><span class="meta">issued '
            f"{clock.both(e.origin_ts, delegation)} by {_text(e.sender)} · ref "
            f'{_text(c.get("ref") or e.event_id)}</span><div class="body">'
            f'{_text(c.get("body"))}</div>Acknowledgements:<ul class="history">'
            f"{history or '<li>not acknowledged</li>'}</ul>"
            "</div>"
        )
    return "<h2>Instructions</h2>" + ("".join(items) or "<p>No instructions.</p>")


def _ack(ack: RoomEvent, delegation: str, clock: _Clock) -> str:
    note = ack.content.get("note")
    said = f" — {_text(note)}" if note else ""
    return (
        f"<li>{clock.both(ack.origin_ts, delegation)}: {_text(ack.content.get('state'))} by "
        f"{_text(ack.sender)}{said}</li>"
    )


def _requests(events: Sequence[RoomEvent], delegation_of: Mapping[str, str], clock: _Clock) -> str:
    items = [
        f'<div class="item"><b>{_text(e.content.get("subject"))}</b> from '
        f'{_text(delegation_of.get(e.room_id, ""))} ({_text(e.sender)})<br><span class="meta">'
        f"{clock.both(e.origin_ts, delegation_of.get(e.room_id, ''))}</span>"
        f'<div class="body">{_text(e.content.get("body"))}</div></div>'
        for e in events
        if e.type == roles.REQUEST
    ]
    return "<h2>Requests</h2>" + ("".join(items) or "<p>No requests.</p>")


def _charts(charts: Sequence[DrawnChart], events: Sequence[RoomEvent]) -> str:
    """Each chart inline (the same SVG as its file beside the bundle), then the chart
    definitions that were refused: who tried to define what, and why it did not count."""
    items = [
        f'<div class="item chart" id="chart-{_text(c.name)}">{c.inline()}</div>' for c in charts
    ]
    refused = [
        f"<li>“{_text(r.chart)}” from {_text(r.sender)}: {_text(r.reason)}</li>"
        for r in refused_definitions(events)
    ]
    listed = f"<h3>Chart definitions not applied</h3><ul>{''.join(refused)}</ul>" if refused else ""
    return "<h2>Charts</h2>" + ("".join(items) or "<p>No charts.</p>") + listed


def _notes(notes: Sequence[EvaluatorNote], clock: _Clock) -> str:
    """The facilitator's observations on the exercise clock, kept on their machine only."""
    items = []
    for n in sorted(notes, key=lambda n: n.wall_ms):
        minutes, seconds = divmod(int(n.exercise_seconds), 60)
        direction = ' dir="rtl"' if is_rtl(n.text) else ""
        items.append(
            f'<div class="item"><span class="meta">exercise time {minutes:02d}:{seconds:02d}'
            f' · {clock.capital(n.wall_ms)}</span><div class="body"{direction}>'
            f"{_text(n.text)}</div></div>"
        )
    return "<h2>Evaluator notes</h2>" + ("".join(items) or "<p>No evaluator notes.</p>")


def _seals(events: Sequence[RoomEvent], clock: _Clock) -> str:
    """Every seal of the record, with this client's verdict: the reader sees where two
    members' records disagreed, and which seals were forged."""
    rows = []
    for e in events:
        if e.type != SEAL:
            continue
        c = e.content
        if e.status is EventStatus.FORGED:
            verdict = f"forged: {e.note}"
        elif e.note.startswith(NOTE_DIFFERS):
            verdict = f"records differ: ours holds {e.note.removeprefix(NOTE_DIFFERS)} events"
        else:
            verdict = "no difference found" if e.status is EventStatus.OK else e.status.value
        cells = (
            clock.capital(e.origin_ts),
            _text(f"{e.sender} ({c.get('device_id', '')})"),
            _text(f"{c.get('first_event_id', '')} … {c.get('last_event_id', '')}"),
            _text(c.get("count")),
            _text(verdict),
        )
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    head = "<tr><th>When</th><th>Sealed by</th><th>Span</th><th>Events</th><th>Found</th></tr>"
    table = f"<table>{head}{''.join(rows)}</table>" if rows else "<p>No seals.</p>"
    return f"<h2>Seals of the record</h2>{table}"
