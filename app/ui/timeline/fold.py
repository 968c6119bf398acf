"""Runs of room changes folded into one row: a session room opens with a dozen lines of
creation, invitations, joins and roles; a person wants "8 changes to the room: 3 joined,
3 invited, 2 roles assigned" and the conversation, and Enter opens the run again."""

from __future__ import annotations

from dataclasses import replace

from app.core import roles
from app.ui.texts import counted, tr
from app.ui.timeline.rows import RowKind, TimelineRow

FOLD_FROM = 4  # shorter runs read fine as they are


def _foldable(row: TimelineRow) -> bool:
    """A change to the room's state (not an edit or verification notice, which answer a
    message and must stay beside it)."""
    return row.kind is RowKind.NOTICE and row.event is not None and row.event.state_key is not None


def _summary(rows: list[TimelineRow]) -> str:
    joined = invited = roles_set = 0
    for row in rows:
        event = row.event
        assert event is not None
        membership = event.content.get("membership") if event.type == "m.room.member" else None
        joined += membership == "join"
        invited += membership == "invite"
        roles_set += event.type == roles.ROLE
    text = counted(tr("%n changes to the room", "", len(rows)))
    parts = [
        counted(phrase)
        for phrase, count in (
            (tr("%n joined", "", joined), joined),
            (tr("%n invited", "", invited), invited),
            (tr("%n roles assigned", "", roles_set), roles_set),
        )
        if count
    ]
    if parts:
        text += ": " + ", ".join(parts)
    return text + " — " + tr("Enter shows them")


def fold_notices(rows: list[TimelineRow]) -> list[TimelineRow]:
    """The rows with every run of FOLD_FROM or more room changes as one row (keyed by the
    first of them, carrying the others to open again)."""
    out: list[TimelineRow] = []
    run: list[TimelineRow] = []

    def close_run() -> None:
        if len(run) >= FOLD_FROM:
            out.append(replace(run[0], text=_summary(run), folded=tuple(run)))
        else:
            out.extend(run)
        run.clear()

    for row in rows:
        if _foldable(row):
            run.append(row)
            continue
        close_run()
        out.append(row)
    close_run()
    return out
