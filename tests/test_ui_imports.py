"""The window's modules load none of the backend's heavy libraries: a restart builds and
paints the window while the backend thread loads them, and every one of them imported on
the UI thread first is time the user waits for the window (nio alone ~0.5 s of CPU)."""

from __future__ import annotations

from pathlib import Path

from tests.child_app import run_child

HEAVY = ("nio", "aiohttp", "sqlalchemy", "alembic", "keyring", "yaml", "plotly", "vodozemac")

SCRIPT = f"""
import json, sys
import app.ui.shell.main_window
print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
"""


def test_the_window_loads_no_backend_library(tmp_path: Path) -> None:
    assert run_child(SCRIPT, tmp_path) == []
