"""The open round feature: pose a round, propose, vote by Matrix poll, file the decision."""

from app.services.open_round.notices import RoundsChanged
from app.services.open_round.service import OpenRound

__all__ = ["OpenRound", "RoundsChanged"]
