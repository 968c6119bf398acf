"""What the UI hears about this device's own standing in cross-signing."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.services.notices import Notice


class OwnStanding(enum.StrEnum):
    """Where this device stands, and so what the user is asked to do (if anything)."""

    SET_UP_NEEDED = "set_up_needed"  # the account has no cross-signing: ask for the password
    VERIFY_NEEDED = "verify_needed"  # it has; this device is not signed: recovery key or emoji
    STORE_NEEDED = "store_needed"  # keys made here, not yet behind the existing recovery key
    VERIFIED = "verified"  # this device is cross-signed and its keys are where they belong


@dataclass(frozen=True, slots=True)
class StandingChanged(Notice):
    """This device's standing, after each check (start, set-up, restore)."""

    standing: OwnStanding
