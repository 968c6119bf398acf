"""A store thread's calls, counted while they wait.

Why not the executor alone: tests hold a store thread (a long archive write in progress)
and must know that the calls they made meanwhile are queued before they let it go; a
fixed number of loop turns would silently stop proving anything once a caller awaited
more. Calls run once each, in the order they came.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

T = TypeVar("T")


class StoreCalls:
    """Runs store calls on ``executor`` (one thread), in order, counting those waiting."""

    def __init__(self, executor: Executor) -> None:
        self._executor = executor
        self._lock = threading.Lock()
        self._waiting: deque[tuple[Callable[[], Any], Future[Any]]] = deque()

    async def run(self, call: Callable[[], T]) -> T:
        """``call()`` on the store thread; its result or exception comes back here."""
        future: Future[T] = Future()
        with self._lock:
            self._waiting.append((call, future))
        self._executor.submit(self._run_next)
        return await asyncio.wrap_future(future)

    def waiting(self) -> int:
        """How many calls wait for the thread (not the one running)."""
        with self._lock:
            return len(self._waiting)

    def _run_next(self) -> None:
        with self._lock:
            call, future = self._waiting.popleft()
        if not future.set_running_or_notify_cancel():  # its caller stopped waiting
            return
        try:
            result = call()
        except BaseException as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
