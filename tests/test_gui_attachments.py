"""Images in the timeline as the sender and a reader see them: your own picture is shown
as soon as the server has it, and a preview that failed during an outage comes by itself
once the server is back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage

from app.homeserver import EmbeddedHomeserver
from app.services.notices import InvitationsChanged
from app.services.timeline import Timeline
from app.ui.rooms.room_list_model import UnreadRole
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, sign_in
from tests.peers import ThreadedPeer


def _image(path: Path) -> Path:
    picture = QImage(64, 48, QImage.Format.Format_RGB32)
    picture.fill(QColor("#2e7d32"))
    assert picture.save(str(path), "PNG")
    return path


def _previewed(window: MainWindow, name: str) -> bool:
    model = window.workspace.timeline
    rows = (model.row(i) for i in range(model.rowCount()))
    return any(r.attachment and r.attachment.name == name and r.preview for r in rows)


def test_the_sender_sees_their_picture_and_a_failed_preview_is_fetched_again(
    qtbot, window: MainWindow, peer: ThreadedPeer, tmp_path: Path
) -> None:
    server = EmbeddedHomeserver(tmp_path / "own-homeserver")
    server.start()
    try:
        me, other = server.create_account("sender"), server.create_account("other")
        peer.run(peer.backend.login(server.url, other.user_id, other.password))
        sign_in(qtbot, window, server, me)
        window.bridge.create_room("Crossing photos", (other.user_id,))
        rooms = window.workspace.rooms
        qtbot.waitUntil(lambda: rooms.rowCount() == 1, timeout=WAIT_MS)
        room_id = rooms.room(0).room_id
        window.workspace.room_list.setCurrentIndex(rooms.index(0))
        qtbot.waitUntil(
            lambda: any(
                isinstance(n, InvitationsChanged) and room_id in {i.room_id for i in n.invitations}
                for n in list(peer.notices)
            ),
            timeout=WAIT_MS,
        )
        peer.run(peer.account.client.join(room_id))

        window.bridge.attach(room_id, str(_image(tmp_path / "mine.png")))
        qtbot.waitUntil(lambda: _previewed(window, "mine.png"), timeout=WAIT_MS)

        # The other side's picture arrives while the user reads another room; the server
        # is gone by the time the user opens the room, so the preview fails at first.
        window.bridge.create_room("Elsewhere")
        qtbot.waitUntil(lambda: rooms.rowCount() == 2, timeout=WAIT_MS)
        window.workspace.room_list.setCurrentIndex(rooms.index(1 - rooms.row_of(room_id)))
        peer.run(peer.account.feature(Timeline).attach(room_id, str(_image(tmp_path / "t.png"))))
        qtbot.waitUntil(
            lambda: rooms.index(rooms.row_of(room_id)).data(UnreadRole) >= 1, timeout=WAIT_MS
        )
        server.stop()
        qtbot.waitUntil(window.workspace.connection_bar.isVisible, timeout=WAIT_MS)
        problems = len(window.problems)
        window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(room_id)))
        qtbot.waitUntil(lambda: len(window.problems) > problems, timeout=WAIT_MS)
        assert window.problems[-1].what == "file_unavailable"  # not "the server did not take…"
        assert "could not be fetched" in window.statusBar().currentMessage()
        assert not _previewed(window, "t.png")
        server.start()
        qtbot.waitUntil(lambda: _previewed(window, "t.png"), timeout=WAIT_MS)
    finally:
        server.stop()
