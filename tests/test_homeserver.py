"""The embedded homeserver, against a real Synapse: what a facilitator or a test would notice."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.homeserver import Account, EmbeddedHomeserver, HomeserverError
from tests.fixtures_homeserver import MakeAccount

pytestmark = pytest.mark.integration  # most tests here start a Synapse of their own

REPO = Path(__file__).resolve().parents[1]
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(
    method: str, url: str, body: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, headers, method=method)
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read() or b"{}")


def login(server: EmbeddedHomeserver, localpart: str, password: str) -> tuple[int, dict[str, Any]]:
    return call(
        "POST",
        server.url + "/_matrix/client/v3/login",
        {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": localpart},
            "password": password,
        },
    )


def refuses_connections(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(3)
        try:
            sock.connect((host, port))
        except OSError:
            return True
        return False


def other_local_addresses() -> list[str]:
    """Addresses of this machine other than 127.0.0.1, where a server bound to 0.0.0.0
    (or ::) would answer."""
    addresses = ["::1"]
    if sys.platform.startswith("linux"):
        addresses.append("127.0.0.2")  # all of 127/8 is loopback on Linux
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))  # no packet is sent for UDP connect
            primary = probe.getsockname()[0]
        except OSError:
            primary = ""
    if primary and not primary.startswith("127."):
        addresses.append(primary)
    return addresses


def stored_config(server: EmbeddedHomeserver) -> dict[str, Any]:
    return yaml.safe_load(server.config_path.read_text())


def pid_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# -- the shared session server -----------------------------------------------------------


def test_answers_on_loopback_only(homeserver: EmbeddedHomeserver) -> None:
    assert homeserver.url == f"http://127.0.0.1:{homeserver.port}"
    status, versions = call("GET", homeserver.url + "/_matrix/client/versions")
    assert status == 200
    assert versions["versions"]
    others = other_local_addresses()
    assert others
    for host in others:
        assert refuses_connections(host, homeserver.port), f"answers on {host}"


def test_no_federation_and_no_key_servers(homeserver: EmbeddedHomeserver) -> None:
    config = stored_config(homeserver)
    [listener] = config["listeners"]
    assert listener["bind_addresses"] == ["127.0.0.1"]
    assert [name for resource in listener["resources"] for name in resource["names"]] == ["client"]
    assert config["trusted_key_servers"] == []
    assert config["federation_domain_whitelist"] == []
    for path in ("/_matrix/federation/v1/version", "/_matrix/key/v2/server"):
        status, reply = call("GET", homeserver.url + path)
        assert status == 404, path
        assert reply["errcode"] == "M_UNRECOGNIZED"


def test_public_registration_is_closed(homeserver: EmbeddedHomeserver) -> None:
    status, reply = call(
        "POST",
        homeserver.url + "/_matrix/client/v3/register",
        {"username": "intruder", "password": "hunter2hunter2", "auth": {"type": "m.login.dummy"}},
    )
    assert status == 403
    assert reply["errcode"] == "M_FORBIDDEN"


def test_created_account_logs_in_with_its_password(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    account = make_account("alice")
    assert account.user_id == f"@{account.localpart}:{homeserver.server_name}"
    assert account.localpart.startswith("alice-")
    assert len(account.password) >= 16

    status, reply = login(homeserver, account.localpart, account.password)
    assert status == 200
    assert reply["user_id"] == account.user_id
    # Registration's own device was dropped: the only session is the one just logged in.
    status, devices = call(
        "GET", homeserver.url + "/_matrix/client/v3/devices", token=reply["access_token"]
    )
    assert status == 200
    assert [d["device_id"] for d in devices["devices"]] == [reply["device_id"]]

    status, reply = login(homeserver, account.localpart, account.password + "x")
    assert status == 403


def test_make_account_never_repeats(make_account: MakeAccount) -> None:
    first, second = make_account(), make_account()
    assert first.user_id != second.user_id
    assert first.password != second.password


def test_chosen_password_and_admin_flag(homeserver: EmbeddedHomeserver) -> None:
    admin = homeserver.create_account("facilitator-admin", "correct horse battery", admin=True)
    plain = homeserver.create_account("facilitator-plain", "correct horse battery")
    assert admin == Account(
        "@facilitator-admin:localhost", "facilitator-admin", "correct horse battery"
    )

    for account, expected in ((admin, 200), (plain, 403)):
        status, reply = login(homeserver, account.localpart, "correct horse battery")
        assert status == 200
        user = urllib.parse.quote(account.user_id)
        status, _ = call(
            "GET", f"{homeserver.url}/_synapse/admin/v2/users/{user}", token=reply["access_token"]
        )
        assert status == expected, account


def test_existing_account_is_a_clear_error(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    account = make_account("dup")
    with pytest.raises(HomeserverError, match="already exists") as caught:
        homeserver.create_account(account.localpart)
    assert account.user_id in str(caught.value)
    # The original password still works: nothing was overwritten.
    assert login(homeserver, account.localpart, account.password)[0] == 200


def test_invalid_user_name_is_a_clear_error(homeserver: EmbeddedHomeserver) -> None:
    with pytest.raises(HomeserverError, match="cannot be a Matrix user name"):
        homeserver.create_account("Not Valid")


def test_start_is_idempotent(homeserver: EmbeddedHomeserver) -> None:
    pid = int((homeserver.data_dir / "homeserver.pid").read_text())
    homeserver.start()
    assert homeserver.is_running()
    assert int((homeserver.data_dir / "homeserver.pid").read_text()) == pid


# -- own servers: config, restart, failures ------------------------------------------------


def test_config_is_private_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = EmbeddedHomeserver(data_dir)
    config_bytes = first.config_path.read_bytes()
    key_bytes = (data_dir / "homeserver.signing.key").read_bytes()
    for name in ("homeserver.yaml", "homeserver.signing.key"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    config = stored_config(first)
    assert config["enable_registration"] is False
    assert config["report_stats"] is False
    assert config["database"]["args"]["database"] == str(data_dir / "homeserver.db")
    assert first.log_path == data_dir / "homeserver.log"

    again = EmbeddedHomeserver(data_dir)
    assert again.port == first.port
    assert again.config_path.read_bytes() == config_bytes

    moved = EmbeddedHomeserver(data_dir, port=first.port + 1)
    assert moved.port == first.port + 1
    assert moved.url.endswith(f":{first.port + 1}")
    new_config = stored_config(moved)
    assert new_config["registration_shared_secret"] == config["registration_shared_secret"]
    assert new_config["macaroon_secret_key"] == config["macaroon_secret_key"]
    assert (data_dir / "homeserver.signing.key").read_bytes() == key_bytes
    assert stat.S_IMODE(moved.config_path.stat().st_mode) == 0o600
    assert EmbeddedHomeserver(data_dir).port == first.port + 1


def test_restart_reuses_port_key_and_accounts(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with EmbeddedHomeserver(data_dir) as server:
        account = server.create_account("carol")
        port, key = server.port, (data_dir / "homeserver.signing.key").read_bytes()
        pid = int((data_dir / "homeserver.pid").read_text())
    assert not server.is_running()
    assert not pid_is_alive(pid)
    assert refuses_connections("127.0.0.1", port)
    server.stop()  # idempotent

    with EmbeddedHomeserver(data_dir) as again:
        assert again.port == port
        assert (data_dir / "homeserver.signing.key").read_bytes() == key
        status, reply = login(again, account.localpart, account.password)
        assert status == 200
        assert reply["user_id"] == account.user_id


def test_port_taken_fails_fast_with_synapse_log(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = EmbeddedHomeserver(tmp_path / "data", port=port)
        with pytest.raises(HomeserverError) as caught:
            server.start(timeout=60)
    message = str(caught.value)
    assert "exited during startup" in message
    assert f"Port {port} on 127.0.0.1 is taken" in message
    assert "Address already in use" in message  # Synapse's own words, from its log
    assert not server.is_running()


def test_config_synapse_rejects_shows_its_complaint(tmp_path: Path) -> None:
    server = EmbeddedHomeserver(tmp_path / "data")
    text = server.config_path.read_text()
    server.config_path.write_text(text.replace("name: sqlite3", "name: nosuchdb"))
    with pytest.raises(HomeserverError) as caught:
        server.start(timeout=60)
    assert "Unsupported database type 'nosuchdb'" in str(caught.value)
    assert not server.is_running()


def test_unparsable_config_is_reported_and_kept(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    EmbeddedHomeserver(data_dir)
    garbage = "listeners: [oops\n\tnot: yaml: at all"
    (data_dir / "homeserver.yaml").write_text(garbage)
    server = EmbeddedHomeserver(data_dir)
    with pytest.raises(HomeserverError, match=r"homeserver\.yaml cannot be read"):
        server.start()
    with pytest.raises(HomeserverError, match=r"homeserver\.yaml cannot be read"):
        server.create_account("nobody")
    assert (data_dir / "homeserver.yaml").read_text() == garbage  # secrets not overwritten


def test_no_answer_within_timeout_is_an_error_not_a_hang(tmp_path: Path) -> None:
    server = EmbeddedHomeserver(tmp_path / "data")
    with pytest.raises(HomeserverError, match="did not answer"):
        server.start(timeout=0.05)  # not even Python's imports fit in 50 ms
    assert not server.is_running()
    assert refuses_connections("127.0.0.1", server.port)


def test_create_account_without_a_server(tmp_path: Path) -> None:
    server = EmbeddedHomeserver(tmp_path / "data")
    with pytest.raises(HomeserverError, match="No homeserver answers"):
        server.create_account("early")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_forever_stops_cleanly_on_signal(tmp_path: Path, signum: int) -> None:
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from app.homeserver import EmbeddedHomeserver
        server = EmbeddedHomeserver(Path(sys.argv[1]))
        sys.exit(server.serve_forever(lambda url: print(url, flush=True)))
        """
    )
    data_dir = tmp_path / "data"
    with subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as serve:
        try:
            url = serve.stdout.readline().strip() if serve.stdout else ""
            assert url.startswith("http://127.0.0.1:"), serve.communicate(timeout=60)
            assert call("GET", url + "/_matrix/client/versions")[0] == 200
            synapse_pid = int((data_dir / "homeserver.pid").read_text())
            serve.send_signal(signum)
            _, stderr = serve.communicate(timeout=60)
        finally:
            if serve.poll() is None:
                serve.kill()
                serve.wait()
    assert serve.returncode == 0, stderr
    assert not pid_is_alive(synapse_pid)
    assert refuses_connections("127.0.0.1", int(url.rsplit(":", 1)[1]))


def test_missing_synapse_says_what_to_install(tmp_path: Path) -> None:
    # A real Python environment without Synapse: no site-packages (-S), PyYAML linked in.
    site = tmp_path / "site"
    site.mkdir()
    (site / "yaml").symlink_to(Path(yaml.__file__).parent)
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from app.homeserver import EmbeddedHomeserver, HomeserverError
        try:
            EmbeddedHomeserver(Path(sys.argv[1])).start()
        except HomeserverError as exc:
            print(exc)
            sys.exit(3)
        """
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", script, str(tmp_path / "data")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{site}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert "install the 'synapse' extra" in result.stdout
