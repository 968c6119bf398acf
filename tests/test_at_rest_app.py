"""An account an older release left in plaintext, started by this one: the archive and
the drafts are encrypted on that start, with progress shown, and everything is still
there (real Synapse, the app's own Backend)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.services.notices import ArchiveEncrypting, LoginNeeded
from app.store.archive_keys import KEY_FILE
from app.store.sqlcipher import raw_key
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer

SECRET = "خط الممر الإنساني يفتح عند الفجر"


def decrypt_back(path: Path, key: bytes) -> None:
    """Turn the encrypted archive back into what an older release wrote: plaintext."""
    plain = path.with_name("older.sqlite3")
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f'PRAGMA key = "{raw_key(key)}"')
    conn.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(plain),))
    conn.execute("SELECT sqlcipher_export('plaintext')")
    conn.execute("DETACH DATABASE plaintext")
    conn.close()
    os.replace(plain, path)


async def test_an_older_plaintext_account_is_encrypted_on_the_next_start(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice = await Peer(tmp_path / "alice", make_account("alice")).login(homeserver)
    room = await alice.account.create_room("Delegation feed")
    pending = await alice.account.send_text(room, SECRET)
    await alice.wait_for(lambda: alice.sent(pending.txn_id), "the send")
    await alice.wait_text(room, SECRET)  # the server's echo is archived
    user_id = alice.user_id
    await alice.close()

    data = DataDir(tmp_path / "alice")
    archive, key_file = data.archive(user_id), data.account(user_id) / KEY_FILE
    decrypt_back(archive, bytes.fromhex(key_file.read_text("ascii")))
    key_file.unlink()  # an older release had no key
    drafts = data.account(user_id) / "composer.json"
    drafts.write_text(f'{{"drafts": {{"{room}": "{SECRET}"}}}}', encoding="utf-8")
    assert SECRET.encode() in archive.read_bytes()

    restarted = Peer(tmp_path / "alice")
    await restarted.backend.start()
    try:
        assert not [n for n in restarted.notices if isinstance(n, LoginNeeded)]
        shown = [n for n in restarted.notices if isinstance(n, ArchiveEncrypting)]
        assert shown and shown[-1].done == shown[-1].total  # progress, up to done
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(archive).execute("SELECT count(*) FROM events").fetchone()
        assert SECRET.encode() not in archive.read_bytes()
        assert SECRET.encode() not in drafts.read_bytes()
        assert await restarted.backend.composer_drafts() == {room: SECRET}

        loaded = await restarted.account.open_room(room)
        assert SECRET in [e.content.get("body") for e in loaded.events]
    finally:
        await restarted.close()
