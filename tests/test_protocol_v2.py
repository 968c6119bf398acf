"""Protocol 2.0 rules without a server: the message form round-trips to the 1.x record,
plain replies read as acks (English and Arabic), and the second lock judges both."""

from __future__ import annotations

from typing import Any

import pytest

from app.core import protocol, roles
from app.core.instructions import (
    Draft,
    Stage,
    ack_content,
    build_feed,
    instruction_content,
    instruction_message,
    reply_ack,
)
from app.core.records import EventStatus, RoomEvent
from app.core.timeline import EntryDraft, entry_content, entry_message
from app.services.authority import RoomAuthority

ROOM, FAC, AMAL, OMAR = "!geneva:x", "@fac:x", "@amal:x", "@omar:x"


def _reply(body: str, target: str = "$order", **extra: Any) -> dict[str, Any]:
    relation = {"m.in_reply_to": {"event_id": target}}
    return {"msgtype": "m.text", "body": body, "m.relates_to": relation, **extra}


@pytest.mark.parametrize(
    ("body", "stage", "note"),
    [
        ("done", Stage.DONE, ""),
        ("Done.", Stage.DONE, ""),
        ("> <@amal:x> Hold the corridor line\n> more\n\nAcknowledged", Stage.ACKNOWLEDGED, ""),
        ("received", Stage.RECEIVED, ""),
        ("unable: no quorum today", Stage.UNABLE, "no quorum today"),
        ("تم الاستلام", Stage.RECEIVED, ""),
        ("تمّ الإقرار", Stage.ACKNOWLEDGED, ""),
        ("علم", Stage.ACKNOWLEDGED, ""),
        ("تم التنفيذ", Stage.DONE, ""),
        ("تعذّر: لا يوجد نصاب", Stage.UNABLE, "لا يوجد نصاب"),
    ],
)
def test_a_plain_reply_reads_as_an_ack(body: str, stage: Stage, note: str) -> None:
    assert reply_ack(_reply(body)) == ("$order", stage, note)


@pytest.mark.parametrize(
    "content",
    [
        _reply("done, but only partly"),  # not the whole text: a remark, not an ack
        _reply("unable:"),  # unable needs a reason
        _reply("done", msgtype="m.notice"),  # a bot's notice answers nobody
        {"msgtype": "m.text", "body": "done"},  # not a reply to anything
    ],
)
def test_other_messages_are_not_acks(content: dict[str, Any]) -> None:
    assert reply_ack(content) is None


def test_a_thread_reply_answers_the_thread_root() -> None:
    relates = {"rel_type": "m.thread", "event_id": "$order", "m.in_reply_to": {"event_id": "$x"}}
    assert reply_ack({"msgtype": "m.text", "body": "done", "m.relates_to": relates}) == (
        "$order",
        Stage.DONE,
        "",
    )


def test_a_2_0_message_is_recorded_as_the_1_x_event_it_carries() -> None:
    old = instruction_content(Draft("Hold the line", "Do not concede.", "flash"), "r1")
    message = instruction_message(old, "geneva", "Geneva talks", "Do not concede.")
    assert message["msgtype"] == "m.text"
    assert message["body"].startswith("⚡ FLASH instruction to Geneva talks: Hold the line")
    assert "<strong>" in message["formatted_body"]
    kind, content = protocol.recorded("m.room.message", message)
    assert kind == roles.INSTRUCTION
    assert {k: v for k, v in content.items() if k != protocol.SENT_AS} == old
    assert content[protocol.SENT_AS]["body"] == message["body"]  # nothing lost
    assert protocol.problem(kind, content) == ""
    ack = ack_content("$order", "done")
    kind, content = protocol.recorded(
        "m.room.message", protocol.carried_message(roles.ACK, ack, "done", notice=True)
    )
    assert kind == roles.ACK and content["m.relates_to"] == ack["m.relates_to"]
    entry = entry_content(EntryDraft("rumour", "Bridge closed", "Heard twice"))
    kind, content = protocol.recorded("m.room.message", entry_message(entry, "Heard twice"))
    assert kind == roles.ENTRY and content["title"] == "Bridge closed"


def test_a_broken_payload_is_malformed_and_plain_chat_stays_chat() -> None:
    kind, content = protocol.recorded("m.room.message", {"body": "x", roles.REQUEST: "oops"})
    assert kind == roles.REQUEST and protocol.validate(kind, content)[0] is EventStatus.MALFORMED
    chat = {"msgtype": "m.text", "body": "hello"}
    assert protocol.recorded("m.room.message", chat) == ("m.room.message", chat)


def _state(event_type: str, content: dict[str, Any], key: str = "") -> RoomEvent:
    return RoomEvent(f"${event_type}{key}", ROOM, FAC, event_type, 1, content, state_key=key)


def _authority() -> RoomAuthority:
    levels = {
        "users": {FAC: 100, AMAL: 80, OMAR: 50},
        "events": {roles.ACK: 50, roles.INSTRUCTION: 80},
    }
    role = {"body": "delegate", "role": "delegate", "delegation": "geneva"}
    delegation = {"body": "d", "id": "geneva", "name": "Geneva", "tz": "Europe/Zurich"}
    return RoomAuthority(
        [
            _state("m.room.create", {"room_version": "11"}),
            _state("m.room.power_levels", levels),
            _state(roles.DELEGATION, delegation),
            _state(roles.ROLE, role, "omar:x"),
        ]
    )


def test_the_second_lock_judges_2_0_events_and_plain_acks() -> None:
    authority = _authority()
    old = instruction_content(Draft("Concede", ""), "r2")
    kind, content = protocol.recorded(
        "m.room.message", instruction_message(old, "geneva", "Geneva", "")
    )
    forged = authority.check(RoomEvent("$i", ROOM, OMAR, kind, 2, content))
    assert forged.status is EventStatus.FORGED  # a delegate may not instruct, in any form
    by_amal = authority.check(RoomEvent("$a", ROOM, AMAL, "m.room.message", 3, _reply("done")))
    assert by_amal.status is EventStatus.FORGED and "delegation" in by_amal.note
    by_omar = authority.check(RoomEvent("$o", ROOM, OMAR, "m.room.message", 4, _reply("done")))
    assert by_omar.status is EventStatus.OK
    chat = authority.check(RoomEvent("$c", ROOM, AMAL, "m.room.message", 5, _reply("Thanks")))
    assert chat.status is EventStatus.OK  # ordinary replies are not judged as acks


def test_a_plain_done_moves_the_row_and_says_where_it_came_from() -> None:
    order = RoomEvent(
        "$order", ROOM, AMAL, roles.INSTRUCTION, 1, instruction_content(Draft("Hold", ""), "r")
    )
    done = RoomEvent("$d", ROOM, OMAR, "m.room.message", 2, _reply("done"))
    chat = RoomEvent("$c", ROOM, OMAR, "m.room.message", 3, _reply("done", target="$chat"))
    feed = build_feed([order, done, chat], {ROOM: "geneva"}, 10)
    (row,) = feed.rows
    assert row.stage is Stage.DONE and row.stage_via_other_client and row.stage_by == OMAR
    assert not feed.suspects  # a "done" to a chat message is chat, not a stray ack
