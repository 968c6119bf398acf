"""What a room member encrypts cannot stop our sync, whatever shape its plaintext has.

The homeserver relays ciphertext it cannot read, so no check of Synapse's stands between
a member's plaintext and matrix-nio's parser: ``"unsigned": 5`` made nio 0.26 raise a
TypeError while parsing the decrypted event, out of the whole sync answer, on every
retry; the screen of a failed answer does not decrypt, so nothing was taken out and our
client received nothing more, for ever. Now each such event is a malformed row of its
room (the archive keeps the ciphertext, the note says why) and receiving goes on. The
sender is a plain matrix-nio client encrypting hand-made plaintext, as any client could.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from nio import AsyncClient

from app.core.records import EventStatus, RoomEvent
from app.homeserver import EmbeddedHomeserver
from tests.peers import Peer, raw_send_text
from tests.plain_member import (
    PlainMemberRoom,
    give_room_key,
    hold_back_room_key,
    put_encrypted,
    put_plaintext_bytes,
)

TEXT = {"msgtype": "m.text", "body": "x"}
# A payload's own id, sender and time, which nio's schema would then keep on a bad event.
CLAIMS = {"event_id": "$chosen-by-the-member", "sender": "@someone:else", "origin_server_ts": 1}
# Plaintexts nio's parser raises on, or its schema refuses before the event has an id.
SHAPES: dict[str, dict[str, Any]] = {
    "unsigned a number": {"type": "m.room.message", "content": TEXT, "unsigned": 5},
    "unsigned a list": {"type": "m.room.message", "content": TEXT, "unsigned": [1]},
    "unsigned a text": {"type": "m.room.message", "content": TEXT, "unsigned": "u"},
    "content a number": {"type": "m.room.message", "content": 5},
    "content a list": {"type": "m.room.message", "content": [TEXT]},
    "content null": {"type": "m.room.message", "content": None},
    "type a number": {"type": 5, "content": TEXT},
    "no type": {"content": TEXT},
    "no content": {"type": "m.room.message"},
    "body a huge number": {
        "type": "m.room.message",
        "content": {"msgtype": "m.text", "body": 10**30},
    },
    "its own id, content a number": {"type": "m.room.message", "content": 5} | CLAIMS,
    "its own id, no content": {"type": "m.room.message"} | CLAIMS,
    "redacted_because a number": {
        "type": "m.room.message",
        "content": TEXT,
        "unsigned": {"redacted_because": 5},
    },
}


# Plaintexts that are no JSON object at all, with the reason the row must give. nio 0.26
# calls "not JSON" an EncryptionError, its "no key yet": such a row waited for ever.
NOT_AN_OBJECT: dict[str, tuple[bytes, str]] = {
    "not JSON": (b"hello, not JSON", "not valid JSON"),
    "empty": (b"", "not valid JSON"),
    "cut short": (b'{"type": "m.room.message", "content": {', "not valid JSON"),
    "a JSON array": (b'[{"type": "m.room.message"}]', "not a JSON object"),
    "a JSON string": (b'"m.room.message"', "not a JSON object"),
    "a JSON number": (b"5", "not a JSON object"),
    "NaN": (b"NaN", "not a JSON object"),
    "not UTF-8": (b'{"type": "\xff\xfe"}', "not UTF-8 text"),
}


async def _rows_once_shown(
    alice: Peer, mallory: AsyncClient, room: str, sent: Iterable[str]
) -> dict[str, RoomEvent]:
    """Alice's rows by event id, once a message mallory sends after ``sent`` is shown
    and each of ``sent`` has a row."""
    await raw_send_text(mallory, room, "After the odd ones")
    await alice.wait_text(room, "After the odd ones")
    await alice.wait_for(
        lambda: all(any(e.event_id == i for e in alice.events()) for i in sent),
        "a row for each odd one",
    )
    return {e.event_id: e for e in alice.events()}


def _malformed(peer: Peer, event_id: str) -> bool:
    return any(
        e.event_id == event_id and e.status is EventStatus.MALFORMED and e.note
        for e in peer.events()
    )


async def test_no_decrypted_payload_shape_stops_receiving(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom
) -> None:
    async with plain_member_room("mallory", "Operations") as side:
        alice, mallory, room = side.alice, side.raw, side.room
        await raw_send_text(mallory, room, "Hello")
        await alice.wait_text(room, "Hello")  # alice holds mallory's room key
        sent = {
            shape: await put_encrypted(homeserver, mallory, room, dict(plaintext))
            for shape, plaintext in SHAPES.items()
        }
        # A number too big for any JSON parser but Python's: a message like any other.
        huge = {"type": "m.room.message", "content": TEXT | {"n": 10**400}}
        sent_huge = await put_encrypted(homeserver, mallory, room, huge)
        rows = await _rows_once_shown(alice, mallory, room, sent.values())
        assert {s: rows[i].status for s, i in sent.items() if not _malformed(alice, i)} == {}
        assert rows[sent_huge].status is EventStatus.OK
        unsigned = rows[sent["unsigned a number"]]
        assert unsigned.sender == mallory.user_id and unsigned.room_id == room
        assert "unreadable" in unsigned.note and "TypeError" in unsigned.note
        for shape in ("its own id, content a number", "its own id, no content"):
            claimed = rows[sent[shape]]  # under the envelope's id, from its sender
            assert (claimed.sender, claimed.origin_ts > 1) == (mallory.user_id, True)
        assert CLAIMS["event_id"] not in rows
        for shape in ("unsigned a number", "no content"):
            stored = await alice.account.db(alice.account.archive.event, sent[shape])
            assert stored is not None and stored.status is EventStatus.MALFORMED
            assert stored.source["type"] == "m.room.encrypted"  # the ciphertext is kept
            assert stored.source["content"]["ciphertext"]


async def test_a_plaintext_that_is_no_json_object_is_malformed_not_waiting_for_a_key(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom
) -> None:
    """Alice holds mallory's room key; what mallory encrypts is no JSON object. Each is
    a malformed row of the room, under its envelope, with the ciphertext kept and a
    reason a person can read, not a message waiting for a key that cannot help."""
    async with plain_member_room("mallory", "Operations") as side:
        alice, mallory, room = side.alice, side.raw, side.room
        await raw_send_text(mallory, room, "Hello")
        await alice.wait_text(room, "Hello")  # alice holds mallory's room key
        sent = {
            shape: await put_plaintext_bytes(homeserver, mallory, room, plaintext)
            for shape, (plaintext, _) in NOT_AN_OBJECT.items()
        }
        rows = await _rows_once_shown(alice, mallory, room, sent.values())
        stored = await alice.account.db(alice.account.archive.event, sent["not JSON"])
    assert {s: rows[i].status for s, i in sent.items() if not _malformed(alice, i)} == {}
    notes = {shape: rows[i].note for shape, i in sent.items()}
    assert {s: n for s, n in notes.items() if NOT_AN_OBJECT[s][1] not in n} == {}
    assert {(rows[i].sender, rows[i].room_id) for i in sent.values()} == {(mallory.user_id, room)}
    assert stored is not None and stored.status is EventStatus.MALFORMED
    assert "not valid JSON" in stored.note
    assert stored.source["content"]["ciphertext"]  # the ciphertext is kept


async def test_a_plaintext_nested_too_deeply_does_not_stop_receiving(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom
) -> None:
    """About a kilobyte of brackets made Python's JSON parser raise RecursionError while
    decrypting, which nio does not catch: the sync step failed on the same batch for
    ever, and nothing the room said after it reached us. Now each is a malformed row and
    mallory's next message is shown."""
    async with plain_member_room("mallory", "Operations") as side:
        alice, mallory, room = side.alice, side.raw, side.room
        await raw_send_text(mallory, room, "Hello")
        await alice.wait_text(room, "Hello")  # alice holds mallory's room key
        deep = [
            await put_plaintext_bytes(homeserver, mallory, room, plaintext)
            for plaintext in (b"[" * 5000, b"[" * 5000 + b"]" * 5000, b'{"a": ' * 2000)
        ]
        rows = await _rows_once_shown(alice, mallory, room, deep)
    assert [rows[i].status for i in deep] == [EventStatus.MALFORMED] * 3
    assert all("nested too deeply" in rows[i].note for i in deep)
    assert {rows[i].sender for i in deep} == {mallory.user_id}


@pytest.mark.parametrize(
    ("plaintext", "reason"),
    [
        ({"type": "m.room.message", "content": TEXT, "unsigned": 5}, "TypeError"),
        (b"hello, not JSON", "not valid JSON"),
    ],
    ids=["unsigned a number", "not JSON"],
)
async def test_an_odd_payload_opened_once_its_key_arrives_is_malformed_not_waiting(
    homeserver: EmbeddedHomeserver,
    plain_member_room: PlainMemberRoom,
    plaintext: dict[str, Any] | bytes,
    reason: str,
) -> None:
    """The late decryption path: the event came before its key, so it was archived
    undecrypted; when the key comes, its unreadable payload makes it malformed (before,
    nio's error was taken for 'still no key' and the row waited for ever)."""
    async with plain_member_room("mallory", "Operations") as side:
        alice, mallory, room = side.alice, side.raw, side.room
        await raw_send_text(mallory, room, "Hello")
        await alice.wait_text(room, "Hello")
        hold_back_room_key(mallory, room)
        if isinstance(plaintext, bytes):
            early = await put_plaintext_bytes(homeserver, mallory, room, plaintext)
        else:
            early = await put_encrypted(homeserver, mallory, room, plaintext)
        await alice.wait_for(
            lambda: any(
                e.event_id == early and e.status is EventStatus.UNDECRYPTED for e in alice.events()
            ),
            "the event, waiting for its key",
        )
        await give_room_key(mallory, room)
        await raw_send_text(mallory, room, "Now with the key")
        await alice.wait_text(room, "Now with the key")
        await alice.wait_for(lambda: _malformed(alice, early), "the event, malformed")
        stored = await alice.account.db(alice.account.archive.event, early)
        assert stored is not None and stored.status is EventStatus.MALFORMED
        assert reason in stored.note
