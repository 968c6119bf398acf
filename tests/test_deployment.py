"""The ministry deployment, really running: PostgreSQL, Redis, Synapse main + workers, nginx.

`oor server init`'s files are brought up on loopback (app.homeserver.deployment.local),
and existing end-to-end tests run against it unchanged: the module's `homeserver` fixture
replaces the embedded single-process Synapse, so the same peers sign in through nginx and
their sync, keys and sends are served by the workers the generated routing names.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from nio import RoomCreateResponse, UploadResponse

from app.homeserver.deployment import plan_deployment, write_deployment
from app.homeserver.deployment.local import LocalDeployment, missing_programs
from tests.fixtures_homeserver import MakeAccount
from tests.peers import raw_nio_client

# The same tests, collected again here with this module's `homeserver` (and the fixtures
# they use): they run against the worker deployment.
from tests.test_encrypted_messaging import test_two_clients_then_a_late_joiner  # noqa: F401
from tests.test_instructions import (  # noqa: F401
    peers,
    test_instruction_lifecycle_between_capital_and_two_delegations,
)
from tests.test_sessions import test_session_layout_locks_and_lifecycle  # noqa: F401

pytestmark = pytest.mark.deployment


@pytest.fixture(scope="module")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalDeployment]:
    """The worker deployment (main, one client worker, event persister, media worker)."""
    missing = missing_programs()
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: run installer/install-system-deps.sh")
    with LocalDeployment(tmp_path_factory.mktemp("deployment")) as deployment:
        yield deployment


def _requests(deployment: LocalDeployment, process: str) -> str:
    """What Synapse's access log for one process says it served."""
    assert deployment.plan is not None
    return (deployment.plan.layout.logs / f"{process}.log").read_text(encoding="utf-8")


async def test_the_routing_sends_each_request_to_its_worker(
    homeserver: LocalDeployment, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("router")
    raw = await raw_nio_client(homeserver, account.user_id, account.password, tmp_path / "nio")
    try:
        created = await raw.room_create(name="Routing check")
        assert isinstance(created, RoomCreateResponse)
        await raw.sync(timeout=0)
        marker = secrets.token_hex(8)
        await raw.room_send(
            created.room_id, "m.room.message", {"msgtype": "m.text", "body": marker}
        )
        await raw.sync(timeout=0)
        data = b"sitrep attachment " + secrets.token_bytes(16)
        uploaded, _ = await raw.upload(
            lambda *_: data, content_type="application/octet-stream", filesize=len(data)
        )
        assert isinstance(uploaded, UploadResponse)
        downloaded = await raw.download(uploaded.content_uri)
        assert getattr(downloaded, "body", None) == data
    finally:
        await raw.close()

    client, main, media = (_requests(homeserver, p) for p in ("client1", "main", "media1"))
    assert "/_matrix/client/v3/sync" in client
    assert "/send/m.room.message/" in client
    assert "/_matrix/client/v3/sync" not in main
    assert "/upload" in media

    # Federation is closed: nginx has no route for it.
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{homeserver.url}/_matrix/federation/v1/version") as reply,
    ):
        assert reply.status == 404


async def test_two_people_claiming_a_newcomers_keys_at_once_both_get_one(
    homeserver: LocalDeployment, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Synapse on PostgreSQL can answer one of two simultaneous /keys/claim for the same
    device with no key (the newcomer then cannot read that sender); the generated nginx
    spaces claims out, so both senders get a distinct one-time key, every time."""
    accounts = [make_account(name) for name in ("newcomer", "amal", "omar")]
    clients = [
        await raw_nio_client(homeserver, a.user_id, a.password, tmp_path / a.localpart)
        for a in accounts
    ]
    newcomer = clients[0]
    body = {"one_time_keys": {newcomer.user_id: {newcomer.device_id: "signed_curve25519"}}}

    async def claim(http: aiohttp.ClientSession, token: str) -> list[str]:
        url = f"{homeserver.url}/_matrix/client/v3/keys/claim"
        headers = {"Authorization": f"Bearer {token}"}
        async with http.post(url, json=body, headers=headers) as reply:
            keys = (await reply.json())["one_time_keys"]
        return list(keys.get(newcomer.user_id, {}).get(newcomer.device_id, {}))

    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(10):
                first, second = await asyncio.gather(
                    claim(http, clients[1].access_token), claim(http, clients[2].access_token)
                )
                assert first and second and first != second
    finally:
        for client in clients:
            await client.close()


def test_the_public_tls_site_passes_nginx_own_check(tmp_path: Path) -> None:
    """What the administrator links into /etc/nginx/conf.d/ is valid nginx, once the
    ministry's certificate paths are filled in (here: a throwaway self-signed one)."""
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        pytest.skip("needs nginx and openssl: run installer/install-system-deps.sh")
    plan = plan_deployment(
        tmp_path / "deploy",
        postgres_url="postgresql://synapse:pw@127.0.0.1/synapse",
        redis_url="redis://127.0.0.1:6379/0",
        public_url="https://matrix.mfa.example",
    )
    write_deployment(plan)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=matrix.mfa.example", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (plan.layout.nginx / "oor-site.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/open-operations-room/fullchain.pem", str(cert))
    site = site.replace("/etc/ssl/open-operations-room/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    main_conf = f"events {{}}\nhttp {{ include {tmp_path / 'site.conf'}; }}\n"
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path / 'nginx.pid'};\n{main_conf}", "utf-8")
    check = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "test is successful" in check.stderr
