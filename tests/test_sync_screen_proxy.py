"""A homeserver that sends sync answers matrix-nio fails on: receiving goes on.

Synapse relays nothing of this kind from a room member (``bench/nio_sync_fuzz.py`` found
no such content), so the hostile homeserver here (``tests.hostile_homeserver``) is a
small proxy in front of the real Synapse: it forwards every call and rewrites each /sync
answer that holds one chosen message, adding one part nio fails on. Before the sync
screen, that answer failed on every retry and our client received nothing more, for
ever. Now the message beside the junk arrives, so does a later one from the plain
matrix-nio peer, the part taken out is recorded and told once, and no failure is shown.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from nio import AsyncClient, RoomSendResponse, ToDeviceMessage, ToDeviceResponse

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from app.services.verification.notices import VerificationChanged
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import Spoil, hostile_homeserver
from tests.peers import Peer, raw_join, raw_nio_client
from tests.plain_member import give_room_key, hold_back_room_key, put_ciphertext, put_encrypted

JUNK_ID = "$junk-without-content"


def _timeline_event_without_content(
    answer: dict[str, Any], room: dict[str, Any], sender: str
) -> None:
    """nio's parser indexes ``content``: a KeyError out of the whole answer."""
    junk = {"type": "m.room.message", "sender": sender, "event_id": JUNK_ID, "origin_server_ts": 1}
    room["timeline"]["events"].insert(0, junk)


def _presence_nio_refuses(answer: dict[str, Any], room: dict[str, Any], sender: str) -> None:
    """nio parses it to a bad event, then its presence handler reads ``user_id`` of it."""
    answer.setdefault("presence", {}).setdefault("events", []).append(
        {"type": "m.presence", "sender": sender, "content": {"presence": 5}}
    )


def _device_list_entry_not_a_user(
    answer: dict[str, Any], room: dict[str, Any], sender: str
) -> None:
    """nio's sync schema refuses the whole answer: an error response, not an exception.
    (Room parts are schema-checked only for ids with a server name, which room version
    12 ids lack: a top-level part it is.)"""
    answer["device_lists"] = {"changed": [sender, 5], "left": []}


def _room_not_an_object(answer: dict[str, Any], room: dict[str, Any], sender: str) -> None:
    """nio's sync schema refuses the room as a whole: it is taken out whole, and its
    messages must come by the gap fill (the token moves past them)."""
    joined = answer["rooms"]["join"]
    joined.update(
        {room_id: ["not", "a", "room"] for room_id, info in joined.items() if info is room}
    )


SHAPES: dict[str, tuple[Spoil, str]] = {
    "a timeline event without content": (_timeline_event_without_content, "timeline"),
    "a presence event nio's handler fails on": (_presence_nio_refuses, "presence"),
    "an answer nio's sync schema refuses": (_device_list_entry_not_a_user, "device_lists"),
    "a joined room that is no object": (_room_not_an_object, "join"),
}


async def _say(raw: AsyncClient, room: str, text: str) -> str:
    content = {"msgtype": "m.text", "body": text}
    sent = await raw.room_send(room, "m.room.message", content, ignore_unverified_devices=True)
    assert isinstance(sent, RoomSendResponse), sent
    return sent.event_id


@pytest.mark.parametrize("shape", SHAPES)
async def test_a_sync_answer_nio_fails_on_is_screened_and_receiving_goes_on(
    shape: str, homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    spoil, section = SHAPES[shape]
    async with _with_mallory(homeserver, make_account, tmp_path) as (alice, raw, room, proxy):
        await _say(raw, room, "Before the junk")  # the room key goes to alice
        payload = raw.olm.group_encrypt(room, _text("Beside the junk"))
        proxy.spoil, proxy.trigger = spoil, payload["ciphertext"]
        await put_ciphertext(homeserver, raw, room, payload)
        await alice.wait_for(lambda: proxy.spoiled >= 2, "the answer, fetched again")
        # A room taken out whole comes by the gap fill, which runs once events arrive.
        await _say(raw, room, "After the junk")
        await alice.wait_text(room, "After the junk")
        await alice.wait_text(room, "Beside the junk")  # nothing nio can read is lost
        kept = await alice.account.db(alice.account.archive.event, JUNK_ID)
        mallory = raw.user_id

    told = [n for n in alice.notices if isinstance(n, Problem)]
    assert [n.what for n in told] == ["sync_parts_skipped"], told  # no "receiving failed"
    assert f"1 {section} item" in told[0].detail
    if spoil is _timeline_event_without_content:  # a row in the room, kept in the archive
        row = next(e for e in alice.events() if e.event_id == JUNK_ID)
        assert row.status is EventStatus.MALFORMED and row.room_id == room
        assert row.sender == mallory and "content" in row.note
        assert kept is not None and kept.status is EventStatus.MALFORMED


async def test_a_verification_request_beside_junk_nio_fails_on_still_arrives(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """nio reads the answer's to-device events, then fails on its presence: the answer
    fetched again no longer carries what nio had read (rightly: an Olm message decrypts
    once), and a verification request taken out before nio saw it must not go with it."""
    mallory = make_account("mallory")
    raw = await raw_nio_client(homeserver, mallory.user_id, mallory.password, tmp_path / "raw")
    alice = Peer(tmp_path / "alice", make_account("alice"))
    assert alice.login_as is not None
    flow = uuid4().hex

    def asked() -> bool:
        return any(
            isinstance(n, VerificationChanged)
            and n.view.incoming
            and n.view.other_user == mallory.user_id
            for n in alice.notices
        )

    async with hostile_homeserver(homeserver.url) as proxy:
        try:
            assert await alice.backend.login(
                proxy.url, alice.login_as.user_id, alice.login_as.password
            )
            # nio's presence handler reads the bad event only while we are in some room.
            room = await alice.account.create_room("Operations")
            await alice.wait_for(lambda: alice.has_joined(room, alice.user_id), "our room")
            proxy.spoil, proxy.trigger = _presence_nio_refuses, flow
            request = {
                "from_device": raw.device_id,
                "methods": ["m.sas.v1"],
                "timestamp": int(time.time() * 1000),
                "transaction_id": flow,
            }
            device = alice.account.client.creds.device_id
            message = ToDeviceMessage("m.key.verification.request", alice.user_id, device, request)
            assert isinstance(await raw.to_device(message), ToDeviceResponse)
            await alice.wait_for(asked, "the verification request")
        finally:
            await raw.close()
            await alice.close()
    assert proxy.spoiled >= 2  # nio failed on it once, and it was fetched again


@asynccontextmanager
async def _with_mallory(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> AsyncIterator[tuple[Peer, AsyncClient, str, Any]]:
    """Alice signed in through the hostile proxy, mallory (plain nio) joined to her room;
    both closed after."""
    mallory = make_account("mallory")
    raw = await raw_nio_client(homeserver, mallory.user_id, mallory.password, tmp_path / "raw")
    alice = Peer(tmp_path / "alice", make_account("alice"))
    assert alice.login_as is not None and raw.olm is not None
    async with hostile_homeserver(homeserver.url) as proxy:
        try:
            assert await alice.backend.login(
                proxy.url, alice.login_as.user_id, alice.login_as.password
            )
            room = await alice.account.create_room("Operations", (mallory.user_id,))
            await raw_join(raw, room)
            await alice.wait_for(lambda: alice.has_joined(room, mallory.user_id), "the join")
            yield alice, raw, room, proxy
        finally:
            await raw.close()
            await alice.close()


@asynccontextmanager
async def _key_held_back(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> AsyncIterator[tuple[Peer, AsyncClient, str, Any]]:
    """``_with_mallory``: mallory's first message read, then her room key held back."""
    async with _with_mallory(homeserver, make_account, tmp_path) as (alice, raw, room, proxy):
        await _say(raw, room, "Before the key is held back")
        await alice.wait_text(room, "Before the key is held back")
        hold_back_room_key(raw, room)
        yield alice, raw, room, proxy


def _without_content(locked: str, envelope: dict[str, Any]) -> dict[str, Any]:
    return {"type": "m.room.message", "sender": envelope["sender"], "event_id": locked} | {
        "origin_server_ts": 1
    }


def _plain_message(locked: str, envelope: dict[str, Any]) -> dict[str, Any]:
    """The server's own text, as if the sender had written it."""
    return _without_content(locked, envelope) | {
        "content": _text("Forged by the server")["content"]
    }


def _echo_nio_refuses(locked: str, envelope: dict[str, Any]) -> dict[str, Any]:
    """The same ciphertext with one field nio's schema refuses: malformed, same ciphertext."""
    return envelope | {"event_id": locked, "content": envelope["content"] | {"session_id": 5}}


@pytest.mark.parametrize("forge", [_without_content, _plain_message, _echo_nio_refuses])
async def test_a_copy_under_the_id_of_a_message_waiting_for_its_key_does_not_replace_it(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    forge: Callable[[str, dict[str, Any]], dict[str, Any]],
) -> None:
    """The homeserver sends, under the id of a message alice cannot read yet, another
    copy: junk without content, its own plain text, the ciphertext with a field nio
    refuses. None is the message opened: it must not take the message's place (the
    server's text shown as the sender's, or a malformed row no key opens again)."""
    shared = _key_held_back(homeserver, make_account, tmp_path)
    async with shared as (alice, raw, room, proxy):
        payload = raw.olm.group_encrypt(room, _text("Locked for now"))
        locked = await put_ciphertext(homeserver, raw, room, payload)
        await alice.wait_for(
            lambda: any(
                e.event_id == locked and e.status is EventStatus.UNDECRYPTED for e in alice.events()
            ),
            "the message, waiting for its key",
        )
        envelope = {
            "type": "m.room.encrypted",
            "sender": raw.user_id,
            "origin_server_ts": 1,
            "content": payload,
        }

        def forged(answer: dict[str, Any], room_part: dict[str, Any], sender: str) -> None:
            room_part["timeline"]["events"].insert(0, forge(locked, envelope))

        carrier = raw.olm.group_encrypt(room, _text("Carries the copy"))
        proxy.spoil, proxy.trigger = forged, carrier["ciphertext"]
        carried = await put_ciphertext(homeserver, raw, room, carrier)
        await alice.wait_for(
            lambda: any(e.event_id == carried for e in alice.events()), "the forged copy"
        )
        proxy.spoil = None

        await give_room_key(raw, room)
        await _say(raw, room, "Now with the key")
        await alice.wait_text(room, "Now with the key")
        await alice.wait_text(room, "Locked for now")  # opened: the copy took nothing
        kept = await alice.account.db(alice.account.archive.event, locked)
    assert proxy.spoiled >= 1
    assert kept is not None and kept.status is EventStatus.OK
    assert kept.content.get("body") == "Locked for now"
    shown = [e for e in alice.events() if e.event_id == locked]
    assert shown[-1].content.get("body") == "Locked for now"  # the screen ends with the real text
    told = [e.content.get("body") for e in alice.events()]
    assert "Forged by the server" not in told  # nor was the server's text ever shown


def _text(body: str) -> dict[str, Any]:
    return {"type": "m.room.message", "content": {"msgtype": "m.text", "body": body}}


async def test_room_keys_read_from_an_answer_nio_then_failed_on_open_waiting_messages(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """nio reads the room key in an answer's to-device events, then fails on its presence;
    the batch fetched again rightly no longer holds the key. That the key came must still
    reach the step, or the message waiting for it stays locked."""
    shared = _key_held_back(homeserver, make_account, tmp_path)
    async with shared as (alice, raw, room, proxy):
        locked = await put_encrypted(homeserver, raw, room, _text("Waiting for the key"))
        await alice.wait_for(
            lambda: any(e.event_id == locked for e in alice.events()), "the locked message"
        )
        proxy.spoil = _presence_nio_refuses
        proxy.trigger = raw.olm.account.identity_keys["curve25519"]
        await give_room_key(raw, room)
        await alice.wait_text(room, "Waiting for the key")
    assert proxy.spoiled >= 2  # nio failed on it once, and it was fetched again
