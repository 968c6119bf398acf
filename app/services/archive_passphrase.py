"""Asking the window for an archive's passphrase, on a machine without a keyring.

Why a go-between: the archive is opened on the backend loop (by the start-up preview,
then by the sign-in), but only the person at the window knows the passphrase. The loop
announces ``ArchivePassphraseNeeded`` and waits; the window answers through the bridge
(``answer``), straight onto the loop, even before the backend is built. What was typed
stays in this object's memory for the run (a sign-out and back in does not ask again):
never logged, never written to disk. The scrypt derivation runs on a worker thread
(``ArchiveKeys``), never on the UI thread.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

from app.core.errors import LoginProblem
from app.core.paths import ARCHIVE_PASSPHRASE_ENV
from app.services.notices import ArchivePassphraseNeeded, Notice
from app.store import StoreError


class ArchiveLocked(StoreError):
    """The person declined to give the archive's passphrase: it stays closed, untouched."""


def login_problem(exc: Exception) -> LoginProblem:
    """What the sign-in page says when the archive did not open: Cancel on the
    passphrase is its own sentence; anything else is the archive's failure."""
    locked = isinstance(exc, ArchiveLocked)
    return LoginProblem.ARCHIVE_LOCKED if locked else LoginProblem.SERVER_ERROR


class ArchivePassphrases:
    """The passphrases given in this run, and the one question open at a time per account.

    Lives on the backend loop; ``answer`` is called there (the bridge schedules it)."""

    def __init__(self, notify: Callable[[Notice], None]) -> None:
        self._notify = notify
        self._known: dict[str, str] = {}
        self._waiting: dict[str, asyncio.Future[str | None]] = {}
        self._declined: set[str] = set()  # asked and cancelled: not asked again this start

    def known(self, user_id: str) -> str | None:
        """The passphrase from the environment, or the one the person gave in this run."""
        return os.environ.get(ARCHIVE_PASSPHRASE_ENV) or self._known.get(user_id)

    def remember(self, user_id: str, passphrase: str) -> None:
        """A passphrase that opened the archive: kept in memory for this run only."""
        self._known[user_id] = passphrase

    async def ask(self, user_id: str, wrong: bool = False, choose: bool = False) -> str:
        """The passphrase the person types; ``ArchiveLocked`` if they cancel (once
        cancelled, the same start does not ask again: the preview and the sign-in both
        open the archive, and one question is enough)."""
        if user_id in self._declined:
            raise ArchiveLocked(f"The archive of {user_id} stays closed: no passphrase given.")
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._waiting[user_id] = future
        self._notify(ArchivePassphraseNeeded(user_id, wrong, choose))
        try:
            typed = await future
        finally:
            self._waiting.pop(user_id, None)
        if not typed:
            self._declined.add(user_id)
            raise ArchiveLocked(f"The archive of {user_id} stays closed: no passphrase given.")
        return typed

    def answer(self, user_id: str, typed: str | None) -> None:
        """The window's answer (``None`` for Cancel); an answer nobody waits for is dropped."""
        future = self._waiting.get(user_id)
        if future is not None and not future.done():
            future.set_result(typed)

    def ask_again(self) -> None:
        """A new sign-in by hand: a passphrase declined before may be asked for again."""
        self._declined.clear()
