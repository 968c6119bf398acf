"""Crisis sessions: convene, roles, close, join, and rosters rebuilt from the archive."""

from app.services.sessions.service import SessionError, Sessions

__all__ = [
    "SessionError",
    "Sessions",
]
