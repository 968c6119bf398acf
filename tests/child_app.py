"""Run a short script of the app's start in a new interpreter, as a user's start would be:
nothing the test process already imported is loaded there, so what a start imports, and
in which order it paints, can be asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_child(script: str, root: Path, **env: str) -> dict:
    """Run ``script`` with the data dir ``root`` as its argument (offscreen unless the
    caller's environment says otherwise, plus ``env``); its last line, as JSON."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO), **env)
    full_env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the exit code is asserted with the child's stderr
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_window(*, limit_ms: int) -> str:
    """Script lines that show ``window``, start its backend and run ``app`` until the
    script quits it or ``limit_ms`` passes, then shut the backend down in order (a child
    left running would hold the data dir and the test's timeout, not a clear failure)."""
    return f"""window.show()
window.bridge.start()
QTimer.singleShot({limit_ms}, app.quit)
try:
    app.exec()
finally:
    window.bridge.shutdown()
"""
