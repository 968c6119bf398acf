"""Headless use of the stored login, for the commands.

`oor convene`, `oor invite` and friends need no sync loop (state and membership calls
only): ``signed_in`` gives them the restored client. `oor instruct` and `oor exercise`
run the whole account: ``start_signed_in`` starts its Backend. Either uses the data dir's
device, so it should not run while the app itself is open on the same data dir.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from app.core.errors import LoginFailed
from app.core.paths import DataDir
from app.matrix import MatrixClient
from app.services.instance_lock import DataDirInUse, InstanceLock
from app.services.notices import (
    OUTBOX_SET_ASIDE,
    ArchiveEncrypting,
    LoginNeeded,
    Notice,
    Problem,
)
from app.services.sessions import SessionError
from app.store import CredentialStore

if TYPE_CHECKING:
    from app.services.account import AccountService
    from app.services.backend import Backend


@asynccontextmanager
async def signed_in(data: DataDir) -> AsyncIterator[MatrixClient]:
    """The data dir's restored client; a clear SessionError when there is no usable login."""
    lock = InstanceLock(data.root)
    try:
        await asyncio.to_thread(lock.acquire)
    except DataDirInUse as exc:
        raise SessionError(f"{exc}; close the app first, or use another --data-dir") from None
    try:
        async with _restored(data) as client:
            yield client
    finally:
        lock.release()


@asynccontextmanager
async def _restored(data: DataDir) -> AsyncIterator[MatrixClient]:
    creds = await asyncio.to_thread(CredentialStore(data.root).load)
    if creds is None:
        raise SessionError(
            f"no stored login in {data.root}: sign in once with the app (`oor --data-dir "
            f"{data.root}`), or use --data-dir to point at a signed-in data dir"
        )
    client = MatrixClient.from_credentials(creds, data.crypto)
    try:
        await client.restore()
    except LoginFailed as exc:
        await client.close()
        raise SessionError(f"the stored login no longer works ({exc.problem.value})") from exc
    try:
        yield client
    finally:
        await client.close()


async def start_signed_in(backend: Backend, heard: Sequence[Notice]) -> AccountService:
    """Start a Backend for a command; without a usable login, a SessionError that says
    why (the last LoginNeeded or Problem it announced)."""
    await backend.start()
    if backend.account is None:
        why = [n for n in heard if isinstance(n, LoginNeeded | Problem)]
        detail = f": {why[-1]}" if why else ""
        raise SessionError(f"no usable login in {backend.data.root}{detail}")
    return backend.account


def print_opening(notice: Notice) -> None:
    """A command's lines on stderr for what opening the archive has to tell the person:
    the progress while an older plaintext archive is encrypted in place, and an outbox
    another key made, set aside. The latter is told once, at the opening that renames
    the file: a command that kept it to itself would leave the window nothing to say."""
    if isinstance(notice, ArchiveEncrypting):
        percent = notice.done * 100 // max(notice.total, 1)
        end = "\n" if notice.done >= notice.total else ""
        print(f"\rEncrypting the archive: {percent}%", end=end, file=sys.stderr, flush=True)
    elif isinstance(notice, Problem) and notice.what == OUTBOX_SET_ASIDE:
        print(
            f"An outbox made under another key was kept aside as {notice.detail}; "
            "any messages in it not yet sent are there, unsent.",
            file=sys.stderr,
            flush=True,
        )
