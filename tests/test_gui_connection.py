"""A lost connection is seen at once, with what waits to go out, and goes away by itself
when the homeserver is back and the waiting messages have left."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.homeserver import EmbeddedHomeserver
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, sign_in


def test_connection_lost_bar_counts_what_waits_and_clears_on_reconnect(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    server = EmbeddedHomeserver(tmp_path / "own-homeserver")
    server.start()
    try:
        sign_in(qtbot, window, server, server.create_account("delegate"))
        window.bridge.create_room("Geneva cell")
        rooms = window.workspace.rooms
        qtbot.waitUntil(lambda: rooms.rowCount() == 1, timeout=WAIT_MS)
        window.workspace.room_list.setCurrentIndex(rooms.index(0))
        bar = window.workspace.connection_bar
        assert not bar.isVisible()

        server.stop()
        qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
        composer = window.workspace.composer
        for text in ("first while offline", "second while offline"):
            qtbot.keyClicks(composer, text)
            qtbot.keyClick(composer, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bar.waiting == 2, timeout=WAIT_MS)
        assert "Connection lost — 2 messages waiting to send." in bar.label.text()

        server.start()
        qtbot.waitUntil(lambda: not bar.isVisible() and bar.waiting == 0, timeout=WAIT_MS)
    finally:
        server.stop()
