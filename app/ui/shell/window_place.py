"""Where the window stands: a sensible size for the screen on the first start, then the
size, position and panel widths the user left it with (kept in the data dir, so tests
and several data dirs never share them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

_FIRST_SHARE = 0.8  # of the screen's free area
_FIRST_MAX = (1440, 900)


class WindowPlace:
    def __init__(self, path: Path) -> None:
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow, splitter: QSplitter) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and window.restoreGeometry(geometry):
            sizes = self._settings.value("window/splitter")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
            return
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        width = min(_FIRST_MAX[0], int(free.width() * _FIRST_SHARE))
        height = min(_FIRST_MAX[1], int(free.height() * _FIRST_SHARE))
        window.resize(width, height)
        window.move(free.center().x() - width // 2, free.center().y() - height // 2)

    def save(self, window: QMainWindow, splitter: QSplitter) -> None:
        self._settings.setValue("window/geometry", window.saveGeometry())
        self._settings.setValue("window/splitter", splitter.saveState())
        self._settings.sync()
