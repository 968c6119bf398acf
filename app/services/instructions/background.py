"""Background work of the instructions feature: one task of each kind at a time.

Why a failure becomes a Problem: a task nobody awaits would otherwise end in a log line
at best, and the user would never learn that, say, the overdue check stopped."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from app.services.notices import Notice, Problem

log = logging.getLogger(__name__)


class Background:
    """Named tasks on the running loop; a second of the same name while one runs is dropped."""

    def __init__(self, notify: Callable[[Notice], None]) -> None:
        self._notify = notify
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def spawn(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        if name in self._tasks:
            work.close()
            return
        task = asyncio.get_running_loop().create_task(work, name=f"oor-instructions-{name}")
        self._tasks[name] = task
        task.add_done_callback(lambda done: self._finished(name, done))

    async def cancel(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    def _finished(self, name: str, task: asyncio.Task[None]) -> None:
        self._tasks.pop(name, None)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("instructions %s failed", name, exc_info=exc)
            self._notify(Problem("feature_failed", f"{type(exc).__name__}: {exc}"))
