"""What the verification feature tells the UI."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.verification import VerificationView
from app.services.notices import Notice


@dataclass(frozen=True, slots=True)
class VerificationChanged(Notice):
    """A verification began, moved on or ended (the dialog and the prompt follow these)."""

    view: VerificationView


@dataclass(frozen=True, slots=True)
class DeviceVerified(Notice):
    """The emoji matched on both sides: this device of this person is now trusted."""

    user_id: str
    device_id: str
