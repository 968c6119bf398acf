"""Render the app's main screens to docs/img/, in English and Arabic, from real data.

Starts an embedded homeserver in a temp dir, signs a window in, lets a second account
post a few messages, and grabs the window. Run: `make screenshots`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent / "img"


def _wait(app: object, check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)


def render(language: str) -> None:
    """One language per process: translators and layout direction are app-wide."""
    from PySide6.QtWidgets import QApplication

    from app.core.paths import DataDir
    from app.homeserver import EmbeddedHomeserver
    from app.services.backend import Backend
    from app.ui.bridge import Bridge
    from app.ui.i18n import install_language
    from app.ui.main_window import MainWindow

    app = QApplication(sys.argv)
    keep = install_language(app, language)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, EmbeddedHomeserver(Path(tmp) / "hs") as server:
        alice = server.create_account("alice")
        bob = server.create_account("bob")
        bridge = Bridge(DataDir(Path(tmp) / "alice"))
        window = MainWindow(bridge)
        window.resize(1000, 640)
        window.show()
        bridge.start()
        _wait(app, lambda: window.pages.currentWidget() is not window.starting)
        bridge.login(server.url, alice.user_id, "wrong password")
        _wait(app, lambda: bool(window.login.error.text()))
        window.grab().save(str(OUT / f"login-{language}.png"))

        bridge.login(server.url, alice.user_id, alice.password)
        _wait(app, lambda: window.pages.currentWidget() is window.workspace)
        peer = Backend(DataDir(Path(tmp) / "bob"), lambda _notice: None)
        runtime = bridge.runtime
        runtime.submit(peer.login(server.url, bob.user_id, bob.password)).result(60)
        bridge.create_room("Evacuation cell · خلية الإجلاء", (bob.user_id,))
        _wait(app, lambda: window.workspace.rooms.rowCount() == 1)
        room = window.workspace.rooms.room(0).room_id
        model = window.workspace.timeline
        _wait(app, lambda: any("bob" in model.row(i).text for i in range(model.rowCount())))
        assert peer.account is not None
        runtime.submit(peer.account.client.join(room)).result(60)
        for text in (
            "Convoy of 40 citizens reached the border crossing at 14:05.",
            "تم تأكيد رحلة الإجلاء الثانية الساعة 18:00 بتوقيت العاصمة.",
            "Delegation B requests instructions on the corridor proposal.",
        ):
            runtime.submit(peer.account.send_text(room, text)).result(60)
        _wait(app, lambda: model.rowCount() >= 8)
        window.workspace.composer.setText("Received — إحاطة خلال ١٠ دقائق")
        window.workspace._send()
        _wait(app, lambda: any("Received" in model.row(i).text for i in range(model.rowCount())))
        app.processEvents()
        window.grab().save(str(OUT / f"workspace-{language}.png"))
        runtime.submit(peer.shutdown()).result(60)
        window.close()
    del keep


if __name__ == "__main__":
    if len(sys.argv) > 1:
        render(sys.argv[1])
    else:
        env = {**os.environ, "OOR_CREDENTIALS": "file"}
        for lang in ("en", "ar"):
            subprocess.run([sys.executable, "-m", "docs.screenshots", lang], check=True, env=env)
        print(f"screenshots in {OUT}")
