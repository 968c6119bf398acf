"""An archive from before the rooms-left record (migration 0010) knows the rooms its
account had left already: the migration notes them from the account's own member events,
so the room list says "no longer a member" of them, on SQLite as on the records keeper's
PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, insert

from app.store import Archive, open_database, schema, sqlite_url
from app.store.database import alembic_config
from app.store.keeper import with_driver

ME, OTHER = "@me:ops.example", "@other:ops.example"
LEFT, BANNED, JOINED, INVITED_BACK, OTHERS = (
    f"!{name}:ops.example" for name in ("left", "banned", "joined", "invited", "others")
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "archive.db")
    return with_driver(str(request.getfixturevalue("records_db")))  # the keeper's driver


def _member(room_id: str, user_id: str, membership: str) -> dict[str, object]:
    content = json.dumps({"membership": membership}, sort_keys=True, separators=(",", ":"))
    return {
        "room_id": room_id,
        "type": "m.room.member",
        "state_key": user_id,
        "event_id": f"${room_id}-{user_id}",
        "sender": user_id,
        "origin_ts": 1_000,
        "content": content,
    }


def _archive_at_0009(url: str) -> None:
    """An archive as release 0009 left it: my sync token; rooms I left, was banned
    from, am in, was invited back to; one another account (without a token here) left."""
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0009")
        conn.execute(
            insert(schema.sync_tokens), [{"account": ME, "next_batch": "s1", "updated_at": 0.0}]
        )
        rooms = (LEFT, BANNED, JOINED, INVITED_BACK, OTHERS)
        conn.execute(
            insert(schema.rooms),
            [
                {"room_id": r, "name": r, "encrypted": True, "is_space": False, "last_ts": 1}
                for r in rooms
            ],
        )
        members = [
            _member(LEFT, ME, "leave"),
            _member(BANNED, ME, "ban"),
            _member(JOINED, ME, "join"),
            _member(JOINED, OTHER, "leave"),  # someone else left: I am still in
            _member(INVITED_BACK, ME, "invite"),
            _member(OTHERS, OTHER, "leave"),
            _member(OTHERS, ME, "join"),
        ]
        conn.execute(insert(schema.room_state), members)
    engine.dispose()


def test_rooms_left_before_the_upgrade_are_listed_left_after_it(url: str) -> None:
    _archive_at_0009(url)
    engine = open_database(url)
    try:
        left = {room.room_id for room in Archive(engine, ME).rooms() if room.left}
        others = {room.room_id for room in Archive(engine, OTHER).rooms() if room.left}
    finally:
        engine.dispose()
    assert left == {LEFT, BANNED}
    assert others == set()  # no token here: not this archive's account
