"""Wrong password, dead server, a web server that is not Matrix, broken files: each
ends in a clear message, never a traceback."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.core.errors import LoginProblem
from app.homeserver import EmbeddedHomeserver
from app.services.notices import LoginNeeded, Problem
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer


def _last_login_problem(peer: Peer) -> LoginProblem | None:
    needed = [n for n in peer.notices if isinstance(n, LoginNeeded)]
    return needed[-1].problem if needed else None


@pytest.fixture
def web_page_server() -> Iterator[str]:
    """A plain web server on loopback that is not a Matrix homeserver."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>Ministry intranet</body></html>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_wrong_password(homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path):
    account = make_account("alice")
    peer = Peer(tmp_path / "p")
    assert not await peer.backend.login(homeserver.url, account.user_id, "not the password")
    assert _last_login_problem(peer) is LoginProblem.BAD_CREDENTIALS
    assert peer.backend.account is None


async def test_unreachable_server(tmp_path: Path) -> None:
    peer = Peer(tmp_path / "p")
    url = f"http://127.0.0.1:{_closed_port()}"
    assert not await peer.backend.login(url, "@alice:localhost", "pw")
    assert _last_login_problem(peer) is LoginProblem.UNREACHABLE


async def test_a_web_server_that_is_not_matrix(web_page_server: str, tmp_path: Path) -> None:
    peer = Peer(tmp_path / "p")
    assert not await peer.backend.login(web_page_server, "@alice:localhost", "pw")
    assert _last_login_problem(peer) is LoginProblem.NOT_MATRIX


@pytest.mark.parametrize(
    ("url", "user", "password"),
    [
        ("matrix.example.org", "alice", "pw"),
        ("http://127.0.0.1:1", "", "pw"),
        ("http://[::1", "a", "b"),
    ],
)
async def test_malformed_form(url: str, user: str, password: str, tmp_path: Path) -> None:
    peer = Peer(tmp_path / "p")
    assert not await peer.backend.login(url, user, password)
    assert _last_login_problem(peer) is LoginProblem.BAD_INPUT


async def test_unreadable_stored_login_asks_to_sign_in_again(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "session.json").write_text("{not json", encoding="utf-8")
    peer = Peer(tmp_path / "p")
    await peer.backend.start()
    problems = [n for n in peer.notices if isinstance(n, Problem)]
    assert [p.what for p in problems] == ["credentials_unreadable"]
    assert isinstance(peer.notices[-1], LoginNeeded)


def test_cli_reports_a_broken_homeserver_config(tmp_path: Path, capsys) -> None:
    config_dir = tmp_path / "data" / "homeserver"
    config_dir.mkdir(parents=True)
    (config_dir / "homeserver.yaml").write_text("listeners: [unclosed", encoding="utf-8")
    code = main(["account", "create", "alice", "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "homeserver.yaml" in err


def test_cli_reports_an_unusable_data_dir(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("", encoding="utf-8")
    code = main(["account", "create", "alice", "--data-dir", str(blocker)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and err.startswith("oor: ")


@pytest.mark.integration  # the command starts the embedded Synapse
def test_cli_creates_an_account_and_answers_in_json(tmp_path: Path, capsys) -> None:
    code = main(["account", "create", "dora", "--data-dir", str(tmp_path), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    reply = json.loads(out)
    assert reply["user_id"] == "@dora:localhost"
    assert reply["password"]
    again = main(["account", "create", "dora", "--data-dir", str(tmp_path)])
    assert again == 2
    assert "dora" in capsys.readouterr().err
