"""The sender of the chaos run, as its own process so that it can be SIGKILLed.

``python -m bench.chaos_sender DATA_DIR URL USER PASSWORD ROOM_ID N``: signs in (or restores
the login a killed run left behind), joins the room, queues the messages the outbox does
not hold yet (``chaos 0000`` ...) and keeps the app's services running until killed.

It speaks to the harness in lines on stdout: ``READY`` once signed in and joined,
``SHARING`` the moment a room key is about to go out (where kills are aimed), ``DONE``
when the outbox holds all N messages and none is pending.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from app.core.errors import SendFailed, SendProblem
from app.core.paths import DataDir
from app.core.records import OutboxState
from app.services.account import AccountService
from app.services.backend import Backend
from app.services.backoff import Backoff
from app.services.notices import Notice, OutboxChanged
from bench.common import quiet_environment

_EVERY_STATE = tuple(OutboxState)


def body(index: int) -> str:
    """The text of message ``index``: sortable, so the receiver can check order."""
    return f"chaos {index:04d}"


class _SharingLines(logging.Handler):
    """Turns nio's 'Sharing group session' log line into a ``SHARING`` line for the
    harness (nio's, not ours, so that the same run can be aimed at nio's own sharing)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("Sharing group session"):
            print("SHARING", flush=True)


async def join(account: AccountService, room_id: str) -> None:
    """Join (again: harmless), retrying while the server is down."""
    backoff = Backoff()
    while True:
        try:
            await account.client.join(room_id)
            return
        except SendFailed as exc:
            if exc.problem is not SendProblem.TRANSIENT:
                raise
            await asyncio.sleep(backoff.next_delay())


async def run(args: list[str]) -> None:
    """Sign in or restore, queue what is missing, then report progress until killed."""
    data_dir, url, user, password, room_id = args[:5]
    n = int(args[5])
    changed = asyncio.Event()

    def notify(notice: Notice) -> None:
        if isinstance(notice, OutboxChanged):
            changed.set()

    backend = Backend(DataDir(Path(data_dir)), notify)
    await backend.start()  # restores the login of an earlier (killed) run, if any
    if backend.account is None and not await backend.login(url, user, password):
        raise SystemExit("the sender could not sign in")
    account = backend.account
    assert account is not None
    await join(account, room_id)
    print("READY", flush=True)  # signed in: from here on, a kill is what we test
    queued = len(await account.db(account.outbox.items, room_id, _EVERY_STATE))
    for index in range(queued, n):  # one committed row each: a kill mid-way loses none
        await account.send_text(room_id, body(index))
    changed.set()  # all may have been sent by an earlier run
    while True:
        await changed.wait()
        changed.clear()
        rows = await account.db(account.outbox.items, room_id, _EVERY_STATE)
        sent = sum(1 for r in rows if r.state is OutboxState.SENT)
        print(f"PROGRESS {sent}", flush=True)
        if len(rows) == n and sent == n:
            print("DONE", flush=True)


def main() -> None:
    quiet_environment()
    nio_crypto = logging.getLogger("nio.crypto.log")
    nio_crypto.setLevel(logging.INFO)
    nio_crypto.addHandler(_SharingLines())
    nio_crypto.propagate = False
    asyncio.run(run(sys.argv[1:7]))


if __name__ == "__main__":
    main()
