"""`oor demo`'s path in the window: its own embedded homeserver, a scenario started at
sign-in, and the facilitator's exercise bar (clock, pause, next inject, notes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.at_rest import file_key
from app.core.exercise import ClockState, parse_scenario
from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.store import JsonDocument
from app.store.archive_keys import KEY_FILE
from app.ui.bridge import Bridge
from app.ui.exercise.bar import NotesDialog
from app.ui.shell.app import start_when_signed_in
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS

DRILL = """\
title: Drill · تمرين
kind: evacuation
capital_tz: Africa/Cairo
delegations: [{id: geneva, name: Geneva talks, tz: Europe/Zurich}]
cast:
  - {handle: amal, role: official}
  - {handle: omar, role: delegate, delegation: geneva}
injects:
  - {at: 0, by: amal, do: instruction, id: hold, to: [geneva], priority: flash, subject: Hold}
  - {at: "30:00", by: omar, do: ack, instruction: hold, state: acknowledged}
"""


def plain(text: str) -> str:
    """Without the bidi isolates the interface puts around every value."""
    return "".join(ch for ch in text if ch not in "\u2066\u2067\u2068\u2069")


@pytest.fixture
def demo_window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    """The app as `oor demo` opens it; closing it stops the cast and its homeserver."""
    window = MainWindow(Bridge(DataDir(tmp_path / "demo"), embedded=True))
    window.show()
    start_when_signed_in(window.bridge, parse_scenario(DRILL), 1.0)
    window.bridge.start()
    yield window
    dispose_widget(window)
    assert not EmbeddedHomeserver(tmp_path / "demo" / "homeserver").running_elsewhere()


def test_the_facilitator_pauses_jumps_and_notes_an_exercise(
    qtbot, demo_window, tmp_path: Path
) -> None:
    bar = demo_window.exercise_bar
    qtbot.waitUntil(lambda: bar.progress is not None and bar.progress.done == 1, timeout=WAIT_MS)
    assert bar.isVisible()
    assert bar.progress.next_at == 1800 and "1 of 2 injects" in plain(bar.counts.text())
    assert plain(bar.clock.text()).startswith("Exercise clock T+0:00:")

    qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.progress.state is ClockState.PAUSED, timeout=WAIT_MS)
    assert bar.pause_button.text() == "&Resume"
    qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)  # the clock jumps to 30:00
    qtbot.waitUntil(lambda: bar.exercise_seconds() >= 1800, timeout=WAIT_MS)
    assert bar.progress.done == 1  # paused: nothing plays until resumed
    # The evaluator writes a note through the bar's own window, as a person would.
    qtbot.mouseClick(bar.notes_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: demo_window.findChild(NotesDialog) is not None, timeout=WAIT_MS)
    dialog = demo_window.findChild(NotesDialog)
    dialog.text.setPlainText("Delegation acked within a minute of resuming.")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.notes is not None, timeout=WAIT_MS)
    (note,) = bar.notes.notes
    assert note.exercise_seconds >= 1800 and note.text.startswith("Delegation acked")
    notes = tmp_path / "demo" / "exercise" / "notes.json"
    assert b"Delegation acked" not in notes.read_bytes()  # sealed: noise on a lost laptop
    key_file = next((tmp_path / "demo" / "accounts").glob(f"*/{KEY_FILE}"))
    kept = JsonDocument(notes, file_key(bytes.fromhex(key_file.read_text("ascii")))).load()
    assert [n["text"] for n in kept["notes"]] == [note.text]  # on disk, not only on screen

    qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.progress.state is ClockState.FINISHED, timeout=WAIT_MS)
    assert "2 of 2 injects" in plain(bar.counts.text())
    page = demo_window.instructions.page
    rooms = demo_window.workspace.rooms

    def geneva() -> int:  # by the name shown (the server's room name is neutral)
        names = [rooms.index(r).data() for r in range(rooms.rowCount())]
        return next((r for r, name in enumerate(names) if "Geneva" in name), -1)

    qtbot.waitUntil(lambda: geneva() >= 0, timeout=WAIT_MS)
    demo_window.workspace.room_list.setCurrentIndex(rooms.index(geneva()))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.model.row(0).stage.value == "acknowledged", timeout=WAIT_MS)
    assert page.exercise.isVisibleTo(page)  # the session is marked EXERCISE on this page too
