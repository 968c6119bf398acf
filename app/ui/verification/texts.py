"""The sentences of a verification: where it stands, and why it ended."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core import verification as v
from app.core.verification import Phase, VerificationView
from app.ui.texts import fill, user_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("Verification", text)


def status_text(view: VerificationView) -> str:
    """One sentence for the dialog's status line."""
    who = user_text(view.other_user)
    if view.phase is Phase.REQUESTED:
        if view.incoming:
            return fill(_tr("%1 asks to verify this device with emoji."), who)
        return fill(_tr("Waiting for %1 to accept the verification…"), who)
    if view.phase in (Phase.READY, Phase.STARTED):
        return _tr("Exchanging keys…")
    if view.phase is Phase.SHOWING:
        return _tr(
            "Compare these emoji with the ones shown on the other device, in the same order."
        )
    if view.phase is Phase.CONFIRMED:
        return fill(_tr("Waiting for %1 to confirm…"), who)
    if view.phase is Phase.DONE:
        return fill(_tr("Verified: this device of %1 is now trusted."), who)
    return cancel_text(view)


def cancel_text(view: VerificationView) -> str:
    """Why the verification ended, said so that nobody thinks anything was trusted."""
    code = view.cancel_code
    if code == v.MISMATCHED_SAS:
        return _tr(
            "The emoji did not match. Nothing was trusted; the device may not be who it claims."
        )
    if code == v.TIMEOUT:
        return _tr("The verification timed out. Nothing was trusted.")
    if code == v.USER and view.cancelled_by_us:
        return _tr("You cancelled the verification. Nothing was trusted.")
    if code == v.USER:
        return _tr("The other side cancelled the verification. Nothing was trusted.")
    if code in (v.KEY_MISMATCH, v.MISMATCHED_COMMITMENT):
        return _tr("The keys did not check out. Nothing was trusted: do not rely on this device.")
    if code in (v.UNKNOWN_METHOD,):
        return _tr("The other device cannot verify with emoji. Nothing was trusted.")
    if code == v.ACCEPTED_ELSEWHERE:
        return _tr("The verification was answered on another of your devices.")
    if code == v.UNEXPECTED_MESSAGE and view.cancelled_by_us:
        return _tr("Another verification with this person is under way. Nothing was trusted.")
    return _tr("The verification was cancelled. Nothing was trusted.")


def prompt_text(view: VerificationView) -> str:
    return fill(_tr("%1 asks to verify — answer…"), user_text(view.other_user))
