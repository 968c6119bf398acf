"""The instructions feature: issue, acknowledge, request, clarify; drafts; overdue."""

from app.services.instructions.service import InstructionError, Instructions

__all__ = [
    "InstructionError",
    "Instructions",
]
