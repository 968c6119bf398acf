"""Opening an account's archive encrypted at rest, with the conversion's progress shown.

The preview (rooms on screen before nio loads) and the backend's sign-in both open the
archive through here, so the first of them to run converts an older plaintext archive
(``ArchiveEncrypting`` notices, about one per percent) and seals the account's small
plaintext files; the key is found once and handed on with the engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.paths import DataDir
from app.services.notices import ArchiveEncrypting, Notice
from app.store import JsonDocument
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# The account folder's documents that hold someone's words or secrets.
ACCOUNT_DOCUMENTS = ("composer.json", "instructions.json", "backup.json")


@dataclass(frozen=True, slots=True)
class OpenArchive:
    """An account's archive, open, and the key its small files are sealed with."""

    engine: Engine
    file_key: bytes


async def open_account_archive(
    data: DataDir, user_id: str, notify: Callable[[Notice], None]
) -> OpenArchive:
    """The account's archive, converted and sealed first if an older release left it
    plaintext. Raises StoreError (wrong or missing key, damaged file, full disk)."""
    loop = asyncio.get_running_loop()
    shown = -1

    def progress(done: int, total: int) -> None:  # on the worker thread
        nonlocal shown
        percent = done * 100 // total
        if percent != shown:
            shown = percent
            loop.call_soon_threadsafe(notify, ArchiveEncrypting(user_id, done, total))

    keys = ArchiveKeys(data.account(user_id), user_id)
    engine, file_key = await asyncio.to_thread(open_archive, data.archive(user_id), keys, progress)
    await asyncio.to_thread(_seal_documents, data, user_id, file_key)
    return OpenArchive(engine, file_key)


def _seal_documents(data: DataDir, user_id: str, file_key: bytes) -> None:
    for name in ACCOUNT_DOCUMENTS:
        JsonDocument(data.account(user_id) / name, file_key).seal_in_place()
