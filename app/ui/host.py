"""What a feature's controller may use of the main window, and nothing more.

Controllers used to receive the whole ``MainWindow`` and reach into it
(``window.workspace.participants.table.currentIndex()``), which tied every feature to the
window's insides and made the window and its controllers import each other. A ``Host``
is built by the window before any controller and handed to each: the bridge, a parent
for dialogs, the signed-in user, the status bar, menus and toolbars, pages beside the
timeline, the selected room's session, and the texts of the problems a feature owns.

It knows the workspace only through the small ``Workspace`` protocol below, so it sits
under the feature folders (``app.ui.shell`` builds it; features only receive it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from PySide6.QtCore import QObject, Qt, SignalInstance
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QTabWidget, QToolBar, QWidget

from app.core.session import Member, Roster
from app.services.notices import Problem, RosterChanged
from app.ui.bridge import Bridge


class Workspace(Protocol):
    """The part of the workspace features may use (``app.ui.shell.WorkspaceView``)."""

    roomOpened: SignalInstance  # room id
    pages: QTabWidget

    def add_page(self, page: QWidget, title: str) -> None: ...

    def open_room(self, room_id: str) -> bool: ...

    def roster_of_selected(self) -> Roster | None: ...

    def selected_member(self) -> Member | None: ...

    def names(self) -> dict[str, str]: ...


class Host:
    """The window's services to features: built once, before the first controller."""

    def __init__(
        self,
        window: QMainWindow,
        bridge: Bridge,
        workspace: Workspace,
        user_id: Callable[[], str],
        show_problem: Callable[[Problem], None],
    ) -> None:
        self._window = window
        self.bridge = bridge
        self._workspace = workspace
        self._user_id = user_id
        self._show_problem = show_problem
        self._texts: dict[str, str] = {}

    # -- the window ----------------------------------------------------------------------

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

    def alert(self) -> None:
        """Ask the desktop for attention (taskbar flash) when the window is not active."""
        QApplication.alert(self._window)

    def add_menu(self, title: str) -> QMenu:
        """The menu bar's menu of this title, made if it is not there yet: a feature adds
        its actions to a menu another feature made (Session → Export record…)."""
        for action in self._window.menuBar().actions():
            if action.menu() is not None and action.text() == title:
                return action.menu()
        return self._window.menuBar().addMenu(title)

    def add_toolbar(self, bar: QToolBar) -> None:
        self._window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def add_status_widget(self, widget: QWidget) -> None:
        """A lasting widget in the status bar (what needs attention, for instance)."""
        self._window.statusBar().addPermanentWidget(widget)

    # -- problems: each feature brings the texts of its own codes ------------------------

    def explain_problems(self, texts: Mapping[str, str]) -> None:
        """Register what this feature's Problem codes say to the user (translated)."""
        self._texts.update(texts)

    def explain(self, problem: Problem) -> str:
        """The user's sentence for a problem; unknown codes get a general one."""
        fallback = QApplication.translate("Host", "Something went wrong in the background.")
        return self._texts.get(problem.what, fallback)

    def problem(self, notice: Problem) -> None:
        """Show a problem the way the backend's are shown (status bar, kept for the run)."""
        self._show_problem(notice)

    # -- the workspace -------------------------------------------------------------------

    def add_page(self, page: QWidget, title: str) -> None:
        """A page beside the timeline (Instructions, Charts, Search…)."""
        self._workspace.add_page(page, title)

    def show_page(self, page: QWidget) -> None:
        self._workspace.pages.setCurrentWidget(page)

    def page_shown(self, page: QWidget) -> bool:
        return self._workspace.pages.currentWidget() is page

    def on_page_changed(self, callback: Callable[[int], None]) -> None:
        self._workspace.pages.currentChanged.connect(callback)

    def on_room_opened(self, callback: Callable[[], None]) -> None:
        self._workspace.roomOpened.connect(callback)

    def open_room(self, room_id: str) -> bool:
        """Select a room in the room list; False when it is not there."""
        return self._workspace.open_room(room_id)

    def roster_of_selected(self) -> Roster | None:
        """The session of the selected room, as its roster, if it belongs to one."""
        return self._workspace.roster_of_selected()

    def is_selected_session(self, roster: Roster) -> bool:
        """Whether a roster just announced (``RosterChanged``) is the selected room's
        session. A page that shows the selected session redraws for that one only: a
        start announces every session's roster (50 at a ministry's scale) while the user
        opens a room, and redrawing the same session 50 times held the room's paint
        back (docs/performance.md, session 9: the start's notices). Features are built
        after the window's own handlers, so the workspace has taken the roster in."""
        return self._workspace.roster_of_selected() is roster

    def follow_selected_session(self, owner: QObject, follow: Callable[[], None]) -> None:
        """Call ``follow`` when a room is opened and when the selected room's session's
        roster is announced, not another session's (``is_selected_session``); forgotten
        when ``owner`` (the feature's controller, or its page) is destroyed."""
        self.on_room_opened(follow)
        self.bridge.on(RosterChanged, _SelectedRoster(self, owner, follow).changed)

    def selected_member(self) -> Member | None:
        """The participant selected in the roster panel."""
        return self._workspace.selected_member()

    def names(self) -> dict[str, str]:
        """People's names by user id, for sentences that would otherwise show ids."""
        return self._workspace.names()


class _SelectedRoster(QObject):
    """A page's follower of the selected session's roster: a child of the page's
    controller, so the bridge forgets it with that controller (``Bridge.on``)."""

    def __init__(self, host: Host, owner: QObject, follow: Callable[[], None]) -> None:
        super().__init__(owner)
        self._host, self._follow = host, follow

    def changed(self, notice: RosterChanged) -> None:
        if self._host.is_selected_session(notice.roster):
            self._follow()
