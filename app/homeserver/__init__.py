"""Embedded Synapse on loopback: config generation, start/stop, admin registration.

Used by `oor serve`, `oor demo` and the tests. Standard library and PyYAML only: Synapse
runs as a child process, never imported here, so the app starts fast and a server crash
cannot take the client down.
"""

from app.homeserver.admin_api import Account
from app.homeserver.config import HomeserverError
from app.homeserver.server import EmbeddedHomeserver

__all__ = ["Account", "EmbeddedHomeserver", "HomeserverError"]
