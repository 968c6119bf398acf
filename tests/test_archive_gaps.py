"""The archive keeps the holes in a room's history until they are filled: noted once,
moved on as fills fetch part of them, closed when filled, each account's its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from app.store import Archive, open_database, sqlite_url

ME, OTHER, ROOM = "@me:ops.example", "@other:ops.example", "!ops:ops.example"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = open_database(sqlite_url(tmp_path / "archive.db"))
    yield eng
    eng.dispose()


def _open(archive: Archive) -> list[tuple[str, str, int]]:
    return [(g.room_id, g.token, g.tries) for g in archive.history_gaps()]


def test_a_hole_is_noted_once_and_kept_across_a_reopen(engine: Engine, tmp_path: Path) -> None:
    archive = Archive(engine, ME)
    archive.note_gap(ROOM, "t1")
    archive.note_gap(ROOM, "t1")  # the same cut-short sync told twice
    engine.dispose()  # as the app does at sign-off
    again = open_database(sqlite_url(tmp_path / "archive.db"))
    try:
        assert _open(Archive(again, ME)) == [(ROOM, "t1", 0)]
        assert _open(Archive(again, OTHER)) == []  # another account's rooms are its own
    finally:
        again.dispose()


def test_a_fill_that_stops_short_moves_the_hole_and_counts_the_try(engine: Engine) -> None:
    archive = Archive(engine, ME)
    archive.note_gap(ROOM, "t1")
    assert archive.gap_left(ROOM, "t1", "t1") == 1  # refused: nothing came
    assert archive.gap_left(ROOM, "t1", "t0") == 2  # part came: the rest lies behind t0
    assert _open(archive) == [(ROOM, "t0", 2)]
    assert archive.gap_left(ROOM, "t1", "t-1") == 0  # that hole is no longer open at t1
    archive.gap_filled(ROOM, "t0")
    assert _open(archive) == [] and archive.history_gaps(ROOM) == []
