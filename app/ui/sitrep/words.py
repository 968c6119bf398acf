"""What the sitrep views call things, in the user's language: sections, stages, and why a
step was refused (the service sends the rule's code, ``core.sitrep.Why``)."""

from __future__ import annotations

from app.core.sitrep import Stage, Why
from app.ui.texts import tr


def section_title(name: str) -> str:
    return {
        "situation": tr("Situation"),
        "actions": tr("Actions taken"),
        "decisions": tr("Decisions"),
        "needs": tr("Needs"),
        "outlook": tr("Outlook"),
    }.get(name, name)


def unverified_title() -> str:
    return tr("Not confirmed (listed apart)")


def stage_label(stage: Stage) -> str:
    return {
        Stage.SUBMITTED: tr("Waiting for approval"),
        Stage.RETURNED: tr("Returned to its author"),
        Stage.APPROVED: tr("Approved"),
        Stage.PUBLISHED: tr("Published"),
    }[stage]


def why_text(code: str) -> str:
    """Why the app refused a step, or why a received event does not count."""
    texts: dict[str, str] = {
        Why.OWN_SITREP: tr("The author cannot approve or return their own sitrep."),
        Why.NOT_OFFICIAL: tr("Only a participant with the official role approves sitreps."),
        Why.NOT_AUTHOR: tr("Only the sitrep's author may revise it."),
        Why.NOT_SUBMITTED: tr("This sitrep is not waiting for approval."),
        Why.OUTDATED: tr("It answers a revision that has since been replaced."),
        Why.UNAPPROVED: tr("Published without a valid approval."),
        Why.LOCKED: tr("The sender's role does not allow it (forged)."),
        Why.NO_COMMENT: tr("Say why the sitrep is returned."),
        Why.NO_TITLE: tr("The sitrep needs a title."),
        Why.EMPTY: tr("The sitrep is empty."),
        Why.NOT_IN_SESSION: tr("This is not a session you are in."),
        Why.NOT_COMPILER: tr("Your role does not compile sitreps."),
        Why.DETAILS_PENDING: tr(
            "This session's details (whether it is an exercise) are not decrypted yet: "
            "a sitrep sent now could go out as real. Try again once they arrive."
        ),
    }
    return texts.get(code, code)
