"""Witnessed records: signed seals of a room's record that every member can compare.

``span`` defines the chain over a span of the timeline from what every member receives
identically; ``seal`` is the event's content, how it is signed and how it is checked.
"""

from app.core.seals.seal import (
    NOTE_DIFFERS,
    SEAL,
    Seal,
    SealVerdict,
    judge,
    read_seal,
    sealed_content,
    signature_holds,
)
from app.core.seals.span import span_head

__all__ = [
    "NOTE_DIFFERS",
    "SEAL",
    "Seal",
    "SealVerdict",
    "judge",
    "read_seal",
    "sealed_content",
    "signature_holds",
    "span_head",
]
