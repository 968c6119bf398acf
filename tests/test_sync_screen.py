"""Sync answers matrix-nio fails on, screened before it reads them again.

Synapse sends none of these (it checks what room members send, see
``bench/nio_sync_fuzz.py``); a faulty or hostile homeserver may. Each answer here stops
nio as it is, and the whole receive path with it: the same batch comes back on every
retry. Screened, nio takes the rest of it, and each part taken out is recorded with
its place; ``test_sync_screen_proxy`` runs the same through a real Synapse.
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import pytest
from nio import AsyncClient, ErrorResponse, RoomMessagesResponse, SyncResponse

from app.core.records import EventStatus
from app.core.sync_problems import SyncProblem, ToldOnce, summarize_sync
from app.matrix.screened_sync import room_traces
from app.matrix.sync_screen import screen_answer, screen_page

ME, PEER, ROOM = "@me:example.org", "@peer:example.org", "!ops:example.org"


def _message(n: int, **fields: Any) -> dict[str, Any]:
    event = {
        "type": "m.room.message",
        "sender": PEER,
        "event_id": f"$m{n}",
        "origin_server_ts": 1_700_000_000_000 + n,
        "content": {"msgtype": "m.text", "body": f"message {n}"},
    }
    return {**event, **fields}


def _answer() -> dict[str, Any]:
    """A joined room with two readable messages, and the other sections nio reads."""
    return {
        "next_batch": "s2",
        "rooms": {
            "join": {
                ROOM: {
                    "timeline": {"events": [_message(1), _message(2)], "limited": False},
                    "state": {"events": []},
                    "ephemeral": {"events": []},
                    "account_data": {"events": []},
                }
            }
        },
        "presence": {"events": []},
        "account_data": {"events": []},
    }


def _room(body: dict[str, Any]) -> dict[str, Any]:
    return body["rooms"]["join"][ROOM]


def _no_content(body: dict[str, Any]) -> None:
    event = _message(3)
    del event["content"]
    _room(body)["timeline"]["events"].insert(1, event)


def _odd_presence(body: dict[str, Any]) -> None:
    body["presence"]["events"].append({"type": "m.presence", "sender": PEER, "content": {}})


def _odd_receipt(body: dict[str, Any]) -> None:
    _room(body)["ephemeral"]["events"].append(
        {"type": "m.receipt", "content": {"$m1": {"org.example.seen": 1}}}
    )


def _limited_not_boolean(body: dict[str, Any]) -> None:
    _room(body)["timeline"]["limited"] = "yes"


def _account_data_null(body: dict[str, Any]) -> None:
    body["account_data"] = None


def _counters_not_objects(body: dict[str, Any]) -> None:
    _room(body)["unread_notifications"] = []


async def _nio_takes(body: dict[str, Any]) -> SyncResponse:
    """What nio makes of the answer, parsed and applied, as the sync loop would."""
    client = AsyncClient("https://example.org", ME)
    try:
        response = SyncResponse.from_dict(body)
        assert not isinstance(response, ErrorResponse), response
        await client.receive_response(response)
    finally:
        await client.close()
    return response


def _fails(body: dict[str, Any]) -> bool:
    try:
        asyncio.run(_nio_takes(body))
    except Exception:  # an exception, or the schema's error response (an AssertionError)
        return True
    return False


SHAPES = {
    "a timeline event without content": (_no_content, "timeline", "$m3"),
    "a presence event nio's schema refuses": (_odd_presence, "presence", ""),
    "a receipt of the wrong shape": (_odd_receipt, "ephemeral", ""),
    "limited that is no boolean": (_limited_not_boolean, "timeline", ""),
    "global account data that is null": (_account_data_null, "account_data", ""),
    "unread counters that are no object": (_counters_not_objects, "unread_notifications", ""),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_part_nio_fails_on_is_taken_out_recorded_and_the_rest_goes_through(shape: str) -> None:
    spoil, section, event_id = SHAPES[shape]
    body = _answer()
    spoil(body)
    assert _fails(copy.deepcopy(body))  # as it is, nio fails on the answer

    problems: list[SyncProblem] = []
    screen_answer(body, problems, {}, ME)
    response = asyncio.run(_nio_takes(body))

    bodies = [e.body for e in response.rooms.join[ROOM].timeline.events]
    assert bodies == ["message 1", "message 2"]  # nothing nio can read is lost
    assert [(p.section, p.event_id) for p in problems] == [(section, event_id)]
    assert problems[0].detail and problems[0].source
    assert problems[0].room_id == ("" if section in ("presence", "account_data") else ROOM)
    assert summarize_sync(problems)[0].startswith(f"1 {section} item")


def test_a_room_event_taken_out_leaves_a_malformed_row_in_its_room() -> None:
    body = _answer()
    _no_content(body)
    problems: list[SyncProblem] = []
    screen_answer(body, problems, {}, ME)
    (trace,) = room_traces(problems)
    assert (trace.event_id, trace.room_id, trace.sender) == ("$m3", ROOM, PEER)
    assert trace.status is EventStatus.MALFORMED and "KeyError" in trace.note
    assert trace.origin_ts == 1_700_000_000_003 and trace.source["event_id"] == "$m3"


def test_a_room_whose_id_nio_schema_skips_keeps_its_events() -> None:
    """Room version 12 ids have no server name, so nio's sync schema never looks into
    their rooms: a summary that is no object fails its parser, and a left room without
    a timeline fails it too. The room's messages still go through."""
    body = _answer()
    room = body["rooms"]["join"].pop(ROOM)
    room["summary"] = ["not", "an", "object"]
    body["rooms"]["join"]["!v12room"] = room
    body["rooms"]["leave"] = {"!v12left": {"state": {"events": []}}}
    assert _fails(copy.deepcopy(body))

    problems: list[SyncProblem] = []
    screen_answer(body, problems, {}, ME)
    response = asyncio.run(_nio_takes(body))

    bodies = [e.body for e in response.rooms.join["!v12room"].timeline.events]
    assert bodies == ["message 1", "message 2"]
    assert [(p.section, p.room_id) for p in problems] == [("summary", "!v12room")]
    assert "!v12left" in response.rooms.leave


def test_a_room_nio_still_fails_on_keeps_its_readable_events() -> None:
    """A shape none of the checks knows (here a left room, whose id nio's schema skips,
    with a timeline ``limited`` that is no boolean: nio's parser refuses it): the room
    is kept with the events nio reads one by one, not taken out with its messages."""
    body = _answer()
    room = body["rooms"].pop("join")[ROOM]
    room["timeline"]["limited"] = "yes"
    body["rooms"]["leave"] = {"!v12left": room}
    assert _fails(copy.deepcopy(body))

    problems: list[SyncProblem] = []
    screen_answer(body, problems, {}, ME)
    response = asyncio.run(_nio_takes(body))

    bodies = [e.body for e in response.rooms.leave["!v12left"].timeline.events]
    assert bodies == ["message 1", "message 2"]
    assert [(p.section, p.room_id) for p in problems] == [("leave", "!v12left")]
    assert "kept with only the events" in problems[0].detail


def test_a_batch_fetched_again_after_a_failed_write_tells_its_parts_once() -> None:
    """The archive write failed, so the step is retried from the same token: the same
    junk is screened out again, and the person is not told about it again."""
    body = _answer()
    _no_content(body)
    told = ToldOnce()
    first: list[SyncProblem] = []
    screen_answer(copy.deepcopy(body), first, {}, ME)
    again: list[SyncProblem] = []
    screen_answer(copy.deepcopy(body), again, {}, ME)
    assert told.untold("s1", first) == first and len(first) == 1
    assert told.untold("s1", again) == []
    assert told.untold("s2", again) == again  # the same junk in a later batch is news


def _no_content_in_page(page: dict[str, Any]) -> None:
    event = _message(3)
    del event["content"]
    page["chunk"].insert(1, event)


def _page_fails(page: dict[str, Any]) -> bool:
    try:
        response = RoomMessagesResponse.from_dict(page, ROOM)
    except Exception:  # an exception, or the schema's error response
        return True
    return isinstance(response, ErrorResponse)


def _page_parsed(page: dict[str, Any]) -> RoomMessagesResponse:
    response = RoomMessagesResponse.from_dict(page, ROOM)
    assert isinstance(response, RoomMessagesResponse), response
    return response


PAGE_SHAPES = {
    "an event without content": (_no_content_in_page, ["message 2", "message 1"], "$m3"),
    "an entry that is no object": (lambda p: p["chunk"].append(5), ["message 2", "message 1"], ""),
    "a chunk that is no list": (lambda p: p.update(chunk={"events": []}), [], ""),
}


@pytest.mark.parametrize("shape", PAGE_SHAPES)
def test_a_history_page_keeps_the_events_nio_reads_and_records_the_others(shape: str) -> None:
    """A /messages page nio fails on, screened: what it reads goes through, each other
    part is a ``history`` part of the record, a malformed row if it has an id."""
    spoil, bodies, event_id = PAGE_SHAPES[shape]
    page = {"chunk": [_message(2), _message(1)], "start": "t2", "end": "t1"}
    spoil(page)
    assert _page_fails(copy.deepcopy(page))  # as it is, nio fails on the page

    problems: list[SyncProblem] = []
    screen_page(page, ROOM, problems)
    assert [e.body for e in _page_parsed(page).chunk] == bodies
    assert [(p.section, p.room_id, p.event_id) for p in problems] == [("history", ROOM, event_id)]
    assert [t.event_id for t in room_traces(problems)] == ([event_id] if event_id else [])


def test_an_event_taken_out_under_an_id_the_server_cannot_give_gets_a_local_id() -> None:
    """Its row is keyed like an id-less event's (the same at every delivery), never by
    the raw text its sender wrote, which scroll-back or a pin would send to the server."""
    source = json.dumps({"type": "m.room.message", "event_id": "not-a-server-id"})
    problem = SyncProblem("timeline", "nio failed", ROOM, "not-a-server-id", source=source)
    (trace,) = room_traces([problem])
    assert trace.event_id.startswith("local:")
    assert [t.event_id for t in room_traces([problem])] == [trace.event_id]
