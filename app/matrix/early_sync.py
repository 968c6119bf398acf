"""A new device's first sync, asked for before the sync loop gets to it.

Why: on a new device's first start the room list waits for the first sync, and the
server takes a good part of a second to put one together (every room's state and
recent timeline). Meanwhile the app checks the login, opens (creates) the archive and
starts its features, none of which the request needs. So the request goes out as soon
as the login is restored, and the sync loop's first step takes its answer instead of
asking again; the answer is archived and announced exactly as before, only sooner.

Only the request a first sync would send is made early: no token (nothing archived
yet), no full-state flag. A step that asks for anything else drops it and asks anew.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


class EarlySync:
    """At most one first-sync request on its way, started by ``start`` and taken once."""

    def __init__(self) -> None:
        self._task: asyncio.Task[Any] | None = None

    @property
    def pending(self) -> bool:
        """A first sync was asked for and the sync loop has not taken it yet."""
        return self._task is not None

    def start(self, nio: Any) -> None:
        """Send the first sync's request now (on the running loop); nio processes the
        answer when it comes, as it would inside the loop's own call."""
        if self._task is None:
            nio.next_batch = None
            self._task = asyncio.get_running_loop().create_task(
                nio.sync(timeout=0, since=None, full_state=None), name="oor-first-sync"
            )

    def take(self, since: str | None, full_state: bool) -> asyncio.Task[Any] | None:
        """The early request if it is the one this step would send, else None (then
        the early one is dropped: its answer must not stand in for another request)."""
        task, self._task = self._task, None
        if task is not None and (since is not None or full_state):
            _discard(task)
            return None
        return task

    async def drop(self) -> None:
        """Forget a request nobody took (the login failed, the client closes)."""
        task, self._task = self._task, None
        if task is not None:
            _discard(task)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _discard(task: asyncio.Task[Any]) -> None:
    """Cancel a request nobody will use; a failure it already had belongs to no one
    (retrieved here, so asyncio does not report it as lost)."""
    task.cancel()
    task.add_done_callback(lambda done: done.cancelled() or done.exception())
