"""The sitreps' part of the record (``record.html``): each sitrep as published or where it
stands, with who compiled it, every review, who approved it and when, and the reviews
that did not count with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from app.core.records import RoomEvent
from app.core.sitrep.approval import Stage, fold_sitreps
from app.core.sitrep.plain import report_text


def _t(value: object) -> str:
    return escape(str(value or ""))


def sitrep_record(
    events: Iterable[RoomEvent],
    operations: str,
    officials: frozenset[str],
    at: Callable[[int], str],
) -> str:
    """The "Situation reports" section; ``at`` writes a server time as the record does."""
    board = fold_sitreps(events, operations, officials)
    items = []
    for s in board.sitreps:
        reviews = "".join(
            f"<li>{at(r.at)}: {_t(r.verdict)} by {_t(r.by)} (revision {r.revision})"
            f"{f' — {_t(r.comment)}' if r.comment else ''}</li>"
            for r in s.reviews
        )
        where = (
            f" · published {at(s.published_at)} in {len(set(s.published_in))} rooms"
            if s.stage is Stage.PUBLISHED
            else ""
        )
        approved = f" · approved by {_t(s.approved_by)}" if s.approved_by else ""
        items.append(
            f'<div class="item"><b>{_t(s.draft.title)}</b> — {_t(s.stage.value)}<br>'
            f'<span class="meta">compiled by {_t(s.author)} · revision {s.revision} · '
            f"submitted {at(s.submitted_at)}{approved}{where}</span>"
            f'<div class="body">{_t(report_text(s.draft))}</div>'
            f'Reviews:<ul class="history">{reviews or "<li>none</li>"}</ul></div>'
        )
    refused = "".join(
        f"<li>{at(r.at)}: {_t(r.by)} — not counted ({_t(r.why.value)})"
        f"{f': {_t(r.note)}' if r.note else ''}</li>"
        for r in board.refused
    )
    listed = "".join(items) or "<p>No situation reports.</p>"
    if refused:
        listed += f'<p>Sitrep events that did not count:</p><ul class="history">{refused}</ul>'
    return f"<h2>Situation reports</h2>{listed}"
