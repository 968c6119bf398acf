"""The desktop app end to end: log in through the form, talk to a second client."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.homeserver import EmbeddedHomeserver
from app.ui.shell.main_window import MainWindow
from app.ui.timeline.rows import RowKind
from tests.fixtures_gui import WAIT_MS
from tests.fixtures_homeserver import MakeAccount
from tests.peers import ThreadedPeer


def _rows(main: MainWindow) -> list:
    """Every row, those inside a folded run of room changes included (Enter opens them)."""
    model = main.workspace.timeline
    rows = [model.row(i) for i in range(model.rowCount())]
    return [inner for row in rows for inner in (row.folded or (row,))]


def test_login_send_and_receive(
    qtbot,
    window: MainWindow,
    peer: ThreadedPeer,
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
) -> None:
    alice_account, bob_account = make_account("alice"), make_account("bob")
    peer.run(peer.backend.login(homeserver.url, bob_account.user_id, bob_account.password))

    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    login = window.login
    qtbot.keyClicks(login.homeserver, homeserver.url)
    qtbot.keyClicks(login.user, alice_account.user_id)
    qtbot.keyClicks(login.password, alice_account.password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=WAIT_MS)
    assert window.who.text() == "\u2066" + alice_account.user_id + "\u2069"  # an LTR island

    window.bridge.create_room("Crisis cell", (bob_account.user_id,))
    qtbot.waitUntil(lambda: window.workspace.rooms.rowCount() == 1, timeout=WAIT_MS)
    room_id = window.workspace.rooms.room(0).room_id
    qtbot.waitUntil(  # the room shows up before the server has finished inviting
        lambda: any("invited" in r.text and bob_account.user_id in r.text for r in _rows(window)),
        timeout=WAIT_MS,
    )
    peer.run(peer.account.client.join(room_id))
    qtbot.waitUntil(
        lambda: any(
            bob_account.user_id in r.text and r.kind is RowKind.NOTICE
            for r in _rows(window)
            if "joined" in r.text
        ),
        timeout=WAIT_MS,
    )

    qtbot.keyClicks(window.workspace.composer, "Evacuation flight confirmed for 18:00")
    qtbot.keyClick(window.workspace.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: "Evacuation flight confirmed for 18:00" in peer.texts(room_id), timeout=WAIT_MS
    )
    qtbot.waitUntil(
        lambda: any(
            r.text == "Evacuation flight confirmed for 18:00" and r.kind is RowKind.MESSAGE
            for r in _rows(window)
        ),
        timeout=WAIT_MS,
    )  # the pending row turned into the server's echo

    peer.run(peer.account.send_text(room_id, "الوفد وصل إلى المعبر"))
    qtbot.waitUntil(
        lambda: any(r.text == "الوفد وصل إلى المعبر" and r.rtl for r in _rows(window)),
        timeout=WAIT_MS,
    )
    assert next(r for r in _rows(window) if r.text.startswith("Evacuation")).sender == (
        alice_account.user_id
    )
    assert window.connection.property("state") == "online"
    assert not window.problems
