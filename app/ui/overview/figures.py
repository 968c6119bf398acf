"""What the overview keeps from the events the window sees: the newest value of each
indicator series (per region), what the room's charts call each series, and when each
person last did something.

"Who is online" is derived here, not asked of the server: Synapse's presence stays off
(``app/homeserver/config.py``). Presence would make every client report to the server,
all day, when its user is at the keyboard and when idle, and the server would pass that
to everyone sharing a room with them — a log of each diplomat's working hours kept by
whoever runs the homeserver. What a colleague needs is already in the record: someone who
posted, acknowledged or joined in the last minutes is active.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core import roles
from app.core.records import EventStatus, RoomEvent

ACTIVE_MINUTES = 15


@dataclass(frozen=True, slots=True)
class Figure:
    """The newest value of one series (in one region) in one room."""

    room_id: str
    series: str
    region: str
    value: float
    unit: str
    ts: int


class KeyFigures:
    """Folds events into the latest figures and the last activity of each person."""

    def __init__(self) -> None:
        self._latest: dict[tuple[str, str, str], Figure] = {}
        self.titles: dict[str, str] = {}  # series key -> the title of its chart
        self.last_seen: dict[str, int] = {}  # user id -> ms of their newest event

    def note(self, events: Iterable[RoomEvent]) -> None:
        for event in events:
            if event.status is not EventStatus.OK:
                continue  # forged or unreadable values are no figures, nor signs of life
            if event.type == "m.room.member" and event.content.get("membership") != "join":
                continue
            sender_seen = self.last_seen.get(event.sender, 0)
            self.last_seen[event.sender] = max(sender_seen, event.origin_ts)
            if event.type == roles.CHART:  # 1.x state or an encrypted definition
                self._learn_title(event)
            elif event.type == roles.INDICATOR and event.state_key is None:
                self._learn_value(event)

    def _learn_title(self, event: RoomEvent) -> None:
        title, keys = event.content.get("title"), event.content.get("series")
        if isinstance(title, str) and isinstance(keys, list):
            self.titles |= {k: title for k in keys if isinstance(k, str)}

    def _learn_value(self, event: RoomEvent) -> None:
        content = event.content
        value, series = content.get("value"), content.get("series")
        if not isinstance(value, int | float) or isinstance(value, bool):
            return
        if not isinstance(series, str):
            return
        region = str(content.get("region") or "")
        key = (event.room_id, series, region)
        known = self._latest.get(key)
        if known is None or event.origin_ts >= known.ts:
            unit = str(content.get("unit") or "")
            self._latest[key] = Figure(event.room_id, series, region, value, unit, event.origin_ts)

    def latest(self, room_ids: Iterable[str]) -> list[Figure]:
        """The session's figures, by series then region."""
        rooms = set(room_ids)
        found = [f for f in self._latest.values() if f.room_id in rooms]
        return sorted(found, key=lambda f: (self.titles.get(f.series, f.series), f.region))

    def active(self, user_ids: Iterable[str], now_ms: int) -> list[str]:
        """Who of these did something in the last ACTIVE_MINUTES, most recent first."""
        since = now_ms - ACTIVE_MINUTES * 60_000
        recent = [u for u in user_ids if self.last_seen.get(u, 0) >= since]
        return sorted(recent, key=lambda u: -self.last_seen[u])
