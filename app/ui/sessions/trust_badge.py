"""A person's trust state as the participants panel shows it: a short word and a colour,
in the user's language (the states are decided in ``app.core.trust.states``)."""

from __future__ import annotations

from app.core.trust.states import TrustState
from app.ui.texts import tr

# Alarming states in the panel's warning colour, a verified person in green.
COLOURS = {
    TrustState.IDENTITY_CHANGED: "#b00020",
    TrustState.UNVERIFIED_DEVICE: "#8a6d00",
    TrustState.VERIFIED: "#1b5e20",
}


def badge_text(state: TrustState | None) -> str:
    """The word shown after a participant's status ('' while nothing is known)."""
    if state is None:
        return ""
    return {
        TrustState.VERIFIED: tr("verified"),
        TrustState.NOT_VERIFIED: tr("not yet verified"),
        TrustState.UNVERIFIED_DEVICE: tr("unverified device present"),
        TrustState.IDENTITY_CHANGED: tr("identity changed"),
    }[state]
