"""How background failures reach the user: one clear Problem each, never a traceback.

A full disk gets its own words ("the disk is full"), said once until things work again,
because every write fails while it lasts and a stream of "sending failed" notices would
hide the one thing the user can do: free some space. Skipped to-device messages are
summed up per sending device, so "3 undecryptable messages from device X of @user" is
what the log and the status bar say. Parts of a sync answer the Matrix library could
not read are summed up per section and room the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from app.core.errors import disk_full
from app.core.sync_problems import SyncProblem, summarize_sync
from app.core.to_device import ToDeviceProblem, summarize
from app.services.notices import Notice, Problem

log = logging.getLogger(__name__)


class Reporter:
    """Failure reporting for one account's loops."""

    def __init__(self, notify: Callable[[Notice], None]) -> None:
        self._notify = notify
        self._disk_full = False

    def failure(self, what: str, exc: BaseException) -> None:
        """A step failed and will be retried: tell the user (a full disk once, as such)."""
        if disk_full(exc):
            if not self._disk_full:
                log.warning("the disk is full: %s", exc)
                self._notify(Problem("disk_full", str(exc)))
            self._disk_full = True
            return
        self._notify(Problem(what, f"{type(exc).__name__}: {exc}"))

    def recovered(self) -> None:
        """A write went through: a full disk later is news again."""
        self._disk_full = False

    def skipped(self, problems: Sequence[ToDeviceProblem]) -> None:
        """To-device messages were skipped and recorded: say from whom and why."""
        lines = summarize(problems)
        for line in lines:
            log.warning("%s", line)
        if lines:
            self._notify(Problem("to_device_skipped", "; ".join(lines)))

    def taken_out(self, problems: Sequence[SyncProblem]) -> None:
        """Parts of a sync answer were taken out (each logged with its source by the
        Matrix layer; a room event is also a malformed row in its room): say where, why."""
        lines = summarize_sync(problems)
        if lines:
            self._notify(Problem("sync_parts_skipped", "; ".join(lines)))
