"""The window opens at a sensible size for the screen, and the next start puts it back
where the user left it, panels included."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication

from app.core.paths import DataDir
from app.ui.bridge import Bridge
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget


def test_first_start_fits_the_screen_and_the_next_start_restores_the_window(
    qtbot, tmp_path: Path
) -> None:
    data = DataDir(tmp_path / "data")
    first = MainWindow(Bridge(data))
    free = QGuiApplication.primaryScreen().availableGeometry()
    assert first.width() <= free.width() and first.height() <= free.height()
    assert first.width() >= min(800, free.width() // 2)  # not a postage stamp either
    first.resize(700, 500)
    first.workspace.splitter.setSizes([250, 300, 150])
    wanted = first.workspace.splitter.sizes()
    dispose_widget(first)  # closing saves the place; the backend was never started

    again = MainWindow(Bridge(data))
    try:
        assert (again.width(), again.height()) == (700, 500)
        assert again.workspace.splitter.sizes() == wanted
    finally:
        dispose_widget(again)
