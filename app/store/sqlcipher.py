"""The archive file under SQLCipher: telling a plaintext file from an encrypted one,
opening with a raw key, and converting an older release's plaintext archive in place.

Why a raw 32-byte key (``x'…'``) and not a passphrase: SQLCipher runs PBKDF2 with
256,000 rounds on every connection opened with a passphrase, which the app would pay at
each start; the key is already random (or already stretched by ``ArchiveKeys``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from enum import Enum
from pathlib import Path

import sqlcipher3

from app.store.errors import StoreError, WrongKey

PLAINTEXT_HEADER = b"SQLite format 3\x00"
CONVERTING_SUFFIX = ".encrypting"
# Progress is looked at every so many SQLite VM steps: often enough for a smooth bar,
# rarely enough that the stat() it costs does not slow the copy.
_PROGRESS_STEPS = 2_000
_COPY_CACHE_KIB = 256

Progress = Callable[[int, int], None]  # bytes written so far, bytes to write


class FileState(Enum):
    ABSENT = "absent"  # no file, or an empty one: a new archive starts encrypted
    PLAINTEXT = "plaintext"  # an older release's archive: to convert
    ENCRYPTED = "encrypted"  # anything else: opens only with its key


def file_state(path: Path) -> FileState:
    """What is at ``path``, judged from its first bytes alone (nothing is opened)."""
    try:
        with path.open("rb") as f:
            header = f.read(len(PLAINTEXT_HEADER))
    except FileNotFoundError:
        return FileState.ABSENT
    except OSError as exc:
        raise StoreError(f"Cannot read the archive {path}: {exc}") from exc
    if not header:
        return FileState.ABSENT
    return FileState.PLAINTEXT if header == PLAINTEXT_HEADER else FileState.ENCRYPTED


def raw_key(key: bytes) -> str:
    """SQLCipher's literal for a raw key: no key derivation when a connection opens."""
    return f"x'{key.hex()}'"


def wrong_key(where: str) -> WrongKey:
    return WrongKey(
        f"The archive {where} cannot be opened with this key: it was encrypted with "
        "another one. Nothing was changed; restore the key (system keyring or passphrase) "
        "to open it, or move the file aside to start a new archive."
    )


def refuse_plaintext(path: Path) -> None:
    """A plaintext archive opened with a key would read as "wrong key"; it has to be
    converted first (``encrypt_in_place``). Judged from the header alone."""
    if file_state(path) is FileState.PLAINTEXT:
        raise StoreError(f"The archive {path} is not encrypted yet; it must be converted first.")


def is_wrong_key(exc: BaseException) -> bool:
    """Whether SQLite's error (or the one it was raised from) says the file did not
    decrypt: SQLCipher checks page 1's HMAC on the first read and answers SQLITE_NOTADB.
    A full disk or a locked file says something else and is worded elsewhere."""
    seen: BaseException | None = exc
    while seen is not None:
        if getattr(seen, "sqlite_errorname", "") == "SQLITE_NOTADB":
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


def encrypt_in_place(path: Path, key: bytes, progress: Progress) -> None:
    """Replace the plaintext archive at ``path`` by an encrypted copy, every row kept.

    Crash-safe: the copy is written beside it (``…encrypting``), checked row for row,
    flushed, and only then renamed over the original; a crash before the rename leaves
    the plaintext archive as it was, and the next start converts again from scratch.
    """
    temporary = path.with_name(path.name + CONVERTING_SUFFIX)
    _remove(temporary)
    plain = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        # Fold the WAL into the file and leave WAL mode: after the rename, no -wal file
        # of the plaintext may be left to be replayed over the encrypted one.
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute("PRAGMA journal_mode=DELETE")
        total = max(path.stat().st_size, 1)

        def _report() -> int:
            with contextlib.suppress(OSError):
                progress(min(temporary.stat().st_size, total), total)
            return 0  # 0 = carry on

        plain.set_progress_handler(_report, _PROGRESS_STEPS)
        plain.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(temporary), raw_key(key)))
        # A small cache makes the copy reach the disk as it goes, so its size is progress.
        plain.execute(f"PRAGMA encrypted.cache_size = -{_COPY_CACHE_KIB}")
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA main.user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.set_progress_handler(None, 0)
        plain.execute("DETACH DATABASE encrypted")
        _same_rows(plain, temporary, key)
    except BaseException as exc:
        plain.close()
        _remove(temporary)
        if isinstance(exc, sqlcipher3.Error):  # a full disk, a damaged file: in words
            raise StoreError(
                f"Cannot encrypt the archive {path} ({exc}); the plaintext archive was kept "
                "as it was and will be encrypted at the next start."
            ) from exc
        raise
    plain.close()
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:  # a writer we do not know of: leave it all
        _remove(temporary)
        raise StoreError(f"The archive {path} is in use by another program; not converted.")
    for leftover in (wal, Path(f"{path}-shm")):
        _remove(leftover)
    _fsync(temporary)
    os.replace(temporary, path)
    _fsync(path.parent)
    progress(total, total)


def _same_rows(plain: sqlcipher3.Connection, copy: Path, key: bytes) -> None:
    """Every table of the copy, opened afresh with the key (the full-text index's virtual
    table is only seen by a new connection), holds as many rows as the original's."""
    encrypted = connect_encrypted(copy, key)
    try:
        before, after = _row_counts(plain), _row_counts(encrypted)
    finally:
        encrypted.close()
    if before != after:
        lost = sorted(t for t in before if before[t] != after.get(t))
        raise StoreError(
            f"Encrypting the archive would have lost rows of {', '.join(lost)}; "
            "the plaintext archive was kept as it was."
        )


def _row_counts(conn: sqlcipher3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {table: '"' + table.replace('"', '""') + '"' for table in tables}
    return {t: conn.execute(f"SELECT count(*) FROM {q}").fetchone()[0] for t, q in quoted.items()}


def connect_encrypted(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A plain DB-API connection to an existing encrypted file (a missing one is an error,
    not created): the copy checked after a conversion, and the start-up's look at the
    room list (``app.store.peek``), which must not wait for SQLAlchemy to load. It may be
    handed from thread to thread, used by one at a time."""
    uri = f"{path.resolve().as_uri()}?mode=rw"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{raw_key(key)}"')
    return conn


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)
