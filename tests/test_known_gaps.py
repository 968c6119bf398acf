"""What a record says it lacks, read from a real archive (SQLite here; the keeper's
PostgreSQL in tests/test_keeper_gaps.py): a client's hole is placed only by when it was
noted, the keeper's after the room's last archived event (or from the room's start), and
`oor keeper`'s commands, which open the keeper's database without a login, see the holes
its service noted under its account."""

from __future__ import annotations

import time
from pathlib import Path

from app.core import roles
from app.core.records import RoomEvent, RoomSummary
from app.core.roles import RoomKind
from app.core.session import SessionRoom, session_content
from app.services.keeper import open_gaps
from app.services.records.known_gaps import known_gaps
from app.store import Archive, open_database, sqlite_url
from app.store.keeper import open_keeper_archive
from tests.test_store import DELEGATION, OPS, make_event

KEEPER = "@records:ops.example"
SPACE = "!space:ops.example"


def test_a_clients_hole_is_known_by_when_it_was_noted_and_nothing_more(tmp_path: Path) -> None:
    engine = open_database(sqlite_url(tmp_path / "archive.db"))
    try:
        archive = Archive(engine, "@me:ops.example")
        archive.save_history([make_event("$1", OPS, 1_000), make_event("$2", OPS, 2_000)])
        before = int(time.time() * 1000)
        archive.note_gap(OPS, "t1")  # a cut-short sync: what is missing came before it
        archive.note_gap(DELEGATION, "t2")
        gaps = known_gaps(archive, [OPS])
        assert [(g.room_id, g.after_event_id, g.from_start) for g in gaps] == [(OPS, "", False)]
        assert before <= gaps[0].noted_at_ms <= time.time() * 1000
    finally:
        engine.dispose()


def test_the_keepers_hole_follows_its_last_event_and_its_commands_see_it(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "keeper.db")
    service = open_keeper_archive(url, KEEPER)  # as `oor keeper run` opens it
    command = open_keeper_archive(url, "")  # as `oor keeper gaps` and `export` open it
    try:
        events = [make_event("$1", OPS, 1_000), make_event("$2", OPS, 2_000)]
        service.save_page(OPS, events, "t2")
        service.note_gap(OPS, "t2")  # banned after $2: the server serves no more
        service.note_gap(DELEGATION, "")  # banned before anything of it was read
        found = {
            (g.room_id, g.after_event_id, g.after_ms, g.from_start) for g in known_gaps(command)
        }
        assert found == {(OPS, "$2", 2_000, False), (DELEGATION, "", 0, True)}
        assert [g.room_id for g in known_gaps(command, [OPS])] == [OPS]
    finally:
        command.close()
        service.close()


def test_a_hole_closes_when_another_keeper_login_reads_past_it(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "keeper.db")
    first = open_keeper_archive(url, KEEPER)
    second = open_keeper_archive(url, "@records2:ops.example")  # a new keeper login
    command = open_keeper_archive(url, "")
    try:
        first.save_page(OPS, [make_event("$1", OPS, 1_000), make_event("$2", OPS, 2_000)], "t2")
        first.note_gap(OPS, "t2")  # banned after $2
        assert second.cursor(OPS) == "t2"  # the cursors are the record's: it reads on there
        second.save_page(OPS, [make_event("$3", OPS, 3_000), make_event("$4", OPS, 4_000)], "t4")
        second.save_page(OPS, [make_event("$5", OPS, 5_000)], "t5")
        assert known_gaps(command) == []  # nothing is missing after $2, nor after $4 or $5
    finally:
        command.close()
        second.close()
        first.close()


def _state(event_id: str, room_id: str, kind: str, key: str, content: dict) -> RoomEvent:
    """A state event as the server serves it (plain, not encrypted)."""
    source = {"event_id": event_id, "room_id": room_id, "type": kind, "state_key": key}
    return RoomEvent(event_id, room_id, "@fac:ops.example", kind, 1_000, content, key,
                     source=source | {"content": content})  # fmt: skip


def test_a_hole_in_a_room_nothing_was_read_of_is_the_sessions(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "keeper.db")
    service = open_keeper_archive(url, KEEPER)
    command = open_keeper_archive(url, "")
    rooms = [SessionRoom(RoomKind.OPERATIONS, OPS), SessionRoom(RoomKind.DELEGATION, DELEGATION)]
    try:
        convened = session_content("Evacuation", "convened", rooms)
        service.save_page(SPACE, [_state("$s", SPACE, roles.SESSION, "", convened)], "s1")
        parent = {"via": ["ops.example"], "canonical": True}
        service.save_page(OPS, [_state("$p", OPS, "m.space.parent", SPACE, parent)], "o1")
        service.save_rooms([RoomSummary(SPACE, "Evacuation", is_space=True)], "batch")
        service.note_gap(DELEGATION, "")  # banned before anything of the room was read
        for found in (open_gaps(command, SPACE), open_gaps(command)):
            assert [(g.space_id, g.gap.room_id, g.gap.from_start) for g in found] == [
                (SPACE, DELEGATION, True)
            ]
    finally:
        command.close()
        service.close()
