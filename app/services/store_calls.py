"""The order in which the account's one store thread runs its calls: a user's send first.

Why: SQL runs on one thread (``app.services.arrival.store_thread``), and every call
waits for those queued before it. A sync batch's archive write is queued the moment its
response is decoded, and on a busy machine the thread may not have started it when the
user clicks "acknowledge"; the ack's outbox row then waited for that whole write (10-50
ms under load; docs/performance.md, session 8), though nothing in it depends on the
batch. Calls marked ``first`` (the outbox row of a send) are taken before every call
that is still waiting; a call already running is never interrupted (SQLite has one
writer, and the archive write holds it), and calls of one kind keep their order, so
sends stay in the order the user made them and the rest in the order they came.

The thread itself is the executor's, unchanged: each call submits one hand-over to it,
and each hand-over runs whichever waiting call comes first, so every call runs once.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

T = TypeVar("T")


class StoreCalls:
    """Runs store calls on ``executor`` (one thread), ``first`` ones ahead of the rest."""

    def __init__(self, executor: Executor) -> None:
        self._executor = executor
        self._lock = threading.Lock()
        self._waiting: list[tuple[int, int, Callable[[], Any], Future[Any]]] = []
        self._order = itertools.count()

    async def run(self, call: Callable[[], T], *, first: bool = False) -> T:
        """``call()`` on the store thread; its result or exception comes back here."""
        future: Future[T] = Future()
        with self._lock:
            heapq.heappush(self._waiting, (0 if first else 1, next(self._order), call, future))
        self._executor.submit(self._run_next)
        return await asyncio.wrap_future(future)

    def waiting(self) -> int:
        """How many calls wait for the thread (not the one running). What a test waits on
        to know its calls are queued before it lets a held thread go: a fixed number of
        loop turns would silently stop proving anything once a caller awaited more."""
        with self._lock:
            return len(self._waiting)

    def _run_next(self) -> None:
        with self._lock:
            *_, call, future = heapq.heappop(self._waiting)
        if not future.set_running_or_notify_cancel():  # its caller stopped waiting
            return
        try:
            result = call()
        except BaseException as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
