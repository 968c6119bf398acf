"""Opening an account's archive encrypted at rest.

``open_archive`` is the one way the app opens an account's archive: it finds the key
(``ArchiveKeys``), converts an older release's plaintext archive in place (with
progress), refuses a wrong or missing key with a clear sentence, and hands back an
engine at the newest schema together with the key the account's files are sealed with.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.at_rest import file_key
from app.store.archive_keys import ArchiveKeys, KeyMissing
from app.store.sqlcipher import FileState, Progress, encrypt_in_place, file_state

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ArchiveKeys", "KeyMissing", "Progress", "open_archive"]


def open_archive(
    path: Path,
    keys: ArchiveKeys,
    progress: Progress,
    set_aside: Callable[[Path], None] | None = None,
) -> tuple[Engine, Engine, bytes]:
    """The encrypted archive at ``path``, its outbox (``app.store.outbox_file``) and
    the account's file key.

    ``progress(done, total)`` is called while a plaintext archive is converted (bytes);
    never for an archive that is already encrypted or new. ``set_aside(kept)`` is called
    if an outbox another key made was set aside (kept at ``kept``), for the person."""
    # Here, not at the top: the start-up imports this module for the preview, and
    # SQLAlchemy is loaded only once the room list is on screen (``app.store.peek``).
    from app.store.database import open_database, sqlite_url
    from app.store.outbox_file import ArchiveOutbox

    state = file_state(path)
    key = keys.existing() if state is FileState.ENCRYPTED else keys.existing_or_new()
    if state is FileState.PLAINTEXT:
        encrypt_in_place(path, key, progress)
    outbox = ArchiveOutbox(path, key, set_aside or _untold)
    try:  # the archive first: its key is checked before the outbox is touched
        archive = open_database(sqlite_url(path), key, older_outbox=outbox.take)
    except Exception:
        outbox.dispose()  # opened if migration 0009 handed it an older release's rows
        raise
    try:
        return archive, outbox.engine(), file_key(key)
    except Exception:
        archive.dispose()
        raise


def _untold(_kept: Path) -> None:
    """Nobody to tell (a bench, a command-line tool): the log says where it is kept."""
