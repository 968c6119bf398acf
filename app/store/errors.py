"""The one exception type the store raises, so callers can show its message to a person."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


class StoreError(Exception):
    """Something went wrong with local storage; the message is written for a human."""


class WrongKey(StoreError):
    """An encrypted archive did not open with the key given (nothing was written): the
    GUI asks for its passphrase again instead of reporting a failure."""


@contextmanager
def translate_errors(action: str) -> Iterator[None]:
    """Turn database driver errors into StoreError naming what we were doing.

    The backend loop shows StoreError messages to the user; a raw driver traceback
    ("sqlite3.OperationalError: disk I/O error") says nothing about what was lost.
    """
    try:
        yield
    except UnicodeError as exc:  # text another client sent that UTF-8 cannot carry
        raise StoreError(f"Could not {action}: {exc}") from exc
    except Exception as exc:
        if not _from_the_database(exc):
            raise
        detail = getattr(exc, "orig", None) or exc
        raise StoreError(f"Could not {action}: {detail}") from exc


_ERRORS = (
    ("sqlalchemy.exc", "SQLAlchemyError"),
    ("sqlcipher3.dbapi2", "Error"),
    ("sqlite3", "Error"),
)


def _from_the_database(exc: Exception) -> bool:
    """Whether SQLAlchemy or the driver under it (a statement run on the driver's own
    connection, ``Outbox.enqueue``) raised ``exc``. Asked of ``sys.modules``, not
    imported: this module is imported wherever ``StoreError`` is (the UI included) and
    must not load either; a library not loaded raised nothing."""
    kinds = [
        kind
        for module, name in _ERRORS
        if (kind := getattr(sys.modules.get(module), name, None)) is not None
    ]
    return isinstance(exc, tuple(kinds))
