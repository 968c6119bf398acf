"""One word per person for the participants panel: how far we can trust who they are."""

from __future__ import annotations

import enum

from app.core.trust.judge import UserTrust


class TrustState(enum.StrEnum):
    """From most to least alarming, the first that applies is shown."""

    IDENTITY_CHANGED = "identity_changed"  # a new master key, not yet acknowledged
    UNVERIFIED_DEVICE = "unverified_device"  # a device their owner has not cross-signed
    VERIFIED = "verified"  # their master key carries our user-signing key's signature
    NOT_VERIFIED = "not_verified"  # nothing wrong, nothing proven yet


def state_of(user: UserTrust | None, identity_changed: bool) -> TrustState:
    if identity_changed:
        return TrustState.IDENTITY_CHANGED
    if user is None:
        return TrustState.NOT_VERIFIED
    if user.unverified_devices:
        return TrustState.UNVERIFIED_DEVICE
    return TrustState.VERIFIED if user.verified else TrustState.NOT_VERIFIED
