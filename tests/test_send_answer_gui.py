"""A send refused for real shows "failed" where the message stands, and Enter on it
sends it again; the server's echo then makes it an ordinary message.

The window signs in through a hostile proxy in front of the real Synapse
(``tests.hostile_homeserver``) that refuses sends until told otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.homeserver import EmbeddedHomeserver
from app.ui.shell.main_window import MainWindow
from app.ui.timeline.rows import RowKind
from tests.fixtures_gui import WAIT_MS, select_room
from tests.hostile_homeserver import HostileHomeserver, hostile_homeserver
from tests.peers import WAIT_SECONDS

TEXT = "Convoy crosses at 14:05"


def _run(window: MainWindow, coro: Any) -> Any:
    """A coroutine on the window's backend loop, where the proxy runs too."""
    return window.bridge.runtime.submit(coro).result(WAIT_SECONDS)


@pytest.fixture
def proxied(
    qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, make_account
) -> Iterator[HostileHomeserver]:
    """The window signed in through the proxy, a room of its own open; signed out
    before the proxy stops (its sync would hold the proxy's shutdown)."""
    proxy_running = hostile_homeserver(homeserver.url)
    proxy = _run(window, proxy_running.__aenter__())
    try:
        account = make_account("sender")
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
        window.bridge.login(proxy.url, account.user_id, account.password)
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=WAIT_MS)
        window.bridge.create_room("Crisis cell")
        room = select_room(qtbot, window, "Crisis cell")
        qtbot.waitUntil(lambda: window.workspace.current_room == room, timeout=WAIT_MS)
        qtbot.waitUntil(window.workspace.composer.isEnabled, timeout=WAIT_MS)
        yield proxy
        window.bridge.logout()
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    finally:
        _run(window, proxy_running.__aexit__(None, None, None))


def _kinds(window: MainWindow, text: str) -> list[RowKind]:
    """The kinds of the timeline's rows that show ``text``."""
    model = window.workspace.timeline
    return [r.kind for r in map(model.row, range(model.rowCount())) if r.text == text]


def test_a_refused_send_shows_failed_and_enter_sends_it_again(
    qtbot, window: MainWindow, proxied: HostileHomeserver
) -> None:
    proxied.refuse_sends = True
    composer = window.workspace.composer
    composer.setText(TEXT)
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _kinds(window, TEXT) == [RowKind.FAILED], timeout=WAIT_MS)
    proxied.refuse_sends = False
    timeline, model = window.workspace.timeline_view, window.workspace.timeline
    row = next(i for i in range(model.rowCount()) if model.row(i).text == TEXT)
    timeline.setFocus()
    timeline.setCurrentIndex(model.index(row))
    qtbot.keyClick(timeline, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _kinds(window, TEXT) == [RowKind.MESSAGE], timeout=WAIT_MS)
