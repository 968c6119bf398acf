"""Start the desktop app: Qt application, language, bridge, main window."""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.core.paths import DataDir
from app.services import notices
from app.ui.bridge import Bridge
from app.ui.i18n import choose_digits, choose_language, install_language
from app.ui.shell.main_window import MainWindow
from app.ui.theme import follow_system_scheme

if TYPE_CHECKING:
    from app.core.exercise import Scenario  # loads only when an exercise is played


def run_gui(
    data: DataDir,
    embedded: bool,
    *,
    language: str | None = None,
    demo: Scenario | None = None,
    digits: str | None = None,
    speed: float = 1.0,
) -> int:
    """Open the window at once; the backend starts (and the homeserver, if embedded) behind it.

    With ``demo``, the scenario starts as soon as the user is signed in (`oor demo`)."""
    prepare_web_engine()
    serial_fills()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Open Operations Room")
    app.setOrganizationName("openopsroom")
    chosen = choose_language(language)
    translators = install_language(app, chosen, choose_digits(digits, chosen))
    follow_system_scheme(app)
    bridge = Bridge(data, embedded=embedded)
    window = MainWindow(bridge)
    window.show()
    if demo is not None:
        start_when_signed_in(bridge, demo, speed)
    bridge.start()
    stop_on_signals(app)
    try:
        return app.exec()
    finally:
        bridge.shutdown()
        del translators


def start_when_signed_in(bridge: Bridge, scenario: Scenario, speed: float) -> None:
    """Start the exercise once, at the first sign-in of this run."""

    started: list[bool] = []

    def start(_notice: object) -> None:
        if not started:
            started.append(True)
            bridge.start_exercise(scenario, speed)

    bridge.on(notices.LoggedIn, start)


def prepare_web_engine() -> None:
    """Before the QApplication: the dashboard's Chromium shares GL contexts with Qt, and
    runs without its sandbox as root (Chromium refuses to start otherwise)."""
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def serial_fills() -> None:
    """Keep Qt's raster fills on the UI thread (set before the first large paint: Qt
    reads the variable once, when its pool is first wanted, and only asks whether it is
    set, so there is no value that turns the pool back on).

    Qt hands every fill taller than ~96 pixel rows to a thread pool and waits for it,
    however narrow: a new message repaints the timeline's scroll bar (a full-height
    groove a few pixels wide), which took three such hand-offs per message, each a
    wake-up of a pool thread and a wait for it; on two busy cores those waits were
    about half the UI thread's time from a message's notice to its row on screen
    (docs/performance.md, session 10). The cost: a large image scaled for a preview
    (decoded on the UI thread anyway) is scaled on one core."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def stop_on_signals(app: QApplication) -> QTimer:
    """Quit cleanly on Ctrl-C or SIGTERM, so the embedded homeserver is stopped too.

    Python runs signal handlers only between bytecodes; the idle timer gives it a chance
    while Qt's event loop sits in C++.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    ticker = QTimer(app)
    ticker.start(250)
    ticker.timeout.connect(lambda: None)
    return ticker
