"""What every homeserver this project runs offers its clients and tests, whichever shape
it has: the embedded single Synapse (`server.py`) or a whole local worker deployment
(`deployment/local/stack.py`).

Both are used the same way, `with server: server.create_account(...)`, so a test or a
bench can take either; only where they are and how they start differ.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from app.homeserver.admin_api import Account, Registrar


class RunningHomeserver(ABC):
    """A homeserver started and stopped by us, with accounts made by shared-secret
    registration (public registration stays closed)."""

    @property
    @abstractmethod
    def url(self) -> str:
        """The client API's base URL."""

    @property
    @abstractmethod
    def server_name(self) -> str:
        """The Matrix server name in its user ids."""

    @abstractmethod
    def start(self) -> None:
        """Start and return once clients are answered; on failure stop what started."""

    @abstractmethod
    def stop(self) -> None:
        """Stop everything ``start`` started (a no-op when nothing runs)."""

    @abstractmethod
    def registrar(self) -> Registrar:
        """The shared-secret registrar of the running server."""

    def create_account(
        self,
        localpart: str,
        password: str | None = None,
        admin: bool = False,
        display_name: str = "",
    ) -> Account:
        """Register an account (a generated password when none is given) with the name
        people will see instead of its id."""
        return self.registrar().register(localpart, password, admin, display_name)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
