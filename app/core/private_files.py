"""The one way the app writes a small private file: owner-only and all-or-nothing.

Stored logins, the embedded server's secrets, the local operator's password and an
account's drafts all live in files that (a) nobody else may read, not even for a moment,
and (b) must never be left half-written by a crash or a full disk, since the next start
reads them back. The new text goes to a fresh temporary file in the same directory
(created 0600, so a rename never crosses file systems), is flushed to disk, then
``os.replace`` swaps it in and the directory entry is flushed too: a reader sees the old
file or the new one, never a mix.

It lives in ``core`` because the store and the embedded homeserver both need it and
neither may import the other. Failures are ``OSError``; each caller words its own message.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_private_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8), atomically, readable by the owner only."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``, atomically, readable by the owner only."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def write_private_json(path: Path, data: dict[str, Any]) -> None:
    """``write_private_text`` of a JSON object, non-ASCII kept readable (Arabic names)."""
    write_private_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; some file systems cannot open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
