"""The Chromium view that shows the Charts page, in a module of its own.

Why apart from ``view``: importing QtWebEngine maps its large libraries into the process
(resident memory and start-up time), so it is imported only when the dashboard is first
shown; a window that never opens the dashboard never loads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class LocalPage(QWebEnginePage):
    """The dashboard page and nothing else: chart titles come from other clients, and a
    link in one must not take the view anywhere. What the page logs goes to our log."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.home = QUrl()

    def acceptNavigationRequest(
        self, url: QUrl | str, _kind: QWebEnginePage.NavigationType, _main_frame: bool
    ) -> bool:
        return QUrl(url) == self.home

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        _source: str,
    ) -> None:
        log.info("dashboard page (%s) line %d: %s", level.name, line, message)


class ChartCanvas(QWebEngineView):
    """The page of charts: loaded once, then driven only by script calls, in order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartCanvas")
        self._page = LocalPage(self)
        self.setPage(self._page)
        settings = self.page().settings()
        # The page and plotly.js are local files; the page reaches nothing else.
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False
        )
        self.page_path = ""
        self.ready = False
        self._waiting: list[tuple[str, Callable[[Any], None] | None]] = []
        self.loadFinished.connect(self._loaded)

    def open_page(self, path: str) -> None:
        """Load the page (once: a later call with the same file does nothing)."""
        if path and path != self.page_path:
            self.page_path, self.ready = path, False
            self._page.home = QUrl.fromLocalFile(path)
            self.load(self._page.home)

    def _loaded(self, ok: bool) -> None:
        self.ready = ok
        waiting, self._waiting = self._waiting, []
        for script, answer in waiting:
            self.run(script, answer)

    def run(self, script: str, answer: Callable[[Any], None] | None = None) -> None:
        """Run a script now if the page is up, else as soon as it is (in order)."""
        if not self.ready:
            self._waiting.append((script, answer))
        elif answer is None:
            self.page().runJavaScript(script)
        else:
            self.page().runJavaScript(script, 0, answer)
