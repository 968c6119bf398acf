"""One room's charts and series, rebuilt from its archived events and changed by new ones."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.charts.rules import (
    CHART_ID,
    ChartDef,
    Point,
    Rejected,
    Series,
    chart_content,
    point_of,
    read_chart,
    value_problem,
)
from app.core.records import EventStatus, RoomEvent

MAX_REJECTED_SHOWN = 500  # refused values a dashboard lists (the archive keeps them all)
# A re-send to a newcomer names the definition it repeats and that one's time, and is
# folded at that time: it must not outrank a redefinition made after the original.
RESENT_OF, RESENT_TS = "resent_of", "resent_ts"


@dataclass(frozen=True, slots=True)
class Change:
    """What one accepted value did to a series: ``op`` as Series.add says, and whether its
    region is new (a new line on the charts that show the series)."""

    series: str
    point: Point
    op: str
    new_region: bool


class RoomIndicators:
    """The charts, series and refused values of one room (a session's operations room).

    Rebuilt from the archive at start and fed every fresh event after: the same events
    in the same order give every client the same series.
    """

    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        self.charts: dict[str, ChartDef] = {}
        self.series: dict[str, Series] = {}
        # The newest refusals only: the list a flood of junk values fills stays bounded
        # (every one stays in the archive, marked, for whoever audits it); the ids judged
        # are all kept, as the series keep their points (``_first_judgement``).
        self.rejected: deque[Rejected] = deque(maxlen=MAX_REJECTED_SHOWN)
        self._judged: set[str] = set()  # every event id judged here (``_first_judgement``)
        self._known: frozenset[str] = frozenset()
        # Senders of applied encrypted definitions, the newest in the fold last, each with
        # the latest one they sent (whose device re-sends): the newest one still in the
        # room and allowed to define re-sends the charts to a member who joins later
        # (who cannot read earlier messages).
        self._definers: dict[str, RoomEvent] = {}
        self._in_force: dict[str, RoomEvent] = {}  # chart id -> the definition applied

    def known_series(self) -> frozenset[str]:
        return self._known

    def set_chart(self, chart_id: str, content: Mapping[str, Any]) -> ChartDef | None:
        """Apply a definition's content; content that does not fit removes nothing."""
        chart = read_chart(chart_id, content)
        if chart is not None:
            self.charts[chart_id] = chart
            self._known = frozenset(s for c in self.charts.values() for s in c.series)
        return chart

    def define(self, event: RoomEvent) -> ChartDef | Rejected | None:
        """Apply one archived chart definition: 1.x state (the state key is the chart id)
        or a 2.1 encrypted event naming its ``id``; the latest applied one of an id wins.
        A definition the archive refused (forged: below the officials' level as the
        room's power levels stood) or that does not fit is listed, never applied."""
        if event.status is EventStatus.UNDECRYPTED:
            return None  # judged once its key arrives
        if not self._first_judgement(event.event_id):
            return None
        content = event.content
        encrypted = event.state_key is None
        chart_id = content.get("id") if encrypted else event.state_key
        named = next((n for n in (content.get("title"), chart_id) if isinstance(n, str) and n), "?")
        why = (event.note or event.status.value) if event.status is not EventStatus.OK else ""
        if not why and encrypted and not (isinstance(chart_id, str) and CHART_ID.match(chart_id)):
            why = "the definition names no valid chart id (1-64 characters a-z 0-9 - _)"
        chart = None if why else self.set_chart(str(chart_id), content)
        if chart is None:
            why = why or "the definition does not fit the chart schema, or has no series"
            refusal = Rejected(event.event_id, event.sender, "", why, event.origin_ts, named[:200])
            self.rejected.append(refusal)
            return refusal
        self._in_force[chart.chart_id] = event
        if encrypted:
            last = self._definers.pop(event.sender, None)
            newer = last is not None and last.origin_ts > event.origin_ts
            self._definers[event.sender] = last if newer and last is not None else event
        return chart

    def resender(self, members: Collection[str]) -> RoomEvent | None:
        """Who repeats the charts to a newcomer: of the senders of applied encrypted
        definitions, the newest in the fold among ``members`` (those still in the room
        whose level allows defining). Their latest definition is returned: the device
        that sent it re-sends, so one device of one member does. None when no one
        qualifies (1.x state charts need no repeating)."""
        return next((e for s, e in reversed(self._definers.items()) if s in members), None)

    def resends(self) -> list[dict[str, Any]]:
        """The contents that repeat every chart in force to a newcomer, by chart id: each
        names the definition it repeats (the original, for a re-send of a re-send) and
        that one's time, so every client folds it where the original stands."""
        contents = []
        for chart_id in sorted(self.charts):
            source = self._in_force[chart_id]
            original = source.content.get(RESENT_OF) if source.state_key is None else None
            marked = {
                RESENT_OF: original if isinstance(original, str) else source.event_id,
                RESENT_TS: applies_at(source),
            }
            contents.append(chart_content(self.charts[chart_id]) | marked)
        return contents

    def may_change(self, event: RoomEvent) -> bool:
        """Whether a chart definition arriving now may change this room's charts, so the
        room must be folded again in order. Not one the archive refused (forged,
        malformed: ``define`` only lists it, wherever it falls), and not one that says
        exactly what the chart in force says (a re-send to a newcomer)."""
        if event.status is not EventStatus.OK:
            return False
        chart_id = event.content.get("id") if event.state_key is None else event.state_key
        in_force = self.charts.get(chart_id) if isinstance(chart_id, str) else None
        return in_force is None or read_chart(chart_id, event.content) != in_force

    def add_value(
        self,
        content: Any,
        sender: str,
        event_id: str,
        sent_ts: int,
        refused: str = "",
    ) -> Change | Rejected | None:
        """Judge and place one indicator event; ``refused`` is why the archive already
        refused it (malformed, forged), which wins over every other check. None: this
        event was judged here already, nothing changes."""
        if not self._first_judgement(event_id):
            return None
        why = refused or value_problem(content, self.known_series(), sent_ts)
        if why:
            series = content.get("series") if isinstance(content, Mapping) else None
            rejected = Rejected(event_id, sender, str(series or "")[:100], why, sent_ts)
            self.rejected.append(rejected)
            return rejected
        point = point_of(content, sender, event_id, sent_ts)
        series = self.series.setdefault(point.series, Series(point.series))
        new_region = not series.has_region(point.region)
        return Change(point.series, point, series.add(point), new_region)

    def _first_judgement(self, event_id: str) -> bool:
        """Whether this event is judged here for the first time (it is marked judged).

        Why an event can come twice: the room's projection, read from the archive
        between an event's commit and the feature's absorb of it, holds the event
        already. Judged again, one report of 120 evacuated was two rows in the chart's
        export, and a batch of more junk values than the list shows was refused all over
        again (a memory of the refusals listed only had let its oldest go). So every id
        judged is kept, placed or refused: one id per event of the room, as the series
        keep a point per value (100,000 junk values keep 14 MB, 100,000 values 49 MB
        instead of 45; the time to project either is unchanged)."""
        if event_id in self._judged:
            return False
        self._judged.add(event_id)
        return True

    def charts_showing(self, series: str) -> list[ChartDef]:
        return [c for c in self.charts.values() if series in c.series]


def absorb_value(room: RoomIndicators, event: RoomEvent) -> Change | Rejected | None:
    """Judge one archived indicator event into ``room`` (None: not judged yet, or no value)."""
    if event.status is EventStatus.UNDECRYPTED or event.state_key is not None:
        return None  # judged once its key arrives; a state event is never a value
    refused = (event.note or event.status.value) if event.status is not EventStatus.OK else ""
    return room.add_value(event.content, event.sender, event.event_id, event.origin_ts, refused)


def applies_at(event: RoomEvent) -> int:
    """Where a chart definition stands in the fold: the server's timestamp, or for a
    re-send the time of the definition it repeats (never later than its own: a sender
    cannot move a definition ahead of others by claiming a time)."""
    claimed = event.content.get(RESENT_TS) if event.state_key is None else None
    valid = isinstance(claimed, int) and not isinstance(claimed, bool)
    return claimed if valid and 0 <= claimed <= event.origin_ts else event.origin_ts


def in_definition_order(charts: Sequence[RoomEvent]) -> list[RoomEvent]:
    """Chart definitions in the order they apply: by when they were made (every client
    sees the same), 1.x state before an encrypted definition of the same moment, then
    by the server's timestamp (a re-send after the definition it repeats)."""
    return sorted(charts, key=lambda e: (applies_at(e), e.state_key is None, e.origin_ts))


def project_room(
    room_id: str, charts: Sequence[RoomEvent], values: Sequence[RoomEvent]
) -> RoomIndicators:
    """One room's indicators from its chart definitions (state and encrypted events) and
    its archived values: the fold every client runs (the dashboard, the record's charts).
    Every value is judged against the charts the fold ends with."""
    room = RoomIndicators(room_id)
    for event in in_definition_order(charts):
        room.define(event)
    for event in values:
        absorb_value(room, event)
    return room
