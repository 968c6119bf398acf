"""Headless use of the stored login, for `oor convene`, `oor invite` and friends.

No sync loop runs: session administration needs only state and membership calls. The
command uses the data dir's device, so it should not run while the app itself is open on
the same data dir.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.core.errors import LoginFailed
from app.core.paths import DataDir
from app.matrix import MatrixClient
from app.services.instance_lock import DataDirInUse, InstanceLock
from app.services.sessions import SessionError
from app.store import CredentialStore


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
