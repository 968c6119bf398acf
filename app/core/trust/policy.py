"""The session policy on devices (MSC4153's exclusion): in a delegation or restricted
room, what counts comes only from devices their owner has cross-signed.

An encrypted event names, in its envelope, the Curve25519 key of the device whose Megolm
session encrypted it; the session came to us over Olm from that very key, so a lie
there leaves the event undecryptable. That key is looked up among the sender's devices
as their signatures were checked (``judge.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from app.core.records import RoomEvent
from app.core.trust.judge import DeviceTrust


class DeviceBook(Protocol):
    """Judged devices, and the rooms where only cross-signed ones count."""

    policy_rooms: frozenset[str]

    def device_by_curve(self, user_id: str, curve25519: str) -> DeviceTrust | None: ...


class NoPolicy:
    """No room has the policy: every device counts (tools, tests of other rules)."""

    policy_rooms: frozenset[str] = frozenset()

    def device_by_curve(self, user_id: str, curve25519: str) -> DeviceTrust | None:
        return None


def sending_key(event: RoomEvent) -> str:
    """The Curve25519 key of the device that encrypted the event ('' if not encrypted)."""
    if event.source.get("type") != "m.room.encrypted":
        return ""
    content = event.source.get("content")
    key = content.get("sender_key") if isinstance(content, Mapping) else None
    return key if isinstance(key, str) else ""


def device_refusal(book: DeviceBook, event: RoomEvent) -> str:
    """Why the event does not count under the room's device policy ('' if it does)."""
    if event.room_id not in book.policy_rooms:
        return ""
    key = sending_key(event)
    if not key:
        return "unverified device: not sent encrypted by a device of the sender"
    device = book.device_by_curve(event.sender, key)
    if device is None:
        return f"unverified device: {event.sender} has published no device with this key"
    if not device.cross_signed:
        return f"unverified device: {event.sender} has not verified device {device.device_id}"
    return ""
