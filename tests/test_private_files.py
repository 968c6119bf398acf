"""Private files (stored login, server secrets, the local operator's password, drafts):
owner-only from the first byte, and a crash mid-write leaves the previous file whole."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.core.private_files import write_private_json
from app.homeserver import EmbeddedHomeserver, HomeserverError
from app.services.backend import local_operator


def test_a_private_file_is_owner_only_and_leaves_no_temporary_behind(tmp_path: Path) -> None:
    target = tmp_path / "operator.json"
    write_private_json(target, {"password": "كلمة"})
    write_private_json(target, {"password": "second"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"password": "second"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["operator.json"]


def test_a_process_killed_mid_write_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "operator.json"
    write_private_json(target, {"password": "before"})
    # The writer dies (no cleanup, no exception handler) after the new bytes are written
    # but before they are swapped in: what a power cut or SIGKILL does.
    script = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        from app.core import private_files
        os.fsync = lambda fd: os._exit(9)
        private_files.write_private_json(Path(sys.argv[1]), {"password": "after" * 1000})
        """
    )
    died = subprocess.run([sys.executable, "-c", script, str(target)], check=False)
    assert died.returncode == 9
    assert json.loads(target.read_text(encoding="utf-8")) == {"password": "before"}


@pytest.mark.parametrize("damage", ["", '{"user_id": "@operator:localhost"', "[1, 2]", "{}"])
def test_a_damaged_operator_login_is_a_clear_error(tmp_path: Path, damage: str) -> None:
    saved = tmp_path / "operator.json"
    saved.write_text(damage, encoding="utf-8")
    never_started = EmbeddedHomeserver(tmp_path / "homeserver")
    with pytest.raises(HomeserverError, match=r"operator login in .*operator.json is damaged"):
        local_operator(never_started, saved)
