"""What the open round tells the UI: the rounds of a session, as every client folds them."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.open_round import Refused, Round
from app.services.notices import Notice


@dataclass(frozen=True, slots=True)
class RoundsChanged(Notice):
    """A session's rounds after the newest events (oldest round first), and the round
    messages that could not pose one (a wrong role, terms that do not parse)."""

    space_id: str
    rounds: tuple[Round, ...]
    refused: tuple[Refused, ...] = ()
