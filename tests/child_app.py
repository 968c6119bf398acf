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


# Script lines that open the main window as ``oor`` builds it, on the data dir given as
# the script's argument: ``app`` and ``window``, and the names the scripts share.
OPEN_WINDOW = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from app.core.paths import DataDir
from app.services import notices
from app.ui.bridge import Bridge
from app.ui.shell.main_window import MainWindow

app = QApplication(sys.argv[:1])
window = MainWindow(Bridge(DataDir(Path(sys.argv[1]))))
"""

# Script lines that call the script's ``painted()`` once: when the room list is first
# painted with rows in it (what a user first sees of the list, not when its model filled).
FIRST_PAINT = """
class FirstPaint(QObject):
    done = False

    def eventFilter(self, obj, event):
        workspace = window.workspace
        if event.type() == QEvent.Type.Paint and obj is workspace.room_list.viewport():
            if workspace.rooms.rowCount() and not self.done:
                self.done = True
                painted()
        return False

first_paint = FirstPaint()
app.installEventFilter(first_paint)
"""


def window_child(*parts: str, hooks: dict[str, str], limit_ms: int, end: str = "") -> str:
    """A child script for :func:`run_child`: the window opened (:data:`OPEN_WINDOW`), then
    ``parts`` (which define the dict ``seen`` and the handlers), each notice class named in
    ``hooks`` wired to its handler, the window run (:func:`run_window`), ``end``, and
    ``seen`` printed as the JSON line the test reads."""
    wired = "".join(
        f"window.bridge.on(notices.{notice}, {handler})\n" for notice, handler in hooks.items()
    )
    return (
        OPEN_WINDOW
        + "".join(parts)
        + wired
        + run_window(limit_ms=limit_ms)
        + end
        + "print(json.dumps(seen))\n"
    )
