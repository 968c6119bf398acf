"""A lost connection is seen at once, with what waits to go out, and goes away by itself
when the homeserver is back and the waiting messages have left."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.ui.shell.main_window import MainWindow
from app.ui.timeline.rows import RowKind
from tests.conftest import answer_quit_warning, dispose_widget
from tests.fixtures_gui import WAIT_MS, sign_in, start_window


@contextmanager
def own_server_and_room(qtbot, window: MainWindow, tmp_path: Path) -> Iterator[EmbeddedHomeserver]:
    """A homeserver of the test's own (so it can be stopped), the window signed in on it
    with one room open; the server is stopped at the end whatever happened."""
    server = EmbeddedHomeserver(tmp_path / "own-homeserver")
    server.start()
    try:
        sign_in(qtbot, window, server, server.create_account("delegate"))
        window.bridge.create_room("Geneva cell")
        rooms = window.workspace.rooms
        qtbot.waitUntil(lambda: rooms.rowCount() == 1, timeout=WAIT_MS)
        window.workspace.room_list.setCurrentIndex(rooms.index(0))
        yield server
    finally:
        server.stop()


def test_connection_lost_bar_counts_what_waits_and_clears_on_reconnect(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    with own_server_and_room(qtbot, window, tmp_path) as server:
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


def test_quitting_with_messages_waiting_warns_and_loses_nothing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    with own_server_and_room(qtbot, window, tmp_path) as server:
        server.stop()
        bar = window.workspace.connection_bar
        qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
        composer = window.workspace.composer
        lines = ("line one", "line two", "line three")
        for text in lines:
            qtbot.keyClicks(composer, text)
            qtbot.keyClick(composer, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bar.waiting == 3, timeout=WAIT_MS)

        said: list[str] = []

        def answer(leave: bool) -> None:
            box = QApplication.activeModalWidget()
            said.append(box.text() if isinstance(box, QMessageBox) else "")
            assert answer_quit_warning(leave)

        QTimer.singleShot(0, lambda: answer(False))
        window.close()
        assert said == [
            "3 messages are still waiting to send. They will be sent next time you open the app."
        ]
        assert window.isVisible() and bar.waiting == 3  # Stay: nothing closed

        QTimer.singleShot(0, lambda: answer(True))
        window.close()
        assert len(said) == 2 and not window.isVisible()

        server.start()  # the next start sends them, once each
        again = start_window(DataDir(window.bridge.data_root))
        try:
            qtbot.waitUntil(lambda: again.pages.currentWidget() is again.workspace, timeout=WAIT_MS)
            again.workspace.room_list.setCurrentIndex(again.workspace.rooms.index(0))
            timeline = again.workspace.timeline

            def delivered() -> list[str]:
                rows = [timeline.row(i) for i in range(timeline.rowCount())]
                return [r.text for r in rows if r.kind is RowKind.MESSAGE]

            qtbot.waitUntil(lambda: delivered() == list(lines), timeout=WAIT_MS)
        finally:
            dispose_widget(again)
