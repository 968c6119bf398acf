"""The outbox worker: sends what the account's persisted outbox holds, in order per room.

Why apart from ``account.py``: the send path has rules of its own (DESIGN.md: a message
is in the outbox before any network I/O, and only the server's answer or echo marks it
sent; a transient failure holds back only the rest of that room's rows) and a loop of
its own that no failure ends. The account queues rows and wakes the worker; the worker
only reads and marks them.

A row just queued is handed over with the wake-up, so while the worker knows every
pending row (it read the outbox and everything since went out) it sends the new row
without reading the outbox again: one store call less between a click and the network.
It reads again after a start, a retry, a reconnection or any row that had to wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, Protocol, TypeVar

from app.core.errors import SendFailed, SendProblem, disk_full
from app.core.records import OutboxItem, OutboxState
from app.matrix import MatrixClient
from app.services.backoff import Backoff
from app.services.notices import Notice, OutboxChanged, Problem
from app.services.reporting import Reporter
from app.store import Outbox

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


class StoreCall(Protocol):
    """``AccountService.in_outbox``: one outbox call, run where the outbox is written."""

    def __call__(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Awaitable[T]: ...


class OutboxWorker:
    """Sends pending rows whenever woken; a failure waits with back-off, never ends it."""

    def __init__(
        self,
        client: MatrixClient,
        outbox: Outbox,
        db: StoreCall,
        notify: Callable[[Notice], None],
        *,
        report: Reporter,
    ) -> None:
        self._client = client
        self._outbox = outbox
        self._db = db
        self._notify = notify
        self._report = report
        self._wake = asyncio.Event()
        self._handed: list[OutboxItem] = []  # queued since the last read, in order
        self._read_needed = True  # rows may be pending that nobody handed over
        self._read: set[str] = set()  # txn ids the last read listed

    def wake(self, queued: OutboxItem | None = None) -> None:
        """A row was queued (``queued``, persisted already), or one was retried, or the
        connection came back (look in the outbox again)."""
        if queued is None:
            self._read_needed = True
        else:
            self._handed.append(queued)
        self._wake.set()

    async def run_forever(self) -> None:
        backoff = Backoff()
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                stalled = await self._send_pending()
            except Exception as exc:
                log.exception("outbox flush failed")
                self._report.failure("send_failed", exc)
                stalled = True
            if stalled:
                self._read_needed = True  # what waits is in the outbox, not in memory
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), backoff.next_delay())
                self._wake.set()
            else:
                backoff.reset()

    async def _send_pending(self) -> bool:
        """Send pending rows, in order within each room; True if some had to wait.

        A transient failure holds back only the rest of that room's rows, so one room
        the server cannot take right now never delays an instruction to another.
        """
        waiting: set[str] = set()
        for item in await self._pending():
            if item.room_id in waiting:
                continue
            try:
                event_id = await self._client.send(item)
            except SendFailed as exc:
                if exc.problem is SendProblem.TRANSIENT:
                    log.info("send of %s deferred: %s", item.txn_id, exc.detail)
                    if disk_full(exc):
                        self._report.failure("send_failed", exc)
                    waiting.add(item.room_id)
                    continue
                updated = await self._db(self._outbox.mark_failed, item.txn_id, exc.detail)
            else:
                updated = await self._db(self._outbox.mark_sent, item.txn_id, event_id)
                self._report.recovered()
            if updated is not None and updated.state != OutboxState.PENDING:
                self._notify(OutboxChanged(updated))
        for gap in self._client.take_undeliverable():  # the sender must know who cannot read
            log.warning("room key not delivered: %s", gap)
            detail = f"{gap.user_id} ({gap.device_id}) in {gap.room_id}: {gap.reason}"
            self._notify(Problem("room_key_undeliverable", detail))
        return bool(waiting)

    async def _pending(self) -> list[OutboxItem]:
        """The rows to send now: read from the outbox when it may hold rows nobody handed
        over, else those handed over since (all of them, as no earlier row waits)."""
        if not self._read_needed:
            # A row is handed over once; one handed only after the read that listed it
            # (its caller resumed late) was taken from that read and is not sent twice.
            handed = [item for item in self._handed if item.txn_id not in self._read]
            self._handed = []
            return handed
        self._read_needed = False
        pending = await self._db(self._outbox.pending)
        self._read = {item.txn_id for item in pending}
        self._handed = [item for item in self._handed if item.txn_id not in self._read]
        return pending
