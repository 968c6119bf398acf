"""The archive and the account's small files encrypted at rest, as a thief and as the
owner see them: noise without the key, every row kept with it, a wrong key refused in a
sentence with nothing touched."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.store import Archive, JsonDocument, StoreError, open_database, sqlite_url
from app.store.archive_keys import KEY_FILE, SALT_FILE, SERVICE, ArchiveKeys, KeyMissing
from app.store.at_rest import Progress, open_archive
from app.store.sqlcipher import CONVERTING_SUFFIX
from tests.test_store import DELEGATION, ME, OPS, MemoryKeyring, make_event

SECRET = "الوفد يقبل الممر الإنساني"  # words a lost laptop must not give away


def file_keys(account: Path, passphrase: str | None = None) -> ArchiveKeys:
    """Keys as on a machine without a keyring: a key file, or a passphrase if given."""
    return ArchiveKeys(account, ME, keyring=None, passphrase=lambda: passphrase)


def archive_of(path: Path, keys: ArchiveKeys, progress: Progress) -> Engine:
    """The archive ``open_archive`` opens, its outbox closed (these tests read only it)."""
    engine, outbox, _file_key = open_archive(path, keys, progress)
    outbox.dispose()
    return engine


def fill(engine: Engine, rooms: int = 3, per_room: int = 40) -> None:
    archive = Archive(engine, ME)
    events = [
        make_event(f"$r{r}e{i}", f"!room{r}:ops.example", ts=1_000 + i, content={"body": SECRET})
        for r in range(rooms)
        for i in range(per_room)
    ]
    archive.save_sync_batch(events, [], "t1")


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            )
        ]
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


KILLED_MID_COPY = """
import os, signal, sys
from pathlib import Path
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive

def die(done, total):
    if 0 < done < total:
        os.kill(os.getpid(), signal.SIGKILL)

path = Path(sys.argv[1])
open_archive(path, ArchiveKeys(path.parent, "@x:y", keyring=None, passphrase=lambda: None), die)
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def never_called(done: int, total: int) -> None:
    raise AssertionError("no conversion was due")


def test_a_new_archive_cannot_be_read_without_its_key(tmp_path: Path) -> None:
    path = tmp_path / "account" / "archive.sqlite3"
    engine = archive_of(path, file_keys(path.parent), never_called)
    fill(engine)
    engine.dispose()

    plain = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        plain.execute("SELECT count(*) FROM events").fetchone()
    plain.close()
    assert SECRET.encode() not in path.read_bytes()
    assert "room0" not in path.read_bytes().decode("latin-1")  # not even the room ids

    engine = archive_of(path, file_keys(path.parent), never_called)  # the owner can
    assert Archive(engine, ME).count() == 120
    engine.dispose()


def test_a_plaintext_archive_is_converted_in_place_every_row_kept(tmp_path: Path) -> None:
    path = tmp_path / "account" / "archive.sqlite3"
    engine = open_database(sqlite_url(path))  # as an older release left it
    fill(engine)
    before = row_counts(engine)
    engine.dispose()
    assert SECRET.encode() in path.read_bytes()

    seen: list[tuple[int, int]] = []
    engine = archive_of(path, file_keys(path.parent), lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]  # progress was shown, up to done
    assert row_counts(engine) == before
    archive = Archive(engine, ME)
    assert all(archive.verify_chain(f"!room{r}:ops.example") for r in range(3))
    assert archive.event("$r2e39").content == {"body": SECRET}
    engine.dispose()
    assert SECRET.encode() not in path.read_bytes()
    assert not path.with_name(path.name + CONVERTING_SUFFIX).exists()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM events").fetchall()


def test_a_conversion_cut_short_leaves_the_plaintext_archive_whole(tmp_path: Path) -> None:
    path = tmp_path / "account" / "archive.sqlite3"
    engine = open_database(sqlite_url(path))
    fill(engine, rooms=2, per_room=400)
    before = row_counts(engine)
    engine.dispose()

    # The process is killed half-way through writing the encrypted copy (SIGKILL: no
    # cleanup of any kind runs), then the app starts again.
    child = subprocess.run(
        [sys.executable, "-c", KILLED_MID_COPY, str(path)],
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        capture_output=True,
        text=True,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert path.with_name(path.name + CONVERTING_SUFFIX).exists()  # the half-written copy
    engine = open_database(sqlite_url(path))  # still the plaintext archive, whole
    assert row_counts(engine) == before
    engine.dispose()

    engine = archive_of(path, file_keys(path.parent), lambda d, t: None)  # next start
    assert row_counts(engine) == before
    engine.dispose()
    assert not path.with_name(path.name + CONVERTING_SUFFIX).exists()


def test_a_wrong_key_is_a_sentence_and_leaves_the_file_untouched(tmp_path: Path) -> None:
    account = tmp_path / "account"
    path = account / "archive.sqlite3"
    engine = archive_of(path, file_keys(account), never_called)
    fill(engine)
    engine.dispose()
    kept = digest(path)
    files = sorted(p.name for p in account.iterdir())

    (account / KEY_FILE).write_text("ab" * 32, encoding="ascii")  # another key
    with pytest.raises(StoreError, match="cannot be opened with this key") as raised:
        open_archive(path, file_keys(account), never_called)
    assert "Traceback" not in str(raised.value)
    assert digest(path) == kept and sorted(p.name for p in account.iterdir()) == files

    (account / KEY_FILE).unlink()  # the key is gone altogether: no new empty archive
    with pytest.raises(KeyMissing, match="cannot be opened: it is encrypted"):
        open_archive(path, file_keys(account), never_called)
    assert digest(path) == kept and not (account / KEY_FILE).exists()


def test_a_passphrase_derives_the_key_where_there_is_no_keyring(tmp_path: Path) -> None:
    account = tmp_path / "account"
    path = account / "archive.sqlite3"
    engine = archive_of(path, file_keys(account, "correct horse"), never_called)
    fill(engine, rooms=1, per_room=3)
    engine.dispose()
    assert (account / SALT_FILE).is_file() and not (account / KEY_FILE).exists()

    engine = archive_of(path, file_keys(account, "correct horse"), never_called)
    assert Archive(engine, ME).count() == 3
    engine.dispose()
    with pytest.raises(StoreError, match="cannot be opened with this key"):
        open_archive(path, file_keys(account, "wrong horse"), never_called)
    with pytest.raises(KeyMissing):
        open_archive(path, file_keys(account, None), never_called)


def test_the_keyring_keeps_a_random_key_and_nothing_lands_on_disk(tmp_path: Path) -> None:
    account = tmp_path / "account"
    path = account / "archive.sqlite3"
    ring = MemoryKeyring()
    keys = ArchiveKeys(account, ME, keyring=ring, passphrase=lambda: None)  # type: ignore[arg-type]
    engine = archive_of(path, keys, never_called)
    engine.dispose()
    assert len(bytes.fromhex(ring.secrets[SERVICE, ME])) == 32
    assert not (account / KEY_FILE).exists() and not (account / SALT_FILE).exists()
    engine = archive_of(path, keys, never_called)
    engine.dispose()


def test_sealed_documents_hold_no_plaintext_and_older_ones_are_sealed(tmp_path: Path) -> None:
    account = tmp_path / "account"
    path = account / "archive.sqlite3"
    engine, outbox, key = open_archive(path, file_keys(account), never_called)
    engine.dispose()
    outbox.dispose()

    drafts = JsonDocument(account / "composer.json", key)
    drafts.save({"drafts": {OPS: SECRET}})
    assert SECRET.encode() not in drafts.path.read_bytes()
    assert SECRET not in drafts.path.read_bytes().decode("latin-1")
    assert drafts.load() == {"drafts": {OPS: SECRET}}

    older = JsonDocument(account / "notes.json")  # an older release wrote it plain
    older.save({"notes": [{"text": SECRET, "space_id": DELEGATION}]})
    sealed = JsonDocument(older.path, key)
    assert sealed.load()["notes"][0]["text"] == SECRET  # still readable, once
    assert sealed.seal_in_place()
    assert SECRET.encode() not in older.path.read_bytes()
    assert sealed.load()["notes"][0]["text"] == SECRET

    drafts.path.replace(account / "instructions.json")  # a sealed file under another name
    with pytest.raises(StoreError, match="cannot be opened with this key"):
        JsonDocument(account / "instructions.json", key).load()
