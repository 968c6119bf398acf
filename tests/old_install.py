"""What an app from before cross-signing left in a data dir: a stored login whose device
published its keys, on an account with no master key (that app never made one).

``python -m tests.old_install URL USER PASSWORD DATA_DIR`` makes it in a process of its
own, as the old app did, for a GUI test whose backend thread must be the only one to
have run nio in its process.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from app.core.paths import DataDir
from app.matrix import MatrixClient
from app.services.backend import DEVICE_NAME
from app.store import CredentialStore


async def make_old_install(homeserver_url: str, user_id: str, password: str, root: Path) -> None:
    data = DataDir(root)
    client = await MatrixClient.login(homeserver_url, user_id, password, data.crypto, DEVICE_NAME)
    try:
        await client.housekeeping()  # the device's keys are on the server, unsigned
    finally:
        await client.close()
    await asyncio.to_thread(CredentialStore(data.root).save, client.creds)


def make_old_install_elsewhere(
    homeserver_url: str, user_id: str, password: str, root: Path
) -> None:
    """The same, in a separate process (blocking until it is done)."""
    here = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "tests.old_install", homeserver_url, user_id, password]
    subprocess.run([*command, str(root)], cwd=here, check=True, timeout=120)


if __name__ == "__main__":
    url, user, password, root = sys.argv[1:5]
    asyncio.run(make_old_install(url, user, password, Path(root)))
