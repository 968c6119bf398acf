"""Quitting while the app is still starting: the start-up stops with the window.

A first start paints its room list before the backend has loaded and signed in, so a
user can close the window while the backend is still being built or is checking the
login. The start-up must stop there and close what it opened (nio's connection to the
server, the archive) rather than carry on behind a closed window: the process ends
cleanly, with nothing on its error output, and the next start signs in as usual.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nio import RoomCreateResponse

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.matrix import MatrixClient
from app.services.backend import DEVICE_NAME
from app.store import CredentialStore
from tests.child_app import OPEN_WINDOW, REPO, run_window
from tests.fixtures_homeserver import MakeAccount
from tests.peers import raw_nio_client

# The window as ``oor`` builds it; it closes the moment a list or a sign-in is known
# (on a first start the list comes from the raw first sync, while nio still loads), or at
# the step the test names; then the bridge shuts down as the app's exit does.
QUIT_EARLY = (
    OPEN_WINDOW
    + """quit_at = getattr(notices, sys.argv[2])
window.bridge.on(quit_at, lambda _notice: QTimer.singleShot(0, app.quit))
"""
    + run_window(limit_ms=60_000)
    + """print("closed")
"""
)


def _start_and_quit(root: Path, quit_at: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), OOR_CREDENTIALS="file")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run(
        [sys.executable, "-X", "dev", "-c", QUIT_EARLY, str(root), quit_at],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _account_with_a_room(homeserver: EmbeddedHomeserver, user: str, pw: str, tmp: Path):
    raw = await raw_nio_client(homeserver, user, pw, tmp / "peer")
    try:
        made = await raw.room_create(name="Operations")
        assert isinstance(made, RoomCreateResponse), made
    finally:
        await raw.close()


@pytest.mark.parametrize("quit_at", ["RoomsChanged", "LoggedIn"])
def test_closing_the_window_during_a_first_start_stops_the_start_up_cleanly(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, quit_at: str
) -> None:
    account = make_account("quitter")
    asyncio.run(_account_with_a_room(homeserver, account.user_id, account.password, tmp_path))
    data = DataDir(tmp_path / "device")

    async def sign_in() -> None:
        client = await MatrixClient.login(
            homeserver.url, account.user_id, account.password, data.crypto, DEVICE_NAME
        )
        await client.close()
        CredentialStore(data.root).save(client.creds)

    asyncio.run(sign_in())
    done = _start_and_quit(data.root, quit_at)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("closed")
    for sign in ("Unclosed", "Traceback", "was never awaited", "Task was destroyed"):
        assert sign not in done.stderr, done.stderr[-3000:]
