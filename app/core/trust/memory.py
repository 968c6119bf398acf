"""Whose identity changed: each person's master key as we first saw it, per account.

A master key is a person's identity; a new one means a new identity (a reset, or
someone else holding the account), which Element and this app show as a warning until
the user acknowledges it. The first key seen is remembered; a later different one is
reported until acknowledged, which makes it the key remembered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def remember(
    seen: Mapping[str, Any], masters: Mapping[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """The memory updated with ``masters`` (user -> current master key, '' if none), and
    the users whose master key differs from the one remembered (not yet acknowledged)."""
    memory = {user: dict(entry) for user, entry in seen.items() if isinstance(entry, Mapping)}
    changed: list[str] = []
    for user, master in sorted(masters.items()):
        if not master:
            continue
        entry = memory.setdefault(user, {"master": master})
        if entry.get("master") != master:
            entry["changed_to"] = master
            changed.append(user)
        else:
            entry.pop("changed_to", None)
    return memory, changed


def acknowledge(seen: Mapping[str, Any], user_id: str) -> dict[str, Any]:
    """The memory with ``user_id``'s new master key accepted as their identity."""
    memory = {user: dict(entry) for user, entry in seen.items() if isinstance(entry, Mapping)}
    entry = memory.get(user_id, {})
    if entry.get("changed_to"):
        memory[user_id] = {"master": entry["changed_to"]}
    return memory


def changed(seen: Mapping[str, Any]) -> frozenset[str]:
    """Users whose identity changed and who were not acknowledged yet."""
    return frozenset(
        user
        for user, entry in seen.items()
        if isinstance(entry, Mapping) and entry.get("changed_to")
    )
