"""The outbox in a file of its own beside the archive: encrypted under the archive's key,
and an older release's rows (kept in the archive) moved over whole, once, also after a
crash half-way; a wrong key refused before any outbox file is made with it.

Why: a send's row is the one write a person waits on (an ack the capital is watching
for); in its own file it no longer waits for the archive's write of a sync batch. The
move must lose nothing an older release queued and send nothing twice.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlcipher3
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from app.core.records import OutboxState
from app.store import Outbox, StoreError, open_database, sqlite_url
from app.store.archive_keys import KEY_FILE, ArchiveKeys
from app.store.at_rest import open_archive
from app.store.database import alembic_config, open_outbox_database
from app.store.outbox_file import outbox_path
from app.store.sqlcipher import connect_encrypted, encrypt_in_place
from tests.test_disk_full import fill, small_disk

ME = "@omar:ops.example"
ROOM = "!geneva:ops.example"
SECRET = "الوفد يقبل الممر الإنساني"
# An older release's outbox: one row still to send, one refused, one sent.
OLDER_ROWS = [
    ("oorpending", "pending", None, ""),
    ("oorfailed", "failed", None, "403: not allowed"),
    ("oorsent", "sent", "$sent", ""),
]


def _keys(account: Path) -> ArchiveKeys:
    return ArchiveKeys(account, ME, keyring=None, passphrase=lambda: None)


def _older_release_archive(account: Path) -> Path:
    """An encrypted archive as release 0008 left it: the outbox inside, three rows."""
    path = account / "archive.sqlite3"
    account.mkdir(parents=True)
    engine = create_engine(sqlite_url(path))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0008")
        for seq, (txn_id, state, event_id, error) in enumerate(OLDER_ROWS, start=1):
            conn.execute(
                text(
                    "INSERT INTO outbox (seq, txn_id, room_id, event_type, content, state,"
                    " created_at, updated_at, event_id, error) VALUES (:seq, :txn, :room,"
                    " 'm.room.message', :content, :state, :at, :at, :event_id, :error)"
                ),
                {
                    "seq": seq,
                    "txn": txn_id,
                    "room": ROOM,
                    "content": f'{{"body":"{SECRET}","msgtype":"m.text"}}',
                    "state": state,
                    "at": 1_000.0 + seq,
                    "event_id": event_id,
                    "error": error,
                },
            )
    engine.dispose()
    encrypt_in_place(path, _keys(account).existing_or_new(), lambda _done, _total: None)
    return path


def _opened_rows(path: Path) -> list[tuple[str, OutboxState, str | None, str]]:
    archive, outbox, _key = open_archive(path, _keys(path.parent), lambda _d, _t: None)
    try:
        with archive.connect() as conn:
            tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
        assert "outbox" not in tables  # the archive holds no outbox any more
        rows = Outbox(outbox).items(ROOM, tuple(OutboxState))
        return [(i.txn_id, i.state, i.event_id, i.error) for i in rows]
    finally:
        archive.dispose()
        outbox.dispose()


def _refusing_rows(engine: Engine) -> None:
    """The outbox refuses every new row, as a damaged file would."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'no'); END"
        )


def _older_rows_still_in(path: Path) -> bool:
    conn = connect_encrypted(path, _keys(path.parent).existing())
    try:
        return conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == len(OLDER_ROWS)
    finally:
        conn.close()


def _as_older_release_left_them() -> list[tuple[str, OutboxState, str | None, str]]:
    return [
        (txn, OutboxState(state), event_id, error) for txn, state, event_id, error in OLDER_ROWS
    ]


def test_an_older_release_s_outbox_moves_whole_into_its_own_encrypted_file(
    tmp_path: Path,
) -> None:
    path = _older_release_archive(tmp_path / "account")
    assert _opened_rows(path) == _as_older_release_left_them()  # in order, states kept
    moved = outbox_path(path)
    assert moved.parent == path.parent and SECRET.encode() not in moved.read_bytes()
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(moved).execute("SELECT count(*) FROM outbox").fetchone()
    assert _opened_rows(path) == _as_older_release_left_them()  # the next start: the same


def test_a_crash_between_the_copy_and_the_migration_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    path = _older_release_archive(tmp_path / "account")
    as_found = path.read_bytes()
    assert _opened_rows(path) == _as_older_release_left_them()  # copied, then migrated
    path.write_bytes(as_found)  # the app died before the migration's commit; the copy's kept
    assert _opened_rows(path) == _as_older_release_left_them()  # each row once


def test_a_row_the_older_release_sent_after_the_crash_is_not_sent_again(
    tmp_path: Path,
) -> None:
    """The copy committed, the migration did not; the person went back to the older
    release, which sent the row and marked it sent in its archive; then upgraded again."""
    path = _older_release_archive(tmp_path / "account")
    as_found = path.read_bytes()
    assert ("oorpending", OutboxState.PENDING, None, "") in _opened_rows(path)  # copied
    path.write_bytes(as_found)  # died before the migration's commit
    conn = connect_encrypted(path, _keys(path.parent).existing())
    try:  # the older release sends it
        conn.execute(
            "UPDATE outbox SET state = 'sent', event_id = '$late', updated_at = 2000.0"
            " WHERE txn_id = 'oorpending'"
        )
        conn.commit()
    finally:
        conn.close()
    rows = _opened_rows(path)
    assert ("oorpending", OutboxState.SENT, "$late", "") in rows  # not pending: not resent
    assert len(rows) == len(OLDER_ROWS)


def test_a_restored_pre_move_backup_does_not_unsend_what_this_release_sent(
    tmp_path: Path,
) -> None:
    """The move done, this release sent the row; then the archive was restored from a
    backup taken before the move, its row still pending: an older state of the same row,
    it must not make it pending again here, or it would be sent a second time."""
    path = _older_release_archive(tmp_path / "account")
    backup = path.read_bytes()
    assert ("oorpending", OutboxState.PENDING, None, "") in _opened_rows(path)  # moved
    engine = open_outbox_database(sqlite_url(outbox_path(path)), _keys(path.parent).existing())
    try:  # this release sends it
        assert Outbox(engine).mark_sent("oorpending", "$here") is not None
    finally:
        engine.dispose()
    path.write_bytes(backup)  # the backup taken before the move, restored
    rows = _opened_rows(path)
    assert ("oorpending", OutboxState.SENT, "$here", "") in rows  # not pending: not resent
    assert len(rows) == len(OLDER_ROWS)


def test_a_restored_older_archive_s_rows_join_the_rows_already_queued(tmp_path: Path) -> None:
    path = _older_release_archive(tmp_path / "account")
    key = _keys(path.parent).existing()
    engine = open_outbox_database(sqlite_url(outbox_path(path)), key)
    queued = Outbox(engine).enqueue(ROOM, "m.room.message", {"body": "queued since"})
    engine.dispose()
    rows = _opened_rows(path)  # the restored archive's rows are copied in
    assert rows == [(queued.txn_id, OutboxState.PENDING, None, ""), *_as_older_release_left_them()]


def test_an_outbox_that_refuses_the_copy_is_told_in_a_sentence(tmp_path: Path) -> None:
    path = _older_release_archive(tmp_path / "account")
    engine = open_outbox_database(sqlite_url(outbox_path(path)), _keys(path.parent).existing())
    _refusing_rows(engine)
    engine.dispose()
    with pytest.raises(StoreError, match=f"Cannot open {outbox_path(path)}") as said:
        open_archive(path, _keys(path.parent), lambda _d, _t: None)
    assert "Traceback" not in str(said.value)
    assert _older_rows_still_in(path)  # nothing was lost: the archive keeps them


def test_an_outbox_left_by_an_archive_moved_aside_is_set_aside_too(tmp_path: Path) -> None:
    account = tmp_path / "account"
    path = account / "archive.sqlite3"
    archive, outbox, _key = open_archive(path, _keys(account), lambda _d, _t: None)
    Outbox(outbox).enqueue(ROOM, "m.room.message", {"body": SECRET})
    archive.dispose()
    outbox.dispose()
    kept = outbox_path(path).read_bytes()
    path.rename(account / "archive.sqlite3.lost")  # as the lost key's sentence advises
    (account / KEY_FILE).unlink()

    archive, outbox, _key = open_archive(path, _keys(account), lambda _d, _t: None)
    try:
        assert Outbox(outbox).pending() == []  # a new archive, a new outbox
    finally:
        archive.dispose()
        outbox.dispose()
    [aside] = account.glob(f"{outbox_path(path).name}.set-aside-*")
    assert aside.read_bytes() == kept  # kept, for whoever has its key


def test_a_row_the_outbox_cannot_take_is_refused_in_a_sentence(tmp_path: Path) -> None:
    engine = open_outbox_database(sqlite_url(tmp_path / "outbox.sqlite3"))
    _refusing_rows(engine)
    try:
        with pytest.raises(StoreError, match="Could not queue the message for sending: no"):
            Outbox(engine).enqueue(ROOM, "m.room.message", {"body": SECRET})
    finally:
        engine.dispose()


def test_an_outbox_under_another_key_than_its_archive_s_is_set_aside(tmp_path: Path) -> None:
    """As after an older release's plaintext archive is converted under a new key."""
    account = tmp_path / "account"
    path = account / "archive.sqlite3"
    archive, outbox, _key = open_archive(path, _keys(account), lambda _d, _t: None)
    archive.dispose()
    outbox.dispose()
    outbox_path(path).unlink()
    other = open_outbox_database(sqlite_url(outbox_path(path)), b"\x01" * 32)
    queued = Outbox(other).enqueue(ROOM, "m.room.message", {"body": SECRET})
    other.dispose()

    archive, outbox, _key = open_archive(path, _keys(account), lambda _d, _t: None)
    try:
        assert Outbox(outbox).pending() == []  # the archive opens, with an outbox of its own
    finally:
        archive.dispose()
        outbox.dispose()
    [aside] = account.glob(f"{outbox_path(path).name}.set-aside-*")
    kept = open_outbox_database(sqlite_url(aside), b"\x01" * 32)
    try:
        assert Outbox(kept).pending() == [queued]  # kept whole, for whoever has its key
    finally:
        kept.dispose()


def test_a_wrong_key_makes_no_outbox_file(tmp_path: Path) -> None:
    path = _older_release_archive(tmp_path / "account")
    (path.parent / KEY_FILE).write_text("ab" * 32, encoding="ascii")  # another key
    with pytest.raises(StoreError, match="cannot be opened with this key"):
        open_archive(path, _keys(path.parent), lambda _d, _t: None)
    assert not outbox_path(path).exists()


def test_a_new_account_s_outbox_is_encrypted_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "account" / "archive.sqlite3"
    archive, outbox, _key = open_archive(path, _keys(path.parent), lambda _d, _t: None)
    queued = Outbox(outbox).enqueue(ROOM, "m.room.message", {"body": SECRET})
    archive.dispose()
    outbox.dispose()
    assert SECRET.encode() not in outbox_path(path).read_bytes()

    archive, outbox, _key = open_archive(path, _keys(path.parent), lambda _d, _t: None)
    try:
        assert Outbox(outbox).pending() == [queued]
    finally:
        archive.dispose()
        outbox.dispose()


def test_a_message_the_disk_cannot_take_is_refused_in_a_sentence(tmp_path: Path) -> None:
    account = tmp_path / "account"
    with small_disk(account) as disk:
        path = account / "archive.sqlite3"
        archive, outbox, _key = open_archive(path, _keys(account), lambda _d, _t: None)
        archive.dispose()
        try:
            filler = fill(disk)
            with pytest.raises(StoreError, match="Could not queue the message for sending"):
                Outbox(outbox).enqueue(ROOM, "m.room.message", {"body": SECRET})
            filler.unlink()
            assert Outbox(outbox).pending() == []  # nothing half-written
            queued = Outbox(outbox).enqueue(ROOM, "m.room.message", {"body": SECRET})
            assert Outbox(outbox).pending() == [queued]  # space back: it takes it
        finally:
            outbox.dispose()


def test_a_start_at_this_release_s_schema_reads_the_archive_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: a second connection looking for an older release's outbox cost every start
    ~1.5 ms; the rows are moved by the migration, which an archive at head never runs."""
    path = _older_release_archive(tmp_path / "account")
    assert _opened_rows(path) == _as_older_release_left_them()  # migrated: now at head
    opened: list[str] = []
    connect = sqlcipher3.connect

    def counted(database: str, *args: object, **kwargs: object) -> sqlcipher3.Connection:
        opened.append(Path(database.removeprefix("file:").partition("?")[0]).name)
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlcipher3, "connect", counted)
    assert _opened_rows(path) == _as_older_release_left_them()
    assert opened.count(path.name) == 1  # the archive's own opening, no look besides
    assert opened.count(outbox_path(path).name) == 1


def test_an_archive_with_rows_waiting_is_not_migrated_where_they_have_nowhere_to_go(
    tmp_path: Path,
) -> None:
    """A tool opening the archive without its outbox file (plain ``open_database``)
    would have dropped the rows with the table."""
    path = _older_release_archive(tmp_path / "account")
    with pytest.raises(StoreError, match="still holds messages waiting to be sent"):
        open_database(sqlite_url(path), _keys(path.parent).existing())
    assert _older_rows_still_in(path)
    assert _opened_rows(path) == _as_older_release_left_them()  # the app's opening moves them


def test_an_outbox_that_cannot_be_set_aside_is_named_and_the_archive_kept(
    tmp_path: Path,
) -> None:
    """The rename fails (here its name is taken by a folder: a folder without write
    permission would not stop root, whom CI runs as): the sentence names the outbox, not
    the archive, and does not advise moving the archive aside."""
    path = _older_release_archive(tmp_path / "account")
    other = open_outbox_database(sqlite_url(outbox_path(path)), b"\x01" * 32)
    other.dispose()
    foreign = outbox_path(path)
    taken = foreign.with_name(f"{foreign.name}.set-aside-{foreign.stat().st_mtime_ns}")
    (taken / "inside").mkdir(parents=True)
    with pytest.raises(StoreError) as said:
        open_archive(path, _keys(path.parent), lambda _d, _t: None)
    assert f"The outbox {foreign} was made under another key" in str(said.value)
    assert "could not be renamed" in str(said.value) and str(taken) in str(said.value)
    assert "start a new archive" not in str(said.value)  # the archive is not at fault
    assert _older_rows_still_in(path) and foreign.exists()  # nothing changed


def test_a_move_that_cannot_reach_the_disk_leaves_the_rows_in_the_archive(
    tmp_path: Path,
) -> None:
    """Another program reads the outbox file, so the copy cannot be synced to disk before
    the migration drops the archive's table: the migration rolls back (5 s: SQLite's
    wait for the reader, as the app sets it)."""
    path = _older_release_archive(tmp_path / "account")
    open_outbox_database(sqlite_url(outbox_path(path)), _keys(path.parent).existing()).dispose()
    reader = connect_encrypted(outbox_path(path), _keys(path.parent).existing())
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM outbox").fetchone()  # holds what it read
        with pytest.raises(StoreError, match="is open in another program"):
            open_archive(path, _keys(path.parent), lambda _d, _t: None)
    finally:
        reader.close()
    assert _older_rows_still_in(path)  # offered again at the next start
    assert _opened_rows(path) == _as_older_release_left_them()
