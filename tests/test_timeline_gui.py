"""The shared timeline in the desktop app: an entry composed from the keyboard reaches the
other client; that client's verdict shows on the row with its history; a malformed entry
shows as such with its raw content one key away."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core import roles
from app.core.records import EventStatus
from app.services.timeline import Timeline
from app.ui.shell.main_window import MainWindow
from app.ui.timeline.entry_composer import EntryComposer
from app.ui.timeline.raw_event_dialog import RawEventDialog
from app.ui.timeline.rows import RowKind, TimelineRow
from app.ui.timeline.verification_dialog import VerificationDialog
from tests.fixtures_gui import WAIT_MS, SignIn
from tests.peers import ThreadedPeer


def _rows(window: MainWindow) -> list[TimelineRow]:
    model = window.workspace.timeline
    return [model.row(i) for i in range(model.rowCount())]


def _row(window: MainWindow, match) -> TimelineRow | None:
    return next((r for r in _rows(window) if match(r)), None)


def _press_enter_on(qtbot, window: MainWindow, key: str) -> None:
    view, model = window.workspace.timeline_view, window.workspace.timeline
    position = model.position_of(key)
    assert position is not None
    view.setCurrentIndex(model.index(position))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)


def test_compose_verify_and_inspect_entries(
    qtbot,
    window: MainWindow,
    peer: ThreadedPeer,
    signed_in: SignIn,
) -> None:
    _alice, bob = signed_in("alice", "bob")
    window.bridge.create_room("Operations", (bob.user_id,))
    qtbot.waitUntil(lambda: window.workspace.rooms.rowCount() == 1, timeout=WAIT_MS)
    room_id = window.workspace.rooms.room(0).room_id
    qtbot.waitUntil(lambda: bool(_row(window, lambda r: "invited" in r.text)), timeout=WAIT_MS)
    peer.run(peer.account.client.join(room_id))
    qtbot.waitUntil(
        lambda: bool(_row(window, lambda r: "joined" in r.text and bob.user_id in r.text)),
        timeout=WAIT_MS,
    )

    # Compose from the keyboard: Ctrl+Shift+E, type, Ctrl+Enter.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.workspace.composer, Qt.Key.Key_E, ctrl_shift)
    composer = window.timeline_controller.dialog
    assert isinstance(composer, EntryComposer)
    qtbot.waitUntil(composer.isActiveWindow, timeout=WAIT_MS)
    composer.kind.setCurrentIndex(composer.kind.findData("rumour"))
    composer.title.insert("المطار مغلق؟ ")  # QTest types Latin keys only; Arabic is inserted
    qtbot.keyClicks(composer.title, "Airport closed?")
    qtbot.keyClicks(composer.body, "Seen on social media.")
    qtbot.keyClicks(composer.location, "Port Sable")
    composer.tags.insert("airport، ")  # the Arabic comma separates tags too
    qtbot.keyClicks(composer.tags, "evacuation")
    qtbot.keyClick(composer.tags, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def bobs_entry():
        return next(
            (
                e
                for e in peer.events()
                if e.room_id == room_id and e.type == roles.ENTRY and e.status is EventStatus.OK
            ),
            None,
        )

    qtbot.waitUntil(lambda: bobs_entry() is not None, timeout=WAIT_MS)
    entry = bobs_entry()
    assert entry is not None and entry.content["tags"] == ["airport", "evacuation"]
    assert entry.content["kind"] == "rumour" and entry.content["location"] == "Port Sable"
    qtbot.waitUntil(
        lambda: bool(_row(window, lambda r: r.key == entry.event_id and r.kind is RowKind.ENTRY)),
        timeout=WAIT_MS,
    )

    # Bob's verdict arrives and the row says so, in words.
    peer.run(
        peer.account.feature(Timeline).verify(entry.event_id, "false", "Airport says it is open")
    )
    qtbot.waitUntil(
        lambda: (
            (r := _row(window, lambda r: r.key == entry.event_id)) is not None
            and r.status == "false"
        ),
        timeout=WAIT_MS,
    )
    _press_enter_on(qtbot, window, entry.event_id)
    dialog = window.timeline_controller.dialog
    assert isinstance(dialog, VerificationDialog)
    history = dialog.history
    assert history.topLevelItemCount() == 2
    assert history.topLevelItem(1).text(1) == bob.user_id
    assert history.topLevelItem(1).text(3) == "Airport says it is open"
    window.grab().save("/tmp/oor-timeline-gui.png")
    dialog.reject()

    # A malformed entry from another client: shown as such, raw content on Enter.
    bad = {"body": "bad entry", "kind": "gossip", "title": ["not", "text"]}
    peer.run(peer.account.send(room_id, roles.ENTRY, bad))
    qtbot.waitUntil(
        lambda: bool(_row(window, lambda r: r.kind is RowKind.MALFORMED)), timeout=WAIT_MS
    )
    malformed = _row(window, lambda r: r.kind is RowKind.MALFORMED)
    assert malformed is not None
    _press_enter_on(qtbot, window, malformed.key)
    raw = window.timeline_controller.dialog
    assert isinstance(raw, RawEventDialog)
    assert '"gossip"' in raw.text.toPlainText()
    raw.reject()
    assert not [p for p in window.problems if p.what != "history_failed"]
