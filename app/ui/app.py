"""Start the desktop app: Qt application, language, bridge, main window."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.core.paths import DataDir
from app.ui.bridge import Bridge
from app.ui.i18n import choose_language, install_language
from app.ui.main_window import MainWindow


def run_gui(data: DataDir, embedded: bool, language: str | None = None) -> int:
    """Open the window at once; the backend starts (and the homeserver, if embedded) behind it."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Open Operations Room")
    app.setOrganizationName("openopsroom")
    translators = install_language(app, choose_language(language))
    bridge = Bridge(data, embedded=embedded)
    window = MainWindow(bridge)
    window.show()
    bridge.start()
    stop_on_signals(app)
    try:
        return app.exec()
    finally:
        bridge.shutdown()
        del translators


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
