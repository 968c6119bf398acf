"""Runs folded into one row, as a person wants to read them.

A session room opens with a dozen lines of creation, invitations, joins, roles and the
session's details re-sent as people join; a person wants "8 changes to the room: 3
joined, 3 invited, 2 roles assigned" and the conversation. Indicator values come in bursts
("evacuated 120", "evacuated 180", …); a person wants "Citizens evacuated: 120 → 180, 3
updates". Enter opens a run again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from app.core import roles
from app.core.records import EventStatus
from app.core.session import carries_details
from app.ui.texts import counted, digits, fill, tr
from app.ui.timeline.rows import RowKind, TimelineRow

FOLD_FROM = 4  # shorter runs of room changes read fine as they are
FOLD_VALUES_FROM = 2  # two values of a series already read better as one line
_CHANGES, _VALUES = "changes", "values"


def _kind_of_run(row: TimelineRow) -> str:
    """Which kind of run a row belongs to ('' for a row that stands on its own). An edit
    or verification notice answers a message and stays beside it."""
    event = row.event
    if event is None or row.kind not in (RowKind.NOTICE, RowKind.MESSAGE):
        return ""
    if row.kind is RowKind.NOTICE and (
        event.state_key is not None
        or event.type == roles.CHART  # a chart defined, or re-sent to someone who joined
        or carries_details(event.type, event.content)
    ):
        return _CHANGES
    if event.type == roles.INDICATOR and isinstance(event.content.get("value"), int | float):
        return _VALUES
    return ""


def _changes_summary(rows: list[TimelineRow]) -> str:
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
        text += ": " + tr(", ").join(parts)
    return text + " — " + tr("Enter shows them")


def _number(value: float, unit: str) -> str:
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return digits(f"{shown} {unit}".strip())


def _values_summary(rows: list[TimelineRow], titles: Mapping[str, str]) -> str:
    """Per series, in the order they came: 'Evacuees: 120 → 180, 3 updates'."""
    series: dict[str, list[float]] = {}
    units: dict[str, str] = {}
    for row in rows:
        assert row.event is not None
        content = row.event.content
        key = str(content.get("series", ""))
        series.setdefault(key, []).append(content["value"])
        units[key] = str(content.get("unit") or "")
    lines = []
    for key, values in series.items():
        title = titles.get(key) or key
        if len(values) == 1:
            lines.append(fill(tr("%1: %2"), title, _number(values[0], units[key])))
            continue
        change = f"{_number(values[0], '')} → {_number(values[-1], units[key])}"
        updates = counted(tr("%n updates", "", len(values)))
        lines.append(fill(tr("%1: %2, %3"), title, change, updates))
    return " · ".join(lines) + " — " + tr("Enter shows them")


def _chart_titles(rows: list[TimelineRow]) -> dict[str, str]:
    """A series' name as the room's charts call it ('evacuated' → 'Citizens evacuated')."""
    titles: dict[str, str] = {}
    for row in rows:
        event = row.event
        if event is None or event.type != roles.CHART or event.status is not EventStatus.OK:
            continue  # a forged definition names nothing
        title, keys = event.content.get("title"), event.content.get("series")
        if isinstance(title, str) and isinstance(keys, list):
            titles |= {k: title for k in keys if isinstance(k, str)}
    return titles


def fold_notices(rows: list[TimelineRow]) -> list[TimelineRow]:
    """The rows with every long enough run of room changes, and of indicator values, as
    one row (keyed by the first of them, carrying the others to open again)."""
    titles = _chart_titles(rows)
    out: list[TimelineRow] = []
    run: list[TimelineRow] = []
    run_kind = ""

    def close_run() -> None:
        if run_kind == _CHANGES and len(run) >= FOLD_FROM:
            out.append(replace(run[0], text=_changes_summary(run), folded=tuple(run)))
        elif run_kind == _VALUES and len(run) >= FOLD_VALUES_FROM:
            text = _values_summary(run, titles)
            out.append(replace(run[0], text=text, kind=RowKind.NOTICE, folded=tuple(run)))
        else:
            out.extend(run)
        run.clear()

    for row in rows:
        kind = _kind_of_run(row)
        if kind != run_kind:
            close_run()
            run_kind = kind
        if kind:
            run.append(row)
        else:
            out.append(row)
    close_run()
    return out
