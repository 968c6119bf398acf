"""A restart shows the archive's rooms before the server has confirmed the stored login.

Why: the app is reopened in a hurry; the rooms the user had are on disk, so the list
must not wait for nio to load and the server to answer (see app.services.preview).
"""

from __future__ import annotations

from pathlib import Path

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS, room_names, sign_in_with_a_room, start_window
from tests.peers import WAIT_SECONDS, raw_nio_client


def test_a_restart_lists_the_archived_rooms_before_the_login_is_confirmed(
    qtbot, tmp_path: Path, homeserver: EmbeddedHomeserver, make_account
) -> None:
    data = DataDir(tmp_path / "gui")
    first = start_window(data)
    sign_in_with_a_room(qtbot, first, homeserver, make_account("resume"), "Flood cell")
    dispose_widget(first)  # the ordered shutdown; the login stays stored

    listed_at_login: list[list[str]] = []
    again = start_window(data, at_login=lambda _n: listed_at_login.append(room_names(again)))
    qtbot.waitUntil(lambda: bool(listed_at_login), timeout=WAIT_MS)
    assert listed_at_login == [["Flood cell"]]  # already on screen when the server answered
    assert again.pages.currentWidget() is again.workspace
    # The room opened from that early list loads once the login is back, without a refusal.
    qtbot.waitUntil(lambda: again.workspace.timeline.room_id != "", timeout=WAIT_MS)
    assert room_names(again) == ["Flood cell"]
    assert not [p for p in again.problems if p.what == "not_signed_in"]
    dispose_widget(again)


def test_a_restart_shows_the_room_it_opens_before_the_login_is_confirmed(
    qtbot, tmp_path: Path, homeserver: EmbeddedHomeserver, make_account
) -> None:
    """The preview reads ahead the very room the window opens, even when the newest
    activity is a space's (a space holds state only: the window opens a room)."""
    account = make_account("resume-space")
    data = DataDir(tmp_path / "gui")
    first = start_window(data)
    sign_in_with_a_room(qtbot, first, homeserver, account, "Flood cell")
    first.bridge.send_text(first.workspace.rooms.room(0).room_id, "water rising")
    qtbot.waitUntil(lambda: "water rising" in timeline_texts(first), timeout=WAIT_MS)

    async def a_space_made_elsewhere() -> None:  # the same account on a plain client
        raw = await raw_nio_client(homeserver, account.user_id, account.password, tmp_path / "r")
        await raw.room_create(space=True, name="Plans")
        await raw.close()

    first.bridge.runtime.submit(a_space_made_elsewhere()).result(WAIT_SECONDS)  # nio's thread
    qtbot.waitUntil(lambda: sorted(room_names(first)) == ["Flood cell", "Plans"], timeout=WAIT_MS)
    dispose_widget(first)

    shown_at_login: list[list[str]] = []
    again = start_window(data, at_login=lambda _n: shown_at_login.append(timeline_texts(again)))
    qtbot.waitUntil(lambda: bool(shown_at_login), timeout=WAIT_MS)
    assert "water rising" in shown_at_login[0]  # read ahead: the room the window opened
    dispose_widget(again)


def timeline_texts(window: MainWindow) -> list[str]:
    model = window.workspace.timeline
    return [model.row(row).text for row in range(model.rowCount())]
