"""Crisis sessions: convene, roles, close, join, and rosters rebuilt from the archive."""

from app.services.sessions.errors import SessionError
from app.services.sessions.service import Sessions

__all__ = [
    "SessionError",
    "Sessions",
]
