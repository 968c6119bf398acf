"""Timeline entries and verification changes as any Matrix client shows them (protocol
2.0): Element and Nheko hide custom event types, so both travel as ``m.room.message``
with a readable body and the entry's fields under ``org.openopsroom.entry`` (or
``.verification``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core import protocol, roles

KIND_MARKS = {
    "sitrep": "📋",
    "decision": "⚖️",
    "statement": "📢",
    "analysis": "🔍",
    "media": "📰",
    "rumour": "❔",
}


def entry_message(content: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The 2.0 message of a new entry (``content`` is its 1.x content, ``text`` its text)."""
    kind = str(content["kind"])
    lead = f"{KIND_MARKS.get(kind, '')} [{kind.upper()}] {content['title']}".strip()
    facts = [f"Status: {content.get('verification', 'unverified')}"]
    if content.get("sources"):
        facts.append("Sources: " + ", ".join(content["sources"]))
    if content.get("location"):
        facts.append(f"Location: {content['location']}")
    return protocol.carried_message(roles.ENTRY, content, lead, text, tail=" · ".join(facts))


def verification_message(content: Mapping[str, Any], entry_title: str) -> dict[str, Any]:
    """The 2.0 message of a verification change: a notice naming the entry it changes."""
    lead = f"Verification: “{entry_title}” is now {content['status']}"
    return protocol.carried_message(
        roles.VERIFICATION, content, lead, str(content["reason"]), notice=True
    )
