"""Opening an account's archive encrypted at rest.

``open_archive`` is the one way the app opens an account's archive: it finds the key
(``ArchiveKeys``), converts an older release's plaintext archive in place (with
progress), refuses a wrong or missing key with a clear sentence, and hands back an
engine at the newest schema together with the key the account's files are sealed with.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.core.at_rest import file_key
from app.store.archive_keys import ArchiveKeys, KeyMissing
from app.store.sqlcipher import FileState, Progress, encrypt_in_place, file_state

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ArchiveKeys", "KeyMissing", "Progress", "open_archive"]


def open_archive(path: Path, keys: ArchiveKeys, progress: Progress) -> tuple[Engine, Engine, bytes]:
    """The encrypted archive at ``path``, its outbox (``app.store.outbox_file``) and
    the account's file key.

    ``progress(done, total)`` is called while a plaintext archive is converted (bytes);
    never for an archive that is already encrypted or new."""
    # Here, not at the top: the start-up imports this module for the preview, and
    # SQLAlchemy is loaded only once the room list is on screen (``app.store.peek``).
    from app.store.database import open_database, sqlite_url
    from app.store.outbox_file import open_outbox

    state = file_state(path)
    key = keys.existing() if state is FileState.ENCRYPTED else keys.existing_or_new()
    if state is FileState.PLAINTEXT:
        encrypt_in_place(path, key, progress)
    outbox = open_outbox(path, key)  # first: an older release's rows move before 0009
    try:
        archive = open_database(sqlite_url(path), key)
    except Exception:
        outbox.dispose()
        raise
    return archive, outbox, file_key(key)
