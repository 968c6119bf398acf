"""Session → Export record… in the desktop app: a folder chosen, the record written
beside its signed bundle, and the bundle proven whole."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.core.records_export import verify_bundle
from app.core.roles import Role
from app.core.session import Participant
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn, open_exercise_session


def test_session_menu_exports_the_record_into_the_chosen_folder(
    qtbot, window: MainWindow, *, peer, signed_in: SignIn, tmp_path: Path, monkeypatch
) -> None:
    official, _facilitator = signed_in("amal", "fac")
    open_exercise_session(qtbot, window, peer, Participant(official.user_id, Role.OFFICIAL))

    # The user picks a folder in the dialog the menu action opens.
    out = tmp_path / "record"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(out))
    session_menu = next(
        a.menu() for a in window.menuBar().actions() if a.menu() and a.text() == "&Session"
    )
    assert window.records.export_action in session_menu.actions()
    window.records.export_action.trigger()

    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert window.records.progress is None  # closed when the export answered
    names = {p.name for p in out.iterdir()}
    assert names == {"record.html", "events.jsonl", "chains.json", "manifest.json", "manifest.sig"}
    assert "Port Sable evacuation" in (out / "record.html").read_text(encoding="utf-8")
    assert verify_bundle(out).ok
