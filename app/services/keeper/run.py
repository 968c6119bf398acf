"""Starting the keeper: its login, its database, its loop.

The keeper signs in once (`oor keeper login`) into its own data dir, like any device;
from then on `oor keeper` restores that login. A records database that is not up yet
(the keeper started before PostgreSQL) is waited for, not a reason to exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Mapping

from app.core.errors import LoginFailed
from app.core.paths import DataDir
from app.matrix import MatrixClient
from app.services.backoff import Backoff
from app.services.headless import signed_in
from app.services.keeper.leaving import LEFT_PATIENCE
from app.services.keeper.service import Keeper
from app.services.sessions import SessionError
from app.services.trust.bootstrap import bootstrap
from app.store import CredentialStore, JsonDocument, StoreError
from app.store.keeper import KeeperArchive, open_keeper_archive

log = logging.getLogger(__name__)
DEVICE_NAME = "Open Operations Room records keeper"
# Seconds a room the keeper left may keep failing before it is a hole (default a day):
# for an operator who would rather have the hole sooner, and for the tests.
PATIENCE_VARIABLE = "OOR_KEEPER_LEFT_PATIENCE"


async def sign_in(data: DataDir, homeserver: str, user: str, password: str) -> str:
    """Log the keeper's account in on a new device of this data dir; its device id."""
    try:
        client = await MatrixClient.login(homeserver, user, password, data.crypto, DEVICE_NAME)
    except LoginFailed as exc:
        raise SessionError(
            f"the keeper could not sign in ({exc.problem.value}): {exc.detail}"
        ) from exc
    try:
        await asyncio.to_thread(CredentialStore(data.root).save, client.creds)
        # Device keys up now, and cross-signed: policy rooms share keys only with such devices.
        keys = JsonDocument(data.account(client.user_id) / "cross_signing.json")
        await bootstrap(client, password, keys, lambda notice: log.warning("%s", notice))
    finally:
        await client.close()
    return client.creds.device_id


def left_patience(environ: Mapping[str, str]) -> float:
    """``PATIENCE_VARIABLE`` from the environment if it is a positive number of seconds,
    else (said in the log) ``LEFT_PATIENCE``."""
    raw = environ.get(PATIENCE_VARIABLE)
    if raw is None:
        return LEFT_PATIENCE
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if seconds > 0:
        return seconds
    log.warning(
        "%s=%r is not a number of seconds; %.0f is used", PATIENCE_VARIABLE, raw, LEFT_PATIENCE
    )
    return LEFT_PATIENCE


async def open_waiting(url: str, account: str, stop: asyncio.Event) -> KeeperArchive | None:
    """The keeper's archive, waiting while the database is unreachable (None if stopped)."""
    backoff = Backoff(first=0.5, ceiling=10.0)
    while not stop.is_set():
        try:
            return await asyncio.to_thread(open_keeper_archive, url, account)
        except StoreError as exc:
            delay = backoff.next_delay()
            log.warning("the records database is unavailable (%s); retry in %.1f s", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
    return None


async def serve(data: DataDir, url: str, stop: asyncio.Event) -> None:
    """Run the keeper of this data dir into the database at ``url`` until ``stop``."""
    async with signed_in(data) as client:
        archive = await open_waiting(url, client.user_id, stop)
        if archive is None:
            return
        keeper = Keeper(client, archive, left_patience=left_patience(os.environ))
        runner = asyncio.ensure_future(keeper.run(stop))
        waiter = asyncio.ensure_future(stop.wait())
        try:
            done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            runner.cancel()
            waiter.cancel()
            await asyncio.gather(runner, waiter, return_exceptions=True)
            await asyncio.to_thread(archive.close)
        if runner in done:
            runner.result()  # a crash of the loop is reported, not swallowed
