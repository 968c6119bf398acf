"""pytest plugin: one real Synapse for the whole test session, and fresh accounts on it.

One server per session because a start costs seconds and tests stay independent anyway by
using accounts (and rooms) nobody else uses: `make_account` never hands out a name twice.
Enable with `pytest_plugins = ["tests.fixtures_homeserver"]` in tests/conftest.py.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from typing import Protocol

import pytest

from app.homeserver import Account, EmbeddedHomeserver

_serial = itertools.count(1)


class MakeAccount(Protocol):
    """`make_account(prefix="user", name="") -> Account`: a new account with a random
    password and a display name (``name``, else the prefix capitalised and numbered)."""

    def __call__(self, prefix: str = "user", name: str = "") -> Account: ...


@pytest.fixture(scope="session")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedHomeserver]:
    """A started EmbeddedHomeserver in a session temp dir; stopped at the end."""
    server = EmbeddedHomeserver(tmp_path_factory.mktemp("homeserver"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_account(homeserver: EmbeddedHomeserver) -> MakeAccount:
    """Factory for accounts with unique localparts (`<prefix>-<n>-<random>`), named as a
    person would be ("Omar 12"), as the app's own account creation names them."""

    def make(prefix: str = "user", name: str = "") -> Account:
        serial = next(_serial)
        localpart = f"{prefix.lower()}-{serial}-{secrets.token_hex(3)}"
        return homeserver.create_account(
            localpart, display_name=name or f"{prefix.capitalize()} {serial}"
        )

    return make
