"""The one exception type the store raises, so callers can show its message to a person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError


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
    except SQLAlchemyError as exc:
        detail = getattr(exc, "orig", None) or exc
        raise StoreError(f"Could not {action}: {detail}") from exc
    except UnicodeError as exc:  # text another client sent that UTF-8 cannot carry
        raise StoreError(f"Could not {action}: {exc}") from exc
