"""Sitreps as any Matrix client shows them (protocol 2.0): the whole report as the
message's text, headed by what happened to it, the payload under
``org.openopsroom.sitrep`` (or ``.sitrep_review``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core import protocol, roles
from app.core.sitrep.approval import Sitrep, read_draft
from app.core.sitrep.compile import SitrepDraft

HEADINGS = {
    "situation": "Situation",
    "actions": "Actions taken",
    "decisions": "Decisions",
    "needs": "Needs",
    "outlook": "Outlook",
}
UNVERIFIED_HEADING = "Not confirmed (listed apart)"


def report_text(draft: SitrepDraft) -> str:
    """The report as plain text: each filled section under its heading."""
    parts = [f"{HEADINGS[name]}\n{text.strip()}" for name, text in draft.sections if text.strip()]
    if draft.unverified.strip():
        parts.append(f"{UNVERIFIED_HEADING}\n{draft.unverified.strip()}")
    return "\n\n".join(parts)


def _lead(payload: Mapping[str, Any], what: str) -> str:
    mark = "[EXERCISE] " if payload.get("exercise") else ""
    return f"{mark}📋 SITREP {what}: {payload['title']}"


def submission_message(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Submitted for approval: a message officials answer by approving or returning it."""
    revision = int(payload["revision"])
    what = "for approval" if revision == 1 else f"for approval (revision {revision})"
    return protocol.carried_message(
        roles.SITREP,
        payload,
        _lead(payload, what),
        report_text(read_draft(payload)),
        tail="Needs the approval of a second person with the official role.",
    )


def publication_message(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The approved report, as every room of the session receives it."""
    return protocol.carried_message(
        roles.SITREP,
        payload,
        _lead(payload, "(approved)"),
        report_text(read_draft(payload)),
        tail=f"Compiled by {payload['author']} · approved by {payload['approved_by']}",
    )


def review_message(payload: Mapping[str, Any], sitrep: Sitrep) -> dict[str, Any]:
    """An approval or a return, a notice naming the sitrep it answers."""
    verdict = "approved" if payload["verdict"] == "approved" else "returned to its author"
    mark = "[EXERCISE] " if sitrep.exercise else ""
    lead = f"{mark}📋 SITREP “{sitrep.draft.title}” {verdict}"
    return protocol.carried_message(
        roles.SITREP_REVIEW, payload, lead, str(payload.get("comment") or ""), notice=True
    )
