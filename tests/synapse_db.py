"""What the server's administrator reads: every text in Synapse's own SQLite database.

Tests that claim "the server learns little" look there, not at our code's idea of what
it sent: whatever a value travelled in (state, ciphertext, a room name), if it is in the
database file as text, the administrator can read it.
"""

from __future__ import annotations

import sqlite3

from app.homeserver import EmbeddedHomeserver


def server_text(homeserver: EmbeddedHomeserver) -> list[tuple[str, str, str]]:
    """(table, text, lowered text) for every text (and blob) value of every table of
    Synapse's database, opened read-only."""
    [db] = list(homeserver.data_dir.rglob("homeserver.db"))
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    found = []
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for raw in row:
                    value = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
                    if isinstance(value, str):
                        found.append((table, value, value.lower()))
    finally:
        conn.close()
    return found


def leaked(homeserver: EmbeddedHomeserver, secrets: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, text) of every database value that contains one of ``secrets``."""
    return [
        (table, text[:120])
        for table, text, lowered in server_text(homeserver)
        for secret in secrets
        if secret.lower() in lowered
    ]
