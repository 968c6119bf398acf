"""The instructions feature: issue, acknowledge, request, clarify; drafts; overdue."""

from app.services.instructions.checks import InstructionError
from app.services.instructions.service import Instructions

__all__ = [
    "InstructionError",
    "Instructions",
]
