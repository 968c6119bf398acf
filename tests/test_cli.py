"""Headless commands work beside a homeserver another process already runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver

pytestmark = pytest.mark.integration  # starts a Synapse of its own


def test_account_create_uses_a_homeserver_that_oor_serve_runs(tmp_path: Path, capsys) -> None:
    serving = EmbeddedHomeserver(DataDir(tmp_path).homeserver)  # as `oor serve` would
    serving.start()
    try:
        code = main(["account", "create", "dora", "--data-dir", str(tmp_path), "--json"])
        assert code == 0, capsys.readouterr().err
        assert json.loads(capsys.readouterr().out)["user_id"] == "@dora:localhost"
        assert serving.is_running()  # the command did not stop someone else's server
    finally:
        serving.stop()
