"""Crisis sessions: convene, roles, close, join, and rosters rebuilt from the archive."""

from app.services.sessions.rosters import rosters_of
from app.services.sessions.service import SessionError, Sessions, session_from_state

__all__ = [
    "SessionError",
    "Sessions",
    "rosters_of",
    "session_from_state",
]
