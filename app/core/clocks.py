"""Times shown twice: capital time and the delegation's local time (IANA zones).

Digits and ISO order read the same in Arabic and English, and a delegation abroad at
02:00 local must not be mistaken for 02:00 in the capital.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def wall_clock(ts_ms: int, tz: str) -> str:
    """``YYYY-MM-DD HH:MM`` in the zone (UTC if the zone is unknown)."""
    try:
        zone = ZoneInfo(tz) if tz else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return datetime.fromtimestamp(ts_ms / 1000, zone).strftime("%Y-%m-%d %H:%M")


def minutes_between(start_ms: int, end_ms: int) -> int:
    return max(0, (end_ms - start_ms) // 60_000)
