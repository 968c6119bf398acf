"""What an app from before cross-signing left in a data dir: a stored login whose device
published its keys, on an account with no master key (that app never made one).

``python -m tests.old_install URL USER PASSWORD DATA_DIR [--keys-elsewhere]`` makes it in
a process of its own, as the old app did, for a GUI test whose backend thread must be
the only one to have run nio in its process. With ``--keys-elsewhere`` another client
(plain matrix-nio) first gave the account cross-signing keys: the old install's device
is then one its owner has not verified.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, LoginResponse

from app.core.paths import DataDir
from app.matrix import MatrixClient
from app.services.backend import DEVICE_NAME
from app.store import CredentialStore
from tests.cross_signing_peer import CrossSigningPeer


async def make_old_install(homeserver_url: str, user_id: str, password: str, root: Path) -> None:
    """A stored login in ``root`` and its device's keys on the server, as the old app left."""
    data = DataDir(root)
    client = await MatrixClient.login(homeserver_url, user_id, password, data.crypto, DEVICE_NAME)
    try:
        await client.housekeeping()  # the device's keys are on the server, unsigned
    finally:
        await client.close()
    await asyncio.to_thread(CredentialStore(data.root).save, client.creds)


async def give_keys_elsewhere(homeserver_url: str, user_id: str, password: str, root: Path) -> None:
    """Another client of the account (plain matrix-nio) makes its cross-signing keys."""
    store = root.parent / f"{root.name}-elsewhere"
    store.mkdir(parents=True)
    config = AsyncClientConfig(encryption_enabled=True, pickle_key="test-only-elsewhere")
    raw = AsyncClient(homeserver_url, user_id, store_path=str(store), config=config)
    try:
        assert isinstance(await raw.login(password, device_name="elsewhere"), LoginResponse)
        await raw.keys_upload()
        await CrossSigningPeer(raw, password).set_up()
    finally:
        await raw.close()


def make_old_install_elsewhere(
    homeserver_url: str, user_id: str, password: str, root: Path, keys_elsewhere: bool = False
) -> None:
    """``make_old_install`` in a separate process (blocking until it is done)."""
    here = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "tests.old_install", homeserver_url, user_id, password]
    flags = ["--keys-elsewhere"] if keys_elsewhere else []
    subprocess.run([*command, str(root), *flags], cwd=here, check=True, timeout=120)


async def _main(url: str, user: str, password: str, root: Path, keys_elsewhere: bool) -> None:
    if keys_elsewhere:
        await give_keys_elsewhere(url, user, password, root)
    await make_old_install(url, user, password, root)


if __name__ == "__main__":
    url, user, password, root = sys.argv[1:5]
    asyncio.run(_main(url, user, password, Path(root), "--keys-elsewhere" in sys.argv[5:]))
