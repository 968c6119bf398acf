"""The sentences of a verification: where it stands, and why it ended."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core import verification as v
from app.core.verification import Phase, VerificationView
from app.ui.people import person_text
from app.ui.texts import fill

translate = QCoreApplication.translate  # lupdate files translate("Verification", …)


def status_text(view: VerificationView, names: dict[str, str]) -> str:
    """One sentence for the dialog's status line (the person by name and id)."""
    who = person_text(view.other_user, names)
    if view.phase is Phase.REQUESTED:
        if view.incoming:
            return fill(translate("Verification", "%1 asks to verify this device with emoji."), who)
        return fill(translate("Verification", "Waiting for %1 to accept the verification…"), who)
    if view.phase in (Phase.READY, Phase.STARTED):
        return translate("Verification", "Exchanging keys…")
    if view.phase is Phase.SHOWING:
        return translate(
            "Verification",
            "Compare these emoji with the ones shown on the other device, in the same order.",
        )
    if view.phase is Phase.CONFIRMED:
        return fill(translate("Verification", "Waiting for %1 to confirm…"), who)
    if view.phase is Phase.DONE:
        return fill(translate("Verification", "Verified: this device of %1 is now trusted."), who)
    return cancel_text(view)


def cancel_text(view: VerificationView) -> str:
    """Why the verification ended, said so that nobody thinks anything was trusted."""
    code = view.cancel_code
    if code == v.MISMATCHED_SAS:
        return translate(
            "Verification",
            "The emoji did not match. Nothing was trusted; the device may not be who it claims.",
        )
    if code == v.TIMEOUT:
        return translate("Verification", "The verification timed out. Nothing was trusted.")
    if code == v.USER and view.cancelled_by_us:
        return translate("Verification", "You cancelled the verification. Nothing was trusted.")
    if code == v.USER:
        return translate(
            "Verification", "The other side cancelled the verification. Nothing was trusted."
        )
    if code in (v.KEY_MISMATCH, v.MISMATCHED_COMMITMENT):
        return translate(
            "Verification",
            "The keys did not check out. Nothing was trusted: do not rely on this device.",
        )
    if code == v.KNOWN_KEY:
        return translate(
            "Verification",
            "The other app used a publicly known key (Nheko 0.11 does), so matching emoji "
            "would prove nothing. Nothing was trusted: verify with another app or in person.",
        )
    if code in (v.UNKNOWN_METHOD,):
        return translate(
            "Verification", "The other device cannot verify with emoji. Nothing was trusted."
        )
    if code == v.ACCEPTED_ELSEWHERE:
        return translate(
            "Verification", "The verification was answered on another of your devices."
        )
    if code == v.UNEXPECTED_MESSAGE and view.cancelled_by_us:
        return translate(
            "Verification",
            "Another verification with this person is under way. Nothing was trusted.",
        )
    return translate("Verification", "The verification was cancelled. Nothing was trusted.")


def prompt_text(view: VerificationView, names: dict[str, str]) -> str:
    return fill(
        translate("Verification", "%1 asks to verify — answer…"),
        person_text(view.other_user, names),
    )
