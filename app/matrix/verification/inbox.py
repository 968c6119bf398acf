"""Verification messages are taken out of a raw sync body before nio parses it.

nio 0.26 runs its own SAS on them (it would answer a start, share a key, send
cancellations of its own); this app runs the spec's flow instead (``hub.py``), so nio
must never see them. Only the screened body is read here: every event is already a
JSON object with string sender and type and an object as content.
"""

from __future__ import annotations

from typing import Any

PREFIX = "m.key.verification."


def take_verification(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Remove the to-device verification messages from ``body``; return them in order."""
    section = body.get("to_device")
    events = section.get("events") if isinstance(section, dict) else None
    if not isinstance(events, list):
        return []
    taken = [e for e in events if isinstance(e, dict) and str(e.get("type")).startswith(PREFIX)]
    if taken:
        section["events"] = [e for e in events if not any(e is t for t in taken)]
    return taken
