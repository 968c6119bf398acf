"""pytest plugin: one throwaway PostgreSQL for the whole test session (Debian's
`postgresql` package, temp dir, free loopback port), a fresh database per test.

It is the local deployment's own `TempPostgres`, so the tests and `oor server` start
PostgreSQL the same way. Enable with ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from app.homeserver.deployment.local.services import TempPostgres

_serial = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    """A started PostgreSQL cluster; removed with its data at the end of the session."""
    server = TempPostgres()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def records_db(postgres: TempPostgres) -> str:
    """The URL of a new, empty database nobody else uses."""
    return postgres.create_database(f"records_{next(_serial)}")
