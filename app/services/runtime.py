"""The backend thread: one asyncio loop that owns nio, decryption and the store.

The UI never awaits anything: it submits coroutines here and hears back through
notices. Exceptions that escape a task reach the loop's exception handler, which
turns them into a Problem notice instead of losing them in a log nobody reads.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from app.core.paths import DataDir
    from app.services.archive_passphrase import ArchivePassphrases
    from app.services.arrival import Screen
    from app.services.backend import Backend
    from app.services.notices import Notice

log = logging.getLogger(__name__)
T = TypeVar("T")


class BackendRuntime:
    """Starts a daemon-free thread running an event loop until ``stop`` is called."""

    def __init__(self, on_error: Callable[[str], None]) -> None:
        self._on_error = on_error
        self._loop: asyncio.AbstractEventLoop | None = None  # made in start(): nothing to leak
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="oor-backend")

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("the backend runtime has not been started")
        return self._loop

    def start(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(self._handle_exception)
        self._thread.start()
        self._ready.wait()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule a coroutine from any thread; failures are reported, never swallowed."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        future.add_done_callback(self._report)
        return future

    def stop(self, shutdown: Coroutine[Any, Any, None] | None = None, timeout: float = 30) -> None:
        """Run ``shutdown`` (stop sync, close client and store), then stop the loop and join."""
        if not self._thread.is_alive():
            if shutdown is not None:
                shutdown.close()
            return
        if shutdown is not None:
            try:
                asyncio.run_coroutine_threadsafe(shutdown, self.loop).result(timeout)
            except Exception:
                log.exception("backend shutdown did not finish cleanly")
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)

    def _run(self) -> None:
        loop = self.loop
        asyncio.set_event_loop(loop)
        loop.call_soon(self._ready.set)
        try:
            loop.run_forever()
            self._cancel_leftovers(loop)
        finally:
            loop.close()

    @staticmethod
    def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())

    def _report(self, future: concurrent.futures.Future[Any]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            self._on_error(f"{type(exc).__name__}: {exc}")

    def _handle_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        message = f"{type(exc).__name__}: {exc}" if exc else str(context.get("message"))
        log.error("backend loop: %s", message, exc_info=exc)
        self._on_error(message)


async def new_backend(
    data: DataDir,
    notify: Callable[[Notice], None],
    embedded: bool,
    passphrases: ArchivePassphrases | None = None,
    screen: Screen | None = None,
) -> Backend:
    """The app's backend, built on the backend thread while the window is already on
    screen. First the stored login's archived rooms are announced (SQL only), then nio
    and the rest load (about a second) behind the painted list. The UI reaches the
    backend only through this runtime, never by importing the services behind it.
    ``passphrases`` is how the window is asked for an archive's passphrase; ``screen``
    how it shows arriving events from the store thread (``app.services.arrival``)."""
    from app.services.preview import show_archive

    # the embedded server is started by the backend, later: nothing to fetch from yet
    preview = await show_archive(data, notify, passphrases, fetch_first_sync=not embedded)
    from app.services.backend import Backend

    return Backend(data, notify, embedded=embedded, preview=preview, screen=screen)
