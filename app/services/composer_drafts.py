"""The composer's drafts, per room, kept across restarts in the account's folder: what
was typed and not sent is never lost by closing the app (written whole, mode 0600, and
sealed with the account's file key: drafts are someone's words)."""

from __future__ import annotations

import asyncio

from app.store import JsonDocument, StoreError


async def load(document: JsonDocument) -> dict[str, str]:
    """The drafts as the last run left them. A damaged file is set aside (kept for whoever
    wants to look), never a crash."""
    try:
        found = await asyncio.to_thread(document.load)
    except StoreError:
        await asyncio.to_thread(document.set_aside)
        return {}
    drafts = found.get("drafts")
    if not isinstance(drafts, dict):
        return {}
    return {str(room): str(text) for room, text in drafts.items() if isinstance(text, str)}


async def keep(document: JsonDocument, drafts: dict[str, str]) -> None:
    await asyncio.to_thread(document.save, {"drafts": dict(drafts)})
