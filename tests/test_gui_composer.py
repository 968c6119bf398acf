"""The composer as a person uses it: what is typed stays with its room, and your own new
post comes into view wherever you were reading."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS, select_room, sign_in, start_window
from tests.fixtures_homeserver import MakeAccount


def _texts(window: MainWindow) -> list[str]:
    model = window.workspace.timeline
    return [model.row(i).text for i in range(model.rowCount())]


def test_a_half_typed_message_stays_in_its_own_room(
    qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    sign_in(qtbot, window, homeserver, make_account("drafter"))
    window.bridge.create_room("Operations")
    window.bridge.create_room("Outreach")
    composer = window.workspace.composer

    operations = select_room(qtbot, window, "Operations")
    qtbot.keyClicks(composer, "Evacuation numbers for the minister only")
    outreach = select_room(qtbot, window, "Outreach")
    assert composer.text() == ""  # nothing typed for officials is ready to go to influencers
    qtbot.keyClicks(composer, "Public line: stay indoors")
    select_room(qtbot, window, "Operations")
    assert composer.text() == "Evacuation numbers for the minister only"
    assert window.workspace.drafts[outreach] == "Public line: stay indoors"

    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: "Evacuation numbers for the minister only" in _texts(window), timeout=WAIT_MS
    )
    assert composer.text() == ""
    select_room(qtbot, window, "Outreach")
    assert composer.text() == "Public line: stay indoors"  # the other draft is untouched
    qtbot.waitUntil(lambda: window.workspace.current_room == outreach, timeout=WAIT_MS)
    assert outreach != operations
    assert "Evacuation numbers for the minister only" not in _texts(window)


def test_your_own_new_post_is_scrolled_into_view(
    qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    window.resize(700, 420)
    sign_in(qtbot, window, homeserver, make_account("reader"))
    window.bridge.create_room("Log")
    room_id = select_room(qtbot, window, "Log")
    for n in range(40):
        window.bridge.send_text(room_id, f"line {n}")
    view = window.workspace.timeline_view
    qtbot.waitUntil(lambda: "line 39" in _texts(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0, timeout=WAIT_MS)
    view.verticalScrollBar().setValue(0)  # reading the start of the room

    qtbot.keyClicks(window.workspace.composer, "My own new post")
    qtbot.keyClick(window.workspace.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "My own new post" in _texts(window), timeout=WAIT_MS)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0, timeout=WAIT_MS)


def test_reply_and_edit_happen_in_the_composer_and_esc_cancels(
    qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    sign_in(qtbot, window, homeserver, make_account("karim"))
    window.bridge.create_room("Operations")
    select_room(qtbot, window, "Operations")
    composer, view = window.workspace.composer, window.workspace.timeline_view
    model = window.workspace.timeline
    qtbot.keyClicks(composer, "Convoy left at 14:05")
    qtbot.keyClick(composer, Qt.Key.Key_Return)

    def row_of(text: str) -> int:
        return next((i for i in range(model.rowCount()) if model.row(i).text == text), -1)

    qtbot.waitUntil(
        lambda: (
            row_of("Convoy left at 14:05") >= 0
            and model.row(row_of("Convoy left at 14:05")).event is not None
        ),
        timeout=WAIT_MS,
    )
    context = window.workspace.compose_context

    # Ctrl+R on the message: the answered words above the box; Esc goes back.
    view.setCurrentIndex(model.index(row_of("Convoy left at 14:05")))
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert context.isVisible() and "Convoy left at 14:05" in context.label.text()
    assert composer.hasFocus()
    qtbot.keyClick(composer, Qt.Key.Key_Escape)
    assert not context.isVisible()

    view.setCurrentIndex(model.index(row_of("Convoy left at 14:05")))
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(composer, "How many buses?")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            row_of("How many buses?") >= 0
            and "Convoy left" in model.row(row_of("How many buses?")).context
        ),
        timeout=WAIT_MS,
    )
    assert not context.isVisible()

    # F2 on our own message: its text in the box, Enter sends the correction.
    view.setCurrentIndex(model.index(row_of("Convoy left at 14:05")))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert composer.text() == "Convoy left at 14:05" and "Editing" in context.label.text()
    composer.setText("Convoy left at 14:15")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: model.row(row_of("Convoy left at 14:05")).edited == "Convoy left at 14:15",
        timeout=WAIT_MS,
    )

    # Ctrl+P pins it: the bar above the timeline names it and brings it into view.
    pinned = window.timeline_controller.pinned
    view.setCurrentIndex(model.index(row_of("Convoy left at 14:05")))
    qtbot.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(pinned.isVisible, timeout=WAIT_MS)
    assert "1" in pinned.label.text() and "Convoy left at 14:15" in pinned.label.text()
    view.setCurrentIndex(model.index(row_of("How many buses?")))
    qtbot.mouseClick(pinned.show_button, Qt.MouseButton.LeftButton)
    assert view.currentIndex().row() == row_of("Convoy left at 14:05")


def test_drafts_are_kept_across_a_restart(
    qtbot, tmp_path: Path, homeserver: EmbeddedHomeserver, make_account: MakeAccount
) -> None:
    """Closing the app with a half-typed message and opening it again: it is still there,
    in its own room, not lost and not sent."""
    data = DataDir(tmp_path / "restarted")
    first = start_window(data)
    try:
        sign_in(qtbot, first, homeserver, make_account("keeper"))
        first.bridge.create_room("Operations")
        room_id = select_room(qtbot, first, "Operations")
        qtbot.keyClicks(first.workspace.composer, "Half-typed line to the minister")
    finally:
        dispose_widget(first)  # the ordered shutdown, as closing the window
    kept = data.root / "accounts"
    assert any(p.name == "composer.json" for p in kept.rglob("*")), "no drafts file written"

    again = start_window(data)
    try:
        qtbot.waitUntil(lambda: again.pages.currentWidget() is again.workspace, timeout=WAIT_MS)
        select_room(qtbot, again, "Operations")
        qtbot.waitUntil(
            lambda: again.workspace.composer.text() == "Half-typed line to the minister",
            timeout=WAIT_MS,
        )
        assert again.workspace.current_room in ("", room_id)
    finally:
        dispose_widget(again)
