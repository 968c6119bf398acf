"""The workstation package: the .deb unpacks into a scratch root and the installed `oor` runs.

Slow (building the self-contained venv takes minutes), so it is marked `package` and left
out of `make test`; `make package` builds the .deb and runs this against it. Without
OOR_DEB pointing at a built package, the test builds one into its temp dir.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from app import __version__
from app.core import keeper_env

# Building the venv takes longer than the suite's per-test limit; the build has its own.
pytestmark = [pytest.mark.package, pytest.mark.timeout(2400)]

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "opt/open-operations-room"


def _package(tmp_path: Path) -> Path:
    built = os.environ.get("OOR_DEB")
    if built:
        return Path(built)
    result = subprocess.run(
        ["bash", str(ROOT / "installer" / "build-deb.sh")],
        env=dict(os.environ, OUT=str(tmp_path / "out")),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return Path(result.stdout.strip().splitlines()[-1])


def test_the_deb_installs_offline_and_runs_oor(tmp_path: Path) -> None:
    deb = _package(tmp_path)
    fields = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Package: open-operations-room" in fields
    assert f"Version: {__version__}" in fields
    assert "python3.11" in fields

    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "--extract", str(deb), str(root)], check=True)

    # The command on PATH is the venv's, and the venv runs on the system's Python.
    assert os.readlink(root / "usr/bin/oor") == f"/{PREFIX}/bin/oor"
    script = (root / PREFIX / "bin/oor").read_text(encoding="utf-8")
    assert script.startswith(f"#!/{PREFIX}/bin/python\n")
    assert "home = /usr/bin" in (root / PREFIX / "pyvenv.cfg").read_text(encoding="utf-8")

    desktop = (root / "usr/share/applications/open-operations-room.desktop").read_text("utf-8")
    assert "Name=Open Operations Room" in desktop
    assert "Name[ar]=غرفة العمليات المفتوحة" in desktop
    assert "Exec=oor" in desktop
    assert (root / "usr/share/icons/hicolor/scalable/apps/open-operations-room.svg").is_file()

    # The records keeper's unit ships (not enabled) with the example of the file it reads.
    unit = (root / "lib/systemd/system/oor-keeper.service").read_text(encoding="utf-8")
    assert "ExecStart=/usr/bin/oor --data-dir /var/lib/oor-keeper keeper run" in unit
    assert "EnvironmentFile=/etc/open-operations-room/keeper.env" in unit
    doc = root / "usr/share/doc/open-operations-room"
    example = keeper_env.keeper_env(doc / "keeper.env.example", environ={})
    assert example.data_dir == "/var/lib/oor-keeper"
    assert (doc / "deployment.md").is_file()  # the unit's Documentation=

    # Run what was installed (the scratch root's interpreter finds its own site-packages),
    # with no network proxy and no source tree on the path.
    python = root / PREFIX / "bin/python"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    version = subprocess.run(
        [str(python), str(root / PREFIX / "bin/oor"), "--version"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"oor {__version__}"
    # Qt, the web engine the charts need, and the app's window code all load offscreen.
    window = subprocess.run(
        [
            str(python), "-c",
            "from PySide6.QtWidgets import QApplication; import app.ui.shell.main_window; "
            "from PySide6 import QtWebEngineWidgets; "
            "qt = QApplication([]); print('window code loaded')",
        ],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert window.returncode == 0, window.stderr
    assert "window code loaded" in window.stdout
    # The installed keeper reads the shipped example, and refuses its placeholder URL.
    keeper = subprocess.run(
        [
            str(python), str(root / PREFIX / "bin/oor"), "keeper", "mark", "!s:ministry.example",
            "--env-file", str(doc / "keeper.env.example"), "--data-dir", str(tmp_path / "k"),
        ],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert keeper.returncode == 2, keeper.stderr
    assert "OOR_KEEPER_DB" in keeper.stderr and "still the placeholder" in keeper.stderr
    assert "Traceback" not in keeper.stderr
