"""What the instructions feature refuses before sending: what every receiving client
would archive as malformed is said to the sender instead."""

from __future__ import annotations

from typing import Any

from app.core import protocol


class InstructionError(Exception):
    """A command that cannot be carried out, with a reason the user can act on."""


def checked(event_type: str, content: dict[str, Any]) -> dict[str, Any]:
    """Refuse here what every receiving client would archive as malformed."""
    why = protocol.problem(event_type, content)
    if why:
        raise InstructionError(why)
    return content
