"""Reading a room's state as the server returns it (``/state``): plain dicts, no archive.

Session commands act on what the server holds now, not on what this device archived.
"""

from __future__ import annotations

from typing import Any

from app.core import roles


def state_event(
    state: list[dict[str, Any]], event_type: str, key: str = ""
) -> dict[str, Any] | None:
    for event in state:
        if event.get("type") == event_type and event.get("state_key") == key:
            return event
    return None


def creators(state: list[dict[str, Any]]) -> frozenset[str]:
    """Users with unlimited power who must not be listed (room version 12 and later)."""
    create = state_event(state, "m.room.create") or {}
    content = create.get("content") or {}
    if not roles.creators_have_infinite_power(str(content.get("room_version", "1"))):
        return frozenset()
    extra = content.get("additional_creators", [])
    return frozenset([str(create.get("sender", "")), *(extra if isinstance(extra, list) else [])])
