"""Start the desktop app: Qt application, language, bridge, main window."""

from __future__ import annotations

import sys

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
    try:
        return app.exec()
    finally:
        bridge.shutdown()
        del translators
