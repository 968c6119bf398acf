"""One process per data dir: two would share one device's keys and one outbox.

An advisory lock on a file in the data dir, released by the OS if the process dies.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks here yet; run one instance by hand
    fcntl = None  # type: ignore[assignment]


class DataDirInUse(Exception):
    """Another Open Operations Room process holds this data dir."""


class InstanceLock:
    def __init__(self, root: Path) -> None:
        self.path = root / ".lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise DataDirInUse; taking it twice in one process is fine."""
        if self._fd is not None or fcntl is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise DataDirInUse(
                f"{self.path.parent} is in use by another Open Operations Room process"
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None
