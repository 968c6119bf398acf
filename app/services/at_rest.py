"""Opening an account's archive encrypted at rest, with the conversion's progress shown.

The preview (rooms on screen before nio loads) and the backend's sign-in both open the
archive through here, so the first of them to run converts an older plaintext archive
(``ArchiveEncrypting`` notices, about one per percent) and seals the account's small
plaintext files; the key is found once and handed on with the engine. An outbox left by
another key, set aside as it opens, is told once (``Problem(OUTBOX_SET_ASIDE, path)``,
the whole path, absolute: the person has to find it from a window's words). Whether it
holds unsent messages nobody can say without its key (every opening makes an outbox, so
one is set aside after any move of the archive, often holding only sent rows): the
words say only where any would be.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.paths import DataDir
from app.services.archive_passphrase import ArchivePassphrases
from app.services.notices import OUTBOX_SET_ASIDE, ArchiveEncrypting, Notice, Problem
from app.store import JsonDocument
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from app.store.errors import WrongKey
from app.store.sqlcipher import FileState, file_state

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# The account folder's documents that hold someone's words or secrets.
ACCOUNT_DOCUMENTS = ("composer.json", "instructions.json", "backup.json")


@dataclass(frozen=True, slots=True)
class OpenArchive:
    """An account's archive and its outbox (a file of its own: ``app.store.outbox_file``),
    open, and the key its small files are sealed with."""

    engine: Engine
    outbox: Engine
    file_key: bytes

    def dispose(self) -> None:
        """Both files closed (the account's stop, a preview not taken)."""
        self.engine.dispose()
        self.outbox.dispose()


async def open_account_archive(
    data: DataDir,
    user_id: str,
    notify: Callable[[Notice], None],
    passphrases: ArchivePassphrases | None = None,
    keys: ArchiveKeys | None = None,
) -> OpenArchive:
    """The account's archive, converted and sealed first if an older release left it
    plaintext. Raises StoreError (wrong or missing key, damaged file, full disk).

    With ``passphrases`` (the window's), an account whose key is a passphrase nobody gave
    is asked for it, again after a wrong one (the file untouched), until it opens or the
    person cancels (``ArchiveLocked``). ``keys`` that already opened this archive (the
    start-up's plain look) are used as they are: the key is not looked up again."""
    loop = asyncio.get_running_loop()
    shown = -1

    def progress(done: int, total: int) -> None:  # on the worker thread
        nonlocal shown
        percent = done * 100 // total
        if percent != shown:
            shown = percent
            loop.call_soon_threadsafe(notify, ArchiveEncrypting(user_id, done, total))

    def set_aside(kept: Path) -> None:  # on the worker thread
        loop.call_soon_threadsafe(notify, Problem(OUTBOX_SET_ASIDE, str(kept.resolve())))

    opening = partial(open_archive, progress=progress, set_aside=set_aside)
    if keys is not None or passphrases is None:
        keys = keys or ArchiveKeys(data.account(user_id), user_id)
        engine, outbox, file_key = await asyncio.to_thread(opening, data.archive(user_id), keys)
    else:
        engine, outbox, file_key = await _open_asking(data, user_id, passphrases, opening)
    await asyncio.to_thread(_seal_documents, data, user_id, file_key)
    return OpenArchive(engine, outbox, file_key)


async def _open_asking(
    data: DataDir,
    user_id: str,
    passphrases: ArchivePassphrases,
    opening: Callable[[Path, ArchiveKeys], tuple[Engine, Engine, bytes]],
) -> tuple[Engine, Engine, bytes]:
    typed, wrong = passphrases.known(user_id), False
    while True:
        given = typed
        keys = ArchiveKeys(data.account(user_id), user_id, passphrase=lambda given=given: given)
        if await asyncio.to_thread(keys.needs_passphrase):
            typed = await passphrases.ask(user_id, wrong)
            continue
        if given is None and await asyncio.to_thread(_new_key_due, data, user_id, keys):
            typed = await passphrases.ask(user_id, choose=True)
            continue
        try:  # scrypt and SQLCipher's first read, on a worker thread
            opened = await asyncio.to_thread(opening, data.archive(user_id), keys)
        except WrongKey:
            if given is None or keys.location != "passphrase":
                raise
            typed, wrong = None, True
            continue
        if given is not None and keys.location == "passphrase":
            passphrases.remember(user_id, given)
        return opened


def _new_key_due(data: DataDir, user_id: str, keys: ArchiveKeys) -> bool:
    """A key is about to be made (the archive is new or plaintext) and could be a
    passphrase the person chooses rather than a key file."""
    encrypted = file_state(data.archive(user_id)) is FileState.ENCRYPTED
    return not encrypted and keys.may_choose_passphrase()


def _seal_documents(data: DataDir, user_id: str, file_key: bytes) -> None:
    for name in ACCOUNT_DOCUMENTS:
        JsonDocument(data.account(user_id) / name, file_key).seal_in_place()
