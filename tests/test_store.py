"""The store as a user experiences it: nothing archived twice, nothing lost, nothing leaked."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from app.core.records import (
    Credentials,
    EventStatus,
    OutboxState,
    RoomEvent,
    RoomSummary,
)
from app.store import (
    Archive,
    CredentialStore,
    Outbox,
    StoreError,
    open_database,
    sqlite_url,
)
from app.store.database import alembic_config, head_revision, open_outbox_database
from app.store.outbox_file import outbox_path
from app.store.schema import metadata
from app.store.search_sql import SEARCH_TABLES

ME = "@facilitator:ops.example"
OPS = "!operations:ops.example"
DELEGATION = "!delegation:ops.example"


def make_event(
    event_id: str,
    room_id: str = OPS,
    ts: int = 1_000,
    *,
    status: EventStatus = EventStatus.OK,
    content: dict[str, Any] | None = None,
    txn_id: str | None = None,
) -> RoomEvent:
    """An event as the matrix layer hands it over, with a server-shaped (encrypted) source."""
    source = {
        "event_id": event_id,
        "room_id": room_id,
        "sender": "@diplomat:ops.example",
        "type": "m.room.encrypted",
        "origin_server_ts": ts,
        "content": {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": f"c-{event_id}"},
    }
    if status is EventStatus.UNDECRYPTED:
        event_type, body = "m.room.encrypted", source["content"]
    else:
        event_type = "org.openopsroom.entry"
        body = content if content is not None else {"body": f"entry {event_id} — تقرير"}
    return RoomEvent(
        event_id=event_id,
        room_id=room_id,
        sender="@diplomat:ops.example",
        type=event_type,
        origin_ts=ts,
        content=body,
        txn_id=txn_id,
        status=status,
        note="no room key yet" if status is EventStatus.UNDECRYPTED else "",
        source=source,
    )


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    # A folder that does not exist yet: open_database must create it.
    return sqlite_url(tmp_path / "data" / "archive.sqlite3")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = open_database(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def archive(engine: Engine) -> Archive:
    return Archive(engine, ME)


@pytest.fixture
def outbox(db_url: str) -> Iterator[Outbox]:
    eng = open_outbox_database(_beside(db_url))
    yield Outbox(eng)
    eng.dispose()


def _beside(db_url: str) -> str:
    """The outbox's file beside the archive at ``db_url`` (``app.store.outbox_file``)."""
    return sqlite_url(outbox_path(Path(str(make_url(db_url).database))))


def chain_hash_of(engine: Engine, event_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT chain_hash FROM events WHERE event_id = :e"), {"e": event_id}
        ).scalar_one()


# ---- opening and migrating ----------------------------------------------------------


def test_fresh_database_is_created_and_migrated_to_head(engine: Engine, db_url: str) -> None:
    assert Path(db_url.removeprefix("sqlite:///")).is_file()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
    assert head is not None


def test_the_quick_head_check_names_alembics_head(engine: Engine, db_url: str) -> None:
    """open_database skips Alembic when the file is at head; the head it trusts must be
    Alembic's own, and reopening an at-head archive must leave it at head with its data."""
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    engine.dispose()
    reopened = open_database(db_url)
    with reopened.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    reopened.dispose()


def test_migrations_create_exactly_the_schema_the_queries_use(engine: Engine) -> None:
    def not_search_index(name: str | None, _type: str, _parents: object) -> bool:
        return name not in SEARCH_TABLES  # FTS5's virtual and shadow tables are not ours

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": not_search_index})
        assert compare_metadata(context, metadata) == []


def test_sqlite_runs_with_wal_foreign_keys_and_normal_sync(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_a_file_that_is_not_a_database_gives_a_readable_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"these are meeting notes, not a database\n" * 200)
    with pytest.raises(StoreError, match=r"notes\.sqlite3"):
        open_database(sqlite_url(bogus))


def test_a_database_from_a_newer_release_is_refused_untouched(db_url: str) -> None:
    eng = open_database(db_url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    eng.dispose()
    with pytest.raises(StoreError, match="newer version"):
        open_database(db_url)
    eng = create_engine(db_url)
    with eng.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "9999_future"
    eng.dispose()


# ---- archive ------------------------------------------------------------------------


def test_same_event_twice_is_stored_once_and_reported_once(archive: Archive) -> None:
    first = make_event("$a")
    assert archive.save_sync_batch([first, first], [], "t1") == [first]
    assert archive.save_sync_batch([first], [], "t2") == []
    assert archive.count() == 1
    assert archive.event("$a") == first
    assert archive.sync_token() == "t2"


def test_decrypted_copy_upgrades_an_undecrypted_event(archive: Archive, engine: Engine) -> None:
    locked = make_event("$x", status=EventStatus.UNDECRYPTED)
    archive.save_sync_batch([locked], [], "t1")
    hash_before = chain_hash_of(engine, "$x")
    assert archive.recent_events(OPS)[0].status is EventStatus.UNDECRYPTED

    opened = make_event("$x", content={"body": "evacuate via the northern crossing"})
    assert archive.save_sync_batch([opened], [], "t2") == [opened]

    shown = archive.recent_events(OPS)
    assert [e.status for e in shown] == [EventStatus.OK]
    assert shown[0].content == {"body": "evacuate via the northern crossing"}
    assert shown[0].type == "org.openopsroom.entry"
    assert chain_hash_of(engine, "$x") == hash_before
    assert archive.verify_chain(OPS)

    # An understood event is never replaced by a later undecryptable copy.
    assert archive.save_sync_batch([locked], [], "t3") == []
    assert archive.event("$x") == opened

    # Both copies in one batch: stored once, reported once, in its decrypted form.
    late = make_event("$y", ts=2_000, status=EventStatus.UNDECRYPTED, txn_id="oor123")
    ok = make_event("$y", ts=2_000, content={"body": "ack"})
    assert archive.save_sync_batch([late, make_event("$z"), ok], [], "t4") == [
        replace(ok, txn_id="oor123"),
        make_event("$z"),
    ]
    assert archive.event("$y") == replace(ok, txn_id="oor123")
    assert archive.verify_chain(OPS)


def test_late_room_keys_decrypt_archived_events(archive: Archive) -> None:
    archive.save_sync_batch(
        [
            make_event("$1", status=EventStatus.UNDECRYPTED, ts=1),
            make_event("$2", ts=2),
            make_event("$3", DELEGATION, ts=3, status=EventStatus.UNDECRYPTED),
        ],
        [],
        "t1",
    )
    waiting = archive.undecrypted()
    assert [e.event_id for e in waiting] == ["$3", "$1"]  # newest first
    assert waiting[1].source["content"]["ciphertext"] == "c-$1"
    assert [e.event_id for e in archive.undecrypted(DELEGATION)] == ["$3"]

    decrypted = make_event("$1", ts=1, content={"body": "instruction received"})
    malformed = replace(make_event("$3", DELEGATION, ts=3), status=EventStatus.MALFORMED)
    changed = archive.update_decrypted([decrypted, malformed, make_event("$2", ts=2)])
    assert [(e.event_id, e.status) for e in changed] == [
        ("$1", EventStatus.OK),
        ("$3", EventStatus.MALFORMED),
    ]
    assert changed[0].source == waiting[1].source
    assert archive.undecrypted() == []
    assert archive.recent_events(OPS)[0].content == {"body": "instruction received"}
    assert archive.update_decrypted([decrypted]) == []


def test_sync_token_is_saved_with_its_events_or_not_at_all(archive: Archive) -> None:
    archive.save_sync_batch([make_event("$ok")], [RoomSummary(OPS, "Operations")], "t1")
    broken = make_event("$bad", content={"body": "chart", "value": object()})
    with pytest.raises(StoreError, match=r"\$bad"):
        archive.save_sync_batch(
            [make_event("$good", ts=2_000), broken],
            [RoomSummary(OPS, "Renamed", last_ts=9_999)],
            "t2",
        )
    assert archive.sync_token() == "t1"
    assert archive.event("$good") is None
    assert archive.count() == 1
    assert archive.rooms() == [RoomSummary(OPS, "Operations", last_ts=1_000)]

    # A failure in the database itself, after the events were written, undoes them too.
    unnamed = RoomSummary(DELEGATION, None)  # type: ignore[arg-type]  # violates NOT NULL
    with pytest.raises(StoreError, match="Could not save the synced events"):
        archive.save_sync_batch([make_event("$good", ts=2_000)], [unnamed], "t3")
    assert archive.sync_token() == "t1"
    assert archive.event("$good") is None
    assert archive.verify_chain(OPS)


def test_sync_token_belongs_to_one_account(engine: Engine) -> None:
    Archive(engine, ME).save_sync_batch([], [], "mine")
    other = Archive(engine, "@observer:ops.example")
    assert other.sync_token() is None
    other.save_sync_batch([], [], "theirs")
    assert Archive(engine, ME).sync_token() == "mine"
    Archive(engine, ME).save_sync_batch([], [], None)  # no token: keep the old one
    assert Archive(engine, ME).sync_token() == "mine"


def test_room_list_follows_latest_activity(archive: Archive) -> None:
    archive.save_sync_batch(
        [make_event("$d", DELEGATION, ts=5_000)],
        [RoomSummary(OPS, "Operations", encrypted=True, last_ts=3_000)],
        "t1",
    )
    assert archive.rooms() == [
        RoomSummary(DELEGATION, DELEGATION, last_ts=5_000),  # named by id until its summary
        RoomSummary(OPS, "Operations", encrypted=True, last_ts=3_000),
    ]
    archive.save_sync_batch(
        [make_event("$o", OPS, ts=7_000)],
        [RoomSummary(DELEGATION, "Delegation Geneva", encrypted=True, last_ts=0)],
        "t2",
    )
    assert archive.rooms() == [
        RoomSummary(OPS, "Operations", encrypted=True, last_ts=7_000),
        RoomSummary(DELEGATION, "Delegation Geneva", encrypted=True, last_ts=5_000),
    ]


def test_a_room_left_is_listed_left_for_its_account_until_a_sync_brings_it_joined(
    engine: Engine,
) -> None:
    """What a batch says we left (``SyncBatch.left``) is kept with it: the room state
    may hold no leave of ours (the sync screen took the room out whole)."""
    mine, other = Archive(engine, ME), Archive(engine, "@observer:ops.example")
    ops, delegation = RoomSummary(OPS, "Operations"), RoomSummary(DELEGATION, "Geneva")
    mine.save_sync_batch([], [ops, delegation], "t1")

    def left(archive: Archive) -> set[str]:
        return {room.room_id for room in archive.rooms() if room.left}

    mine.save_sync_batch([], [], "t2", left=[OPS])
    mine.save_sync_batch([], [], "t3", left=[OPS, OPS])  # told again: still one room
    assert (left(mine), left(other)) == ({OPS}, set())
    mine.save_sync_batch([], [ops], "t4")  # joined again (an invitation back accepted)
    assert left(mine) == set()
    mine.save_sync_batch([], [ops], "t5", left=[OPS])  # left and back within one batch
    assert left(mine) == set()


def test_recent_events_are_the_newest_oldest_first_with_stable_ties(archive: Archive) -> None:
    # Out of order arrival, two events in the same millisecond.
    archive.save_sync_batch(
        [make_event("$c", ts=30), make_event("$a", ts=10), make_event("$b1", ts=20)],
        [],
        "t1",
    )
    archive.save_sync_batch([make_event("$b2", ts=20), make_event("$x", DELEGATION, ts=15)], [], "")
    ids = [e.event_id for e in archive.recent_events(OPS)]
    assert ids == ["$a", "$b1", "$b2", "$c"]
    assert [e.event_id for e in archive.recent_events(OPS, limit=2)] == ["$b2", "$c"]
    assert [e.event_id for e in archive.recent_events(OPS, limit=2, before_ts=20)] == ["$a"]
    assert archive.count(OPS) == 4
    assert archive.count() == 5


def test_hash_chain_covers_the_source_and_detects_tampering(
    archive: Archive, engine: Engine
) -> None:
    events = [make_event(f"$e{i}", ts=i) for i in range(5)]
    archive.save_sync_batch(events[:3], [], "t1")
    archive.save_sync_batch([*events[3:], make_event("$d", DELEGATION)], [], "t2")

    expected = ""
    for ev in events:
        canonical = json.dumps(ev.source, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        expected = hashlib.sha256((expected + canonical).encode()).hexdigest()
    assert archive.chain_head(OPS) == expected
    assert archive.verify_chain(OPS)

    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE events SET source = replace(source, 'c-$e2', 'forged') WHERE event_id='$e2'"
            )
        )
    assert not archive.verify_chain(OPS)
    assert archive.verify_chain(DELEGATION)


# ---- outbox -------------------------------------------------------------------------


def test_queued_message_survives_a_restart(db_url: str) -> None:
    eng = open_outbox_database(_beside(db_url))
    item = Outbox(eng).enqueue(DELEGATION, "org.openopsroom.instruction", {"subject": "هدنة"})
    eng.dispose()

    assert item.txn_id.startswith("oor") and len(item.txn_id) == 35
    assert item.state is OutboxState.PENDING and item.created_at > 0

    eng = open_outbox_database(_beside(db_url))
    try:
        again = Outbox(eng)
        assert again.pending() == [item]
        assert again.get(item.txn_id) == item
    finally:
        eng.dispose()


def test_outbox_sends_in_order_and_a_row_is_marked_sent_once(outbox: Outbox) -> None:
    first = outbox.enqueue(OPS, "org.openopsroom.entry", {"body": "one"})
    second = outbox.enqueue(OPS, "org.openopsroom.entry", {"body": "two"})
    assert [i.txn_id for i in outbox.pending()] == [first.txn_id, second.txn_id]

    sent = outbox.mark_sent(first.txn_id, "$echo1")
    assert sent is not None and sent.state is OutboxState.SENT and sent.event_id == "$echo1"
    assert outbox.mark_sent(first.txn_id, "$echo1") is None  # the echo after the answer
    assert outbox.get(first.txn_id) == sent
    assert outbox.mark_failed(first.txn_id, "late refusal") is None  # sent stays sent
    assert outbox.get(first.txn_id) == sent
    assert outbox.mark_sent("oor-unknown", "$nope") is None
    assert outbox.pending() == [second]
    assert outbox.items(OPS) == [second]
    assert outbox.items(OPS, states=[OutboxState.SENT]) == [sent]


def test_refused_message_is_kept_and_retried_with_the_same_txn_id(outbox: Outbox) -> None:
    item = outbox.enqueue(DELEGATION, "org.openopsroom.instruction", {"body": "hold position"})
    failed = outbox.mark_failed(item.txn_id, "M_FORBIDDEN: not allowed")
    assert failed is not None and failed.state is OutboxState.FAILED
    assert failed.error == "M_FORBIDDEN: not allowed"
    assert outbox.pending() == []
    assert outbox.items(DELEGATION) == [failed]
    assert outbox.mark_failed("oor-unknown", "x") is None

    retried = outbox.retry(item.txn_id)
    assert retried is not None
    assert (retried.txn_id, retried.state, retried.error) == (item.txn_id, OutboxState.PENDING, "")
    assert outbox.pending() == [retried]
    assert outbox.retry(item.txn_id) is None  # pending already: nothing changed
    assert outbox.retry("oor-unknown") is None


# ---- credentials --------------------------------------------------------------------

CREDS = Credentials(
    homeserver="https://matrix.ops.example",
    user_id=ME,
    device_id="OORDEVICE",
    access_token="syt_secret_token",
    pickle_key="pickle-secret",
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_credentials_are_private_and_round_trip(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "data", use_keyring=False)
    assert store.load() is None
    store.save(CREDS)

    secrets = tmp_path / "data" / "credentials.json"
    session = tmp_path / "data" / "session.json"
    assert _mode(secrets) == 0o600
    assert store.location == str(secrets)
    assert "syt_secret_token" not in session.read_text(encoding="utf-8")
    assert CredentialStore(tmp_path / "data", use_keyring=False).load() == CREDS

    store.clear()
    assert not secrets.exists() and not session.exists()
    assert store.load() is None


def test_damaged_credentials_file_gives_a_readable_error(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path, use_keyring=False)
    store.save(CREDS)
    (tmp_path / "credentials.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match=r"credentials\.json is damaged"):
        store.load()
    (tmp_path / "session.json").write_text("[]", encoding="utf-8")
    with pytest.raises(StoreError, match=r"session\.json is damaged"):
        store.load()


def test_missing_secret_means_no_saved_login(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path, use_keyring=False)
    store.save(CREDS)
    (tmp_path / "credentials.json").unlink()
    assert store.load() is None


class MemoryKeyring:
    """Duck-typed keyring backend (not a KeyringBackend subclass, which would register
    itself process-wide and change which keyring other tests discover)."""

    name = "Memory"
    priority = 5

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken
        self.secrets: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.broken:
            raise RuntimeError("keyring is locked")
        self.secrets[service, username] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[service, username]


def test_keyring_keeps_the_secret_when_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = MemoryKeyring()
    monkeypatch.setattr("keyring.get_keyring", lambda: ring)
    monkeypatch.delenv("OOR_CREDENTIALS", raising=False)
    store = CredentialStore(tmp_path)
    assert store.location == "system keyring (Memory)"
    store.save(CREDS)
    assert not (tmp_path / "credentials.json").exists()
    assert "pickle-secret" in ring.secrets["org.openopsroom", ME]
    assert CredentialStore(tmp_path).load() == CREDS
    store.clear()
    assert ring.secrets == {}
    assert store.load() is None


def test_file_mode_forced_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("keyring.get_keyring", MemoryKeyring)
    monkeypatch.setenv("OOR_CREDENTIALS", "file")
    assert CredentialStore(tmp_path).location == str(tmp_path / "credentials.json")


def test_keyring_errors_fall_back_to_the_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("keyring.get_keyring", lambda: MemoryKeyring(broken=True))
    store = CredentialStore(tmp_path, use_keyring=True)
    store.save(CREDS)
    assert _mode(tmp_path / "credentials.json") == 0o600
    assert store.location == str(tmp_path / "credentials.json")
    assert CredentialStore(tmp_path, use_keyring=True).load() == CREDS


def test_echoed_finds_our_archived_sends_only(tmp_path) -> None:
    engine = open_database(sqlite_url(tmp_path / "a.sqlite3"))
    try:
        archive = Archive(engine, ME)
        ours = replace(make_event("$mine", ts=1), txn_id="oor1", sender=ME)
        theirs = replace(make_event("$theirs", ts=2), txn_id="oor2", sender="@other:ops.example")
        archive.save_sync_batch([ours, theirs], [], "t1")
        assert archive.echoed(["oor1", "oor2", "oor3"], ME) == {"oor1": "$mine"}
    finally:
        engine.dispose()
