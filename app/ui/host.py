"""What a feature's controller may use of the main window, and nothing more.

Controllers used to receive the whole ``MainWindow`` and reach into it
(``window.workspace.participants.table.currentIndex()``), which tied every feature to the
window's insides and made the window and its controllers import each other. A ``Shell``
is built by the window before any controller and handed to each: the bridge, the
workspace to add pages to, a parent for dialogs, the signed-in user, the status bar,
menus, toolbars and the shared problem display.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QToolBar, QWidget

from app.services.notices import Problem
from app.ui.bridge import Bridge
from app.ui.shell.workspace_view import WorkspaceView


class Shell:
    """The window's services to features: built once, before the first controller."""

    def __init__(
        self,
        window: QMainWindow,
        bridge: Bridge,
        workspace: WorkspaceView,
        user_id: Callable[[], str],
        show_problem: Callable[[Problem], None],
    ) -> None:
        self._window = window
        self.bridge = bridge
        self.workspace = workspace
        self._user_id = user_id
        self._show_problem = show_problem

    @property
    def parent(self) -> QWidget:
        """The parent of a feature's dialogs, message boxes and QObjects."""
        return self._window

    @property
    def title(self) -> str:
        return self._window.windowTitle()

    def user_id(self) -> str:
        """The signed-in user, or "" while signed out."""
        return self._user_id()

    def say(self, text: str, timeout_ms: int = 10_000) -> None:
        """A line in the status bar."""
        self._window.statusBar().showMessage(text, timeout_ms)

    def problem(self, notice: Problem) -> None:
        """Show a problem the way the backend's are shown (status bar, kept for the run)."""
        self._show_problem(notice)

    def alert(self) -> None:
        """Ask the desktop for attention (taskbar flash) when the window is not active."""
        QApplication.alert(self._window)

    def add_menu(self, title: str) -> QMenu:
        return self._window.menuBar().addMenu(title)

    def add_toolbar(self, bar: QToolBar) -> None:
        self._window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
