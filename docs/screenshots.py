"""Render the app's main screens to docs/img/, in English and Arabic, from real data.

Starts an embedded homeserver in a temp dir, signs a window in, convenes a session with
a second account that joins and posts, and grabs the window. Run: `make screenshots`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "img"
MESSAGES = (
    "Convoy of 40 citizens reached the border crossing at 14:05.",
    "تم تأكيد رحلة الإجلاء الثانية الساعة 18:00 بتوقيت العاصمة.",
    "Delegation B requests instructions on the corridor proposal.",
)


def _wait(app: Any, check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.02)


def _texts(window: Any) -> list[str]:
    """Every row's text, those inside a folded run of room changes included."""
    model = window.workspace.timeline
    rows = [model.row(i) for i in range(model.rowCount())]
    return [inner.text for row in rows for inner in (row.folded or (row,))]


def _shown_row(app: Any, rooms: Any, word: str) -> int:
    """The room list row whose shown name has ``word`` (names come from encrypted details,
    so they may take a moment after the room itself)."""
    _wait(app, lambda: any(word in str(rooms.index(r).data()) for r in range(rooms.rowCount())))
    return next(r for r in range(rooms.rowCount()) if word in str(rooms.index(r).data()))


def _login_screen(app: Any, window: Any, server: Any, user: Any, language: str) -> None:
    _wait(app, lambda: window.pages.currentWidget() is not window.starting)
    window.bridge.login(server.url, user.user_id, "wrong password")
    _wait(app, lambda: bool(window.login.error.text()))
    window.grab().save(str(OUT / f"login-{language}.png"))


def _session_screen(
    app: Any, window: Any, server: Any, people: dict, *, tmp: Path, lang: str
) -> None:
    from PySide6.QtCore import Qt

    from app.core.paths import DataDir
    from app.core.roles import Role
    from app.core.session import Blueprint, Delegation, Participant
    from app.services.backend import Backend

    bridge, runtime = window.bridge, window.bridge.runtime
    bridge.login(server.url, people["alice"].user_id, people["alice"].password)
    _wait(app, lambda: window.pages.currentWidget() is window.workspace)
    heard: list[Any] = []
    bob = Backend(DataDir(tmp / "bob"), heard.append)
    runtime.submit(bob.login(server.url, people["bob"].user_id, people["bob"].password)).result(60)
    bridge.convene(
        Blueprint(
            "Port Sable · بورت سابل",
            "evacuation",
            "Africa/Cairo",
            "RESTRICTED",
            exercise=True,
            delegations=(Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),),
            participants=(
                Participant(
                    people["bob"].user_id,
                    Role.DELEGATE,
                    "geneva",
                    "Head of delegation",
                    name="Omar Khalil",
                ),
                Participant(
                    people["amal"].user_id, Role.OFFICIAL, title="Crisis Unit", name="Amal Mansour"
                ),
            ),
        )
    )
    rooms = window.workspace.rooms
    _wait(app, lambda: rooms.rowCount() >= 5)
    space = next(r.room_id for r in map(rooms.room, range(rooms.rowCount())) if r.is_space)
    _wait(app, lambda: any(getattr(n, "invitations", None) for n in list(heard)))
    runtime.submit(bob.join_session(space)).result(60)
    geneva = _shown_row(app, rooms, "Geneva")
    window.workspace.room_list.setCurrentIndex(rooms.index(geneva))
    room = rooms.room(geneva).room_id
    _wait(app, lambda: any(("bob" in t and "joined" in t) or "انضم" in t for t in _texts(window)))
    assert bob.account is not None
    for text in MESSAGES:
        runtime.submit(bob.account.send_text(room, text)).result(60)
    window.workspace.composer.setText("Received — إحاطة خلال ١٠ دقائق")
    window.workspace._send()
    _wait(app, lambda: all(m in _texts(window) for m in MESSAGES))
    _wait(
        app,
        lambda: (
            window.workspace.timeline.row(window.workspace.timeline.rowCount() - 1).kind.value
            == "message"
        ),
    )
    window.resize(1200, 680)
    app.processEvents()
    window.grab().save(str(OUT / f"workspace-{lang}.png"))
    if lang == "en":  # the same screen as a system in dark mode shows it
        from app.ui.theme import apply_scheme

        apply_scheme(app, Qt.ColorScheme.Dark)
        app.processEvents()
        window.grab().save(str(OUT / "workspace-dark-en.png"))
        apply_scheme(app, Qt.ColorScheme.Light)
        app.processEvents()
    _instructions_screen(app, window, bob, space, lang)
    runtime.submit(bob.shutdown()).result(60)


def _instructions_screen(app: Any, window: Any, bob: Any, space: str, lang: str) -> None:
    """The facilitator's status board: one instruction acknowledged, one still open."""
    from app.core.instructions import Draft, Stage
    from app.services.instructions import Instructions

    runtime, page = window.bridge.runtime, window.instructions.page
    window.workspace.pages.setCurrentWidget(page)
    soon = int(time.time() * 1000) + 45 * 60_000
    window.bridge.issue_instruction(
        space,
        Draft(
            "Hold the corridor line · تمسكوا بخط الممر",
            "Do not concede the northern checkpoint.\nلا تتنازلوا عن نقطة التفتيش الشمالية.",
            "flash",
            action=("geneva",),
            deadline=soon,
            classification="RESTRICTED",
        ),
    )
    window.bridge.issue_instruction(
        space, Draft("Report the mediator's position", "By 18:00.", "routine", action=("geneva",))
    )
    _wait(app, lambda: page.model.rowCount() == 2)
    _wait(app, lambda: all(page.model.row(r).stage is Stage.RECEIVED for r in range(2)))
    assert bob.account is not None
    feature = bob.account.feature(Instructions)
    flash = next(r for r in feature.feed(space).rows if r.instruction.priority == "flash")
    runtime.submit(feature.acknowledge(flash.instruction.event_id, "acknowledged")).result(60)
    _wait(app, lambda: any(page.model.row(r).stage is Stage.ACKNOWLEDGED for r in range(2)))
    page.select(0)
    app.processEvents()
    window.grab().save(str(OUT / f"instructions-{lang}.png"))
    # The session overview: world clocks, instructions by delegation, who has joined.
    window.workspace.pages.setCurrentWidget(window.overview)
    _wait(app, lambda: window.overview.board is not None)
    app.processEvents()
    window.grab().save(str(OUT / f"overview-{lang}.png"))


def _convene_dialog(app: Any, window: Any, language: str) -> None:
    from app.core.roles import Role
    from app.ui.sessions.convene_dialog import ConveneDialog

    dialog = ConveneDialog(window.user_id, window)
    dialog.title.setText("Hostage case · قضية رهائن")
    dialog.add_delegation("oslo", "Oslo channel", "Oslo", "Europe/Oslo")
    dialog.add_participant("@omar:localhost", Role.DELEGATE, "oslo", "Negotiator", "Omar Khalil")
    dialog.add_participant("lina", Role.INFLUENCER)
    dialog.show()
    dialog._check()
    app.processEvents()
    dialog.grab().save(str(OUT / f"convene-{language}.png"))
    dialog.close()


def _demo_screen(app: Any, root: Path, language: str) -> None:
    """`oor demo` as a newcomer sees it: the built-in exercise running, a minute in."""
    from app.core.exercise import parse_scenario
    from app.core.paths import DataDir
    from app.scenarios import CORRIDOR
    from app.ui.bridge import Bridge
    from app.ui.shell.app import start_when_signed_in
    from app.ui.shell.main_window import MainWindow

    window = MainWindow(Bridge(DataDir(root / "demo"), embedded=True))
    window.resize(1200, 720)
    window.show()
    start_when_signed_in(window.bridge, parse_scenario(CORRIDOR.read_text("utf-8")), 8.0)
    window.bridge.start()
    bar = window.exercise_bar
    _wait(app, lambda: bar.progress is not None and bar.progress.done >= 12, seconds=180)
    rooms = window.workspace.rooms
    geneva = _shown_row(app, rooms, "الممر")
    window.workspace.room_list.setCurrentIndex(rooms.index(geneva))
    window.workspace.pages.setCurrentWidget(window.instructions.page)
    _wait(app, lambda: window.instructions.page.model.rowCount() > 0)
    app.processEvents()
    window.grab().save(str(OUT / f"demo-{language}.png"))
    # The overview of the running exercise: its latest figures and who is active.
    window.workspace.pages.setCurrentWidget(window.overview)
    _wait(app, lambda: window.overview.key_figures.count() > 3)
    app.processEvents()
    window.grab().save(str(OUT / f"overview-demo-{language}.png"))
    _dashboard_screen(app, window, language)
    window.close()


def _dashboard_screen(app: Any, window: Any, language: str) -> None:
    """The demo's operations room dashboard, with the values the cast has published."""
    from app.core.roles import RoomKind

    roster = window.workspace.roster_of_selected()  # the demo's delegation room is selected
    operations = roster.session.room(RoomKind.OPERATIONS)
    rooms = window.workspace.rooms
    window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(operations)))
    page = window.charts.page
    window.workspace.pages.setCurrentWidget(page)
    drawn: list[int] = []
    page.drawn.connect(drawn.append)
    _wait(app, lambda: len(page.charts) == 4 and bool(drawn))
    settle = time.monotonic() + 2.0  # Chromium paints after the script has run
    _wait(app, lambda: time.monotonic() > settle)
    window.grab().save(str(OUT / f"dashboard-{language}.png"))


def render(language: str) -> None:
    """One language per process: translators and layout direction are app-wide."""
    from PySide6.QtWidgets import QApplication

    from app.core.paths import DataDir
    from app.homeserver import EmbeddedHomeserver
    from app.ui.bridge import Bridge
    from app.ui.i18n import choose_digits, install_language
    from app.ui.shell.app import prepare_web_engine
    from app.ui.shell.main_window import MainWindow

    prepare_web_engine()  # the dashboard's Chromium: before the QApplication exists
    app = QApplication(sys.argv)
    keep = install_language(app, language, choose_digits(None, language))
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, EmbeddedHomeserver(Path(tmp) / "hs") as server:
        names = {"alice": "Nadia Saleh", "bob": "Omar Khalil", "amal": "Amal Mansour"}
        people = {u: server.create_account(u, display_name=n) for u, n in names.items()}
        window = MainWindow(Bridge(DataDir(Path(tmp) / "alice")))
        window.resize(1000, 640)
        window.show()
        window.bridge.start()
        _login_screen(app, window, server, people["alice"], language)
        _session_screen(app, window, server, people, tmp=Path(tmp), lang=language)
        _convene_dialog(app, window, language)
        window.close()
        _demo_screen(app, Path(tmp), language)
    del keep


if __name__ == "__main__":
    if len(sys.argv) > 1:
        render(sys.argv[1])
    else:
        env = {**os.environ, "OOR_CREDENTIALS": "file"}
        for lang in ("en", "ar"):
            subprocess.run([sys.executable, "-m", "docs.screenshots", lang], check=True, env=env)
        print(f"screenshots in {OUT}")
