"""Situation reports as rules: compiled from the timeline, approved by a second person
with the official role (two-person rule), then published; their messages and their part
of the record. Pure: no Matrix, Qt or SQL.
"""

from app.core.sitrep.approval import (
    Board,
    Refusal,
    Review,
    Sitrep,
    Stage,
    Why,
    draft_refusal,
    fold_sitreps,
    may_compile,
    new_sitrep_id,
    publication_payload,
    read_draft,
    review_payload,
    review_refusal,
    submission_payload,
)
from app.core.sitrep.compile import (
    SECTION_OF_KIND,
    SECTIONS,
    SitrepDraft,
    compile_draft,
    section_of,
)
from app.core.sitrep.plain import (
    publication_message,
    report_text,
    review_message,
    submission_message,
)
from app.core.sitrep.record import sitrep_record

__all__ = [
    "SECTIONS",
    "SECTION_OF_KIND",
    "Board",
    "Refusal",
    "Review",
    "Sitrep",
    "SitrepDraft",
    "Stage",
    "Why",
    "compile_draft",
    "draft_refusal",
    "fold_sitreps",
    "may_compile",
    "new_sitrep_id",
    "publication_message",
    "publication_payload",
    "read_draft",
    "report_text",
    "review_message",
    "review_payload",
    "review_refusal",
    "section_of",
    "sitrep_record",
    "submission_message",
    "submission_payload",
]
