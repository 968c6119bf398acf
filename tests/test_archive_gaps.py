"""The archive keeps the holes in a room's history until they are filled: noted once,
moved on as fills fetch part of them, closed when filled, each account's its own."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from app.core.records import RoomEvent
from app.store import Archive, StoreError, open_database, sqlite_url
from app.store.keeper import with_driver
from tests.test_store import DELEGATION, OPS, make_event

ME, OTHER, ROOM = "@me:ops.example", "@other:ops.example", "!ops:ops.example"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "archive.db")
    return with_driver(str(request.getfixturevalue("records_db")))  # the keeper's driver


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    eng = open_database(url)
    yield eng
    eng.dispose()


def _open(archive: Archive) -> list[tuple[str, str, int]]:
    return [(g.room_id, g.token, g.tries) for g in archive.history_gaps()]


def test_a_hole_is_noted_once_and_kept_across_a_reopen(engine: Engine, url: str) -> None:
    archive = Archive(engine, ME)
    archive.note_gap(ROOM, "t1")
    archive.note_gap(ROOM, "t1")  # the same cut-short sync told twice
    engine.dispose()  # as the app does at sign-off
    again = open_database(url)
    try:
        assert _open(Archive(again, ME)) == [(ROOM, "t1", 0)]
        assert _open(Archive(again, OTHER)) == []  # another account's rooms are its own
    finally:
        again.dispose()


def test_a_cut_short_batch_notes_its_holes_with_its_token_or_not_at_all(engine: Engine) -> None:
    """A sync batch notes the holes it left in the transaction that moves the sync token:
    after a crash the archive holds both or neither (a token moved past a hole not noted
    loses its messages for good). A room new to the archive has no hole, and the caller
    hears of the noted ones only."""
    archive = Archive(engine, ME)
    archive.save_sync_batch([make_event("$before")], [], "t1")
    holes = {OPS: "before-t2", DELEGATION: "new-room"}
    batch = [make_event("$after", ts=2_000), make_event("$first", DELEGATION)]

    def crash(fresh: list[RoomEvent]) -> None:  # within the write, before its commit
        raise StoreError("Could not save the synced events: disk I/O error")

    noted: list[str] = []  # the rooms the fill has a hole to fetch in, once committed
    with pytest.raises(StoreError):
        archive.save_sync_batch(batch, [], "t2", crash, holes=holes, noted=noted.extend)
    assert (archive.sync_token(), _open(archive), noted) == ("t1", [], [])
    archive.save_sync_batch(batch, [], "t2", holes=holes, noted=noted.extend)
    assert (archive.sync_token(), _open(archive)) == ("t2", [(OPS, "before-t2", 0)])
    assert noted == [OPS]


def test_a_fill_that_stops_short_moves_the_hole_and_counts_the_try(engine: Engine) -> None:
    """A try is a fill that got nothing; one that moved the hole on made progress (a
    long hole over many fills must not run out of tries): its count starts again."""
    archive = Archive(engine, ME)
    archive.note_gap(ROOM, "t1")
    assert archive.gap_left(ROOM, "t1", "t1") == 1  # refused: nothing came
    assert archive.gap_left(ROOM, "t1", "t1") == 2  # again
    assert archive.gap_left(ROOM, "t1", "t0") == 0  # part came: the rest lies behind t0
    assert _open(archive) == [(ROOM, "t0", 0)]
    assert archive.gap_left(ROOM, "t0", "t0") == 1
    assert archive.gap_left(ROOM, "t1", "t-1") == 0  # that hole is no longer open at t1
    archive.gap_filled(ROOM, "t0")
    assert _open(archive) == [] and archive.history_gaps(ROOM) == []


def test_a_server_token_of_any_length_is_kept(engine: Engine) -> None:
    """A token is the server's opaque text: a long one (here 12,800 characters that do
    not compress) is noted, moved on and closed like any other."""
    long = "".join(hashlib.sha256(str(n).encode()).hexdigest() for n in range(200))
    archive = Archive(engine, ME)
    archive.note_gap(ROOM, long)
    archive.note_gap(ROOM, long)
    assert _open(archive) == [(ROOM, long, 0)]
    assert archive.gap_left(ROOM, long, long + "-older") == 0
    assert _open(archive) == [(ROOM, long + "-older", 0)]
    archive.gap_filled(ROOM, long + "-older")
    assert _open(archive) == []


def test_a_given_up_hole_is_kept_for_the_record_but_never_filled_again(engine: Engine) -> None:
    archive = Archive(engine, ME)
    archive.note_gap(ROOM, "t1")
    archive.note_gap(OPS, "t2")
    archive.gap_given_up(ROOM, "t1")  # forbidden: the server will not give it
    assert _open(archive) == [(OPS, "t2", 0)] and archive.history_gaps(ROOM) == []
    assert [(g.room_id, g.given_up) for g in archive.open_holes()] == [(ROOM, True), (OPS, False)]
    archive.note_gap(ROOM, "t1")  # the same cut-short sync told again: still given up
    assert archive.history_gaps(ROOM) == []
    archive.gap_filled(ROOM, "t1")  # should it ever come after all: closed
    assert [g.room_id for g in archive.open_holes()] == [OPS]
