"""A restart shows the archive's rooms from a plain look into the encrypted file, before
SQLAlchemy is loaded, and shows the same rooms and events the store reads back later.

No homeserver is needed: a restart reads only the stored login and the archive before
the list is painted (the login is checked with the server after).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlcipher3

from app.core.paths import DataDir
from app.core.records import Credentials, RoomSummary
from app.services.notices import Notice, Resuming, RoomLoaded, RoomsChanged
from app.services.preview import show_archive
from app.store import Archive, CredentialStore, Outbox, StoreError
from app.store.archive_keys import KEY_FILE, SALT_FILE, ArchiveKeys
from app.store.archive_keys import SERVICE as ARCHIVE_KEY_SERVICE
from app.store.at_rest import open_archive
from app.store.peek import peek_archive
from app.store.sqlcipher import raw_key
from tests.child_app import run_child
from tests.test_store import MemoryKeyring, make_event

ME = "@capital:ops.example"
OPS, DELEGATION = "!operations:ops.example", "!delegation:ops.example"

# A restart's first steps in a new interpreter: what was loaded when each notice went out.
RESTART = """
import asyncio, json, sys
from pathlib import Path
from app.core.paths import DataDir
from app.services.preview import show_archive

said = []

def notify(notice):
    rooms = [r.name for r in getattr(notice, "rooms", ())]
    bodies = [e.content.get("body") for e in getattr(notice, "events", ())]
    queued = [i.content.get("body") for i in getattr(notice, "pending", ())]
    said.append({"notice": type(notice).__name__, "sqlalchemy": "sqlalchemy" in sys.modules,
                 "rooms": rooms, "bodies": bodies, "queued": queued})

preview = asyncio.run(show_archive(DataDir(Path(sys.argv[1])), notify))
opened = preview.opened is not None
preview.close()
print(json.dumps({"said": said, "opened_through_the_store": opened}))
"""


# The real run_gui; an application-wide filter notes what the timeline held when the room
# list was first painted with rooms in it, and the app quits once the newest room is in.
PAINT_ORDER = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from app.core.paths import DataDir
from app.services import notices
from app.ui.shell.app import run_gui
from app.ui.shell.main_window import MainWindow

seen = {}
app = QApplication(sys.argv[:1])

class Paints(QObject):
    window = None

    def eventFilter(self, obj, event):
        if self.window is None or event.type() != QEvent.Type.Paint:
            return False
        workspace = self.window.workspace
        if obj is workspace.room_list.viewport() and workspace.rooms.rowCount():
            seen.setdefault("timeline_rows_at_list_paint", workspace.timeline.rowCount())
        return False

paints = Paints()
app.installEventFilter(paints)

def attach():
    paints.window = window = next(
        w for w in app.topLevelWidgets() if isinstance(w, MainWindow)
    )

    def loaded(_notice):
        seen["timeline_rows_when_loaded"] = window.workspace.timeline.rowCount()
        QTimer.singleShot(0, app.quit)

    window.bridge.on(notices.RoomLoaded, loaded)

QTimer.singleShot(0, attach)
QTimer.singleShot(60_000, app.quit)
run_gui(DataDir(Path(sys.argv[1])), embedded=False)
print(json.dumps(seen))
"""


def stored_account(root: Path) -> DataDir:
    """A signed-in data dir whose encrypted archive holds two rooms and a queued message."""
    data = DataDir(root)
    CredentialStore(root).save(Credentials("http://127.0.0.1:9", ME, "DEVICE", "token", "pk"))
    keys = ArchiveKeys(data.account(ME), ME)
    engine, outbox, _file_key = open_archive(data.archive(ME), keys, lambda _done, _total: None)
    try:
        archive = Archive(engine, ME)
        events = [make_event(f"$ops{i}", OPS, ts=2_000 + i) for i in range(3)]
        events.append(make_event("$del", DELEGATION, ts=1_000))
        rooms = [
            RoomSummary(OPS, "Operations", encrypted=True),
            RoomSummary(DELEGATION, "Delegation Geneva", encrypted=True),
        ]
        archive.save_sync_batch(events, rooms, "t1")
        Outbox(outbox).enqueue(OPS, "m.room.message", {"msgtype": "m.text", "body": "queued"})
    finally:
        engine.dispose()
        outbox.dispose()
    return data


def test_a_restart_lists_an_encrypted_archive_before_sqlalchemy_is_loaded(
    tmp_path: Path,
) -> None:
    seen = run_child(RESTART, stored_account(tmp_path / "data").root, OOR_CREDENTIALS="file")
    said = seen["said"]
    assert [s["notice"] for s in said] == ["Resuming", "RoomsChanged", "RoomLoaded"]
    assert not any(s["sqlalchemy"] for s in said)  # all three out before it loaded
    assert said[1]["rooms"] == ["Operations", "Delegation Geneva"]  # newest activity first
    assert said[2]["bodies"] == [f"entry $ops{i} — تقرير" for i in range(3)]
    assert said[2]["queued"] == ["queued"]
    assert seen["opened_through_the_store"]  # then opened for the backend, as before


def test_the_peek_reads_what_the_store_reads(tmp_path: Path) -> None:
    data = stored_account(tmp_path / "data")
    keys = ArchiveKeys(data.account(ME), ME)
    peek = peek_archive(data.archive(ME), keys, ME)
    assert peek is not None
    engine, outbox_engine, _ = open_archive(data.archive(ME), keys, lambda _done, _total: None)
    try:
        archive, outbox = Archive(engine, ME), Outbox(outbox_engine)
        assert peek.rooms() == archive.rooms()
        for room in (OPS, DELEGATION):
            assert peek.recent_events(room, 2) == archive.recent_events(room, 2)
            assert peek.outbox_items(room) == outbox.items(room)
    finally:
        peek.close()
        engine.dispose()
        outbox_engine.dispose()


def test_an_archive_at_an_older_schema_is_left_to_the_stores_opening(tmp_path: Path) -> None:
    data = stored_account(tmp_path / "data")
    key = bytes.fromhex((data.account(ME) / KEY_FILE).read_text("ascii"))
    conn = sqlcipher3.connect(str(data.archive(ME)), isolation_level=None)
    conn.execute(f'PRAGMA key = "{raw_key(key)}"')
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    assert peek_archive(data.archive(ME), ArchiveKeys(data.account(ME), ME), ME) is None


def test_an_archive_whose_passphrase_is_not_given_yet_is_not_peeked(tmp_path: Path) -> None:
    data = stored_account(tmp_path / "data")
    account = data.account(ME)
    (account / KEY_FILE).unlink()  # as if the key were a passphrase nobody typed yet
    (account / SALT_FILE).write_text("00" * 16, encoding="ascii")
    keys = ArchiveKeys(account, ME, passphrase=lambda: None)
    assert peek_archive(data.archive(ME), keys, ME) is None


def test_a_wrong_key_shows_nothing_and_is_left_to_the_backend(tmp_path: Path) -> None:
    data = stored_account(tmp_path / "data")
    (data.account(ME) / KEY_FILE).write_text("ab" * 32, encoding="ascii")
    with pytest.raises(StoreError):
        peek_archive(data.archive(ME), ArchiveKeys(data.account(ME), ME), ME)
    said: list[Notice] = []
    preview = asyncio.run(show_archive(data, said.append))
    preview.close()
    preview.lock.release()
    assert not [n for n in said if isinstance(n, Resuming | RoomsChanged | RoomLoaded)]
    assert preview.opened is None


def test_a_restart_paints_the_room_list_before_it_fills_the_newest_rooms_timeline(
    tmp_path: Path,
) -> None:
    """The newest room's events arrive right behind the list; the list is on screen
    first, so the person sees their rooms while the timeline is being filled."""
    seen = run_child(PAINT_ORDER, stored_account(tmp_path / "data").root, OOR_CREDENTIALS="file")
    assert seen["timeline_rows_at_list_paint"] == 0
    assert seen["timeline_rows_when_loaded"] > 0


class CountingKeyring(MemoryKeyring):
    """A keyring that counts how often each secret is read (each read is a D-Bus call on
    a desktop)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.reads.append((service, username))
        return super().get_password(service, username)


def test_a_restart_reads_the_archive_key_from_the_keyring_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = CountingKeyring()
    monkeypatch.setattr("keyring.get_keyring", lambda: ring)
    monkeypatch.delenv("OOR_CREDENTIALS")
    data = stored_account(tmp_path / "data")
    assert not (data.account(ME) / KEY_FILE).exists()  # the key is in the keyring
    ring.reads.clear()

    said: list[Notice] = []
    preview = asyncio.run(show_archive(data, said.append))
    try:
        assert [type(n) for n in said] == [Resuming, RoomsChanged, RoomLoaded]
        assert preview.opened is not None  # then opened through the store, for the backend
        assert ring.reads.count((ARCHIVE_KEY_SERVICE, ME)) == 1
    finally:
        preview.close()
        preview.lock.release()
