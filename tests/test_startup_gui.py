"""A restart as `oor` runs it (``run_gui``), in a fresh interpreter of its own.

Why a subprocess: what a start-up imports, and in which order it hears the backend, is a
property of a new process. ``run_gui`` starts the backend thread before it builds the
window (the archive is read meanwhile), so this checks that no notice of that early
start is lost, that QtWebEngine (large libraries, its own processes) is loaded only
when the user first opens the Charts tab, not to paint the window, and that the exercise
host and runner, and the scenario format, are not loaded for an account that runs no
exercise (nor PyYAML, which only an embedded server's config and scenario files need, nor
the PostgreSQL driver nio's key store would have loaded for nothing, nor SQLAlchemy's
PostgreSQL dialect, cffi's C parser or plotly: each is memory held for good, and only
the keeper, a cipher's other backend, or a chart's export or first page needs it).
"""

from __future__ import annotations

from pathlib import Path

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from tests.child_app import run_child
from tests.conftest import dispose_widget
from tests.fixtures_gui import sign_in_with_a_room, start_window

# Runs the real run_gui; a zero timer queued before it hooks into the window it builds.
RESTART = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.core.paths import DataDir
from app.services import notices
from app.ui.shell.app import run_gui
from app.ui.shell.main_window import MainWindow

ENGINE = ("PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets")
UNUSED = ("app.services.exercise", "app.core.exercise.scenario", "yaml", "psycopg2")
UNUSED += ("sqlalchemy.dialects.postgresql", "pycparser", "plotly")
seen = {}
app = QApplication(sys.argv[:1])

def engine_loaded():
    return [m for m in ENGINE if m in sys.modules]

def attach():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    rooms = window.workspace.rooms

    def logged_in(_notice):
        seen["listed_at_login"] = [rooms.room(r).name for r in range(rooms.rowCount())]
        seen["engine_at_login"] = engine_loaded()
        seen["unused_at_login"] = [m for m in UNUSED if m in sys.modules]
        window.host.show_page(window.charts.page)  # the user opens the Charts tab
        seen["engine_after_charts_shown"] = engine_loaded()
        app.quit()

    window.bridge.on(notices.LoggedIn, logged_in)

QTimer.singleShot(0, attach)
QTimer.singleShot(60_000, app.quit)
run_gui(DataDir(Path(sys.argv[1])), embedded=False)
print(json.dumps(seen))
"""


def test_a_restart_lists_the_archive_and_loads_charts_and_exercises_only_when_used(
    qtbot, tmp_path: Path, homeserver: EmbeddedHomeserver, make_account
) -> None:
    data = DataDir(tmp_path / "gui")
    first = start_window(data)
    sign_in_with_a_room(qtbot, first, homeserver, make_account("restart"), "Evacuation cell")
    dispose_widget(first)  # ordered shutdown; the login stays stored

    seen = run_child(RESTART, data.root, QT_QPA_PLATFORM="offscreen")
    assert seen["listed_at_login"] == ["Evacuation cell"]  # the early notices all arrived
    assert seen["engine_at_login"] == []
    assert seen["unused_at_login"] == []  # signed in and syncing, no exercise started
    assert seen["engine_after_charts_shown"] == [
        "PySide6.QtWebEngineCore",
        "PySide6.QtWebEngineWidgets",
    ]
