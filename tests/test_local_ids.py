"""Events a server sends without an id get a local id that is the same at every delivery:
the same event twice is one row (nothing twice), two different ones are two (nothing lost)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nio import Event

from app.matrix.decode import to_record
from app.matrix.nio_client import ScreenedPage
from app.matrix.screened_sync import room_traces
from app.store import Archive, open_database, sqlite_url

ROOM = "!ops:ops.example"


def _delivered(body: str, age: int) -> dict[str, Any]:
    """An id-less message as one sync delivers it: ``unsigned`` differs per delivery."""
    return {
        "type": "m.room.message",
        "sender": "@lina:ops.example",
        "origin_server_ts": 1_700_000_000_000,
        "content": {"msgtype": "m.text", "body": body},
        "unsigned": {"age": age},
    }


def _record(source: dict[str, Any]) -> Any:
    return to_record(Event.parse_event(source), ROOM, source)


def test_an_id_less_event_delivered_twice_is_archived_once(tmp_path: Path) -> None:
    engine = open_database(sqlite_url(tmp_path / "archive.db"))
    try:
        archive = Archive(engine, "@amal:ops.example")
        first, again = _record(_delivered("hello", 10)), _record(_delivered("hello", 90_000))
        other = _record(_delivered("another", 10))
        assert first.event_id.startswith("local:")
        assert first.event_id == again.event_id != other.event_id
        archive.save_history([first])
        archive.save_history([again, other])
        assert archive.count(ROOM) == 2
    finally:
        engine.dispose()


def test_an_id_less_event_is_one_row_whether_a_sync_or_a_page_of_history_brought_it() -> None:
    """A sync's timeline events come without ``room_id``; /messages gives it."""
    synced = _delivered("hello", 10)
    paged = _delivered("hello", 90_000) | {"room_id": ROOM}
    assert _record(synced).event_id == _record(paged).event_id


def test_an_echo_of_ours_under_a_local_id_does_not_mark_the_message_sent(tmp_path: Path) -> None:
    """After a crash the outbox is matched to archived echoes: one without a server id
    does not prove the server holds the message, so it is still to be sent."""
    engine = open_database(sqlite_url(tmp_path / "archive.db"))
    try:
        archive = Archive(engine, "@amal:ops.example")
        source = _delivered("hello", 10) | {"sender": "@amal:ops.example"}
        source["unsigned"] = {"transaction_id": "oor1"}
        echo = _record(source)
        assert echo.event_id.startswith("local:") and echo.txn_id == "oor1"
        archive.save_history([echo])
        assert archive.echoed(["oor1"], "@amal:ops.example") == {}
    finally:
        engine.dispose()


def test_a_junk_id_taken_out_of_a_page_keeps_its_place_in_the_page() -> None:
    """The row of an event taken out under an id the server cannot have given (a local
    id) goes back between its neighbours, not to the page's oldest end."""
    said = {"msgtype": "m.text", "body": "said"}
    good = {"type": "m.room.message", "sender": "@lina:ops.example", "content": said}
    chunk = [
        good | {"event_id": "$newest", "origin_server_ts": 3},
        {  # nio cannot read it (prev_content not an object): taken out by the screen
            "type": "m.room.member",
            "sender": "@lina:ops.example",
            "state_key": "@lina:ops.example",
            "event_id": "junk",
            "origin_server_ts": 2,
            "content": {"membership": "join"},
            "unsigned": {"prev_content": 5},
        },
        good | {"event_id": "$oldest", "origin_server_ts": 1},
    ]
    problems: list[Any] = []
    page = ScreenedPage.from_dict({"chunk": chunk, "start": "s", "end": "e"}, ROOM, problems)
    (trace,) = room_traces(problems)
    assert trace.event_id.startswith("local:")
    assert page.order == ("$newest", trace.event_id, "$oldest")
