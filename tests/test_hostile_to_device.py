"""To-device messages nobody can read, sent on purpose by another account.

Any account on the server may send our device anything. The hostile sender here is a
plain matrix-nio client plus raw ``PUT /sendToDevice`` calls; the receiver is our app.
A forged pre-key message (a one-time key we never had), garbage ciphertext, an unknown
algorithm and malformed events once stopped the receiver's sync for good: the same
batch failed on every retry. Now each is recorded with its reason, and a room message
sent afterwards still arrives and is archived.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import aiohttp
import vodozemac
from nio import AsyncClient, RoomSendResponse, SyncResponse

from app.core.to_device import ToDeviceFault
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Problem
from app.store import StoreError
from tests.peers import WAIT_SECONDS, Peer
from tests.plain_member import PlainMemberRoom

OLM = "m.olm.v1.curve25519-aes-sha2"


async def _api(homeserver: EmbeddedHomeserver, raw: AsyncClient, method: str, path: str, body):
    headers = {"Authorization": f"Bearer {raw.access_token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, homeserver.url + path, json=body, headers=headers) as resp,
    ):
        return resp.status, await resp.json(content_type=None)


async def _send_to_device(
    homeserver: EmbeddedHomeserver, raw: AsyncClient, victim: Peer, event_type: str, content: Any
) -> int:
    """What any account can do: put one to-device event for the victim's device."""
    device = victim.account.client.creds.device_id
    body = {"messages": {victim.user_id: {device: content}}}
    status, _ = await _api(
        homeserver, raw, "PUT", f"/_matrix/client/v3/sendToDevice/{event_type}/{uuid4()}", body
    )
    return status


async def _identity_keys(
    homeserver: EmbeddedHomeserver, raw: AsyncClient, victim: Peer
) -> dict[str, str]:
    """The victim device's identity keys, as the server publishes them to everyone."""
    device = victim.account.client.creds.device_id
    _, reply = await _api(
        homeserver,
        raw,
        "POST",
        "/_matrix/client/v3/keys/query",
        {"device_keys": {victim.user_id: []}},
    )
    published = reply["device_keys"][victim.user_id][device]["keys"]
    return {kind: published[f"{kind}:{device}"] for kind in ("curve25519", "ed25519")}


def _pre_key(raw: AsyncClient, victim: Peer, keys: dict[str, str], one_time_key: str) -> dict:
    """An Olm pre-key message (an m.dummy) from the sender's real device, built on the
    one-time key given: a claimed one, or one the victim never had."""
    session = raw.olm.account.create_outbound_session(keys["curve25519"], one_time_key)
    payload = {
        "type": "m.dummy",
        "content": {},
        "sender": raw.user_id,
        "sender_device": raw.device_id,
        "recipient": victim.user_id,
        "keys": {"ed25519": raw.olm.account.identity_keys["ed25519"]},
        "recipient_keys": {"ed25519": keys["ed25519"]},
    }
    kind, ciphertext = session.encrypt(json.dumps(payload).encode()).to_parts()
    assert kind == 0
    body = base64.b64encode(ciphertext).decode().rstrip("=")
    return _olm_content(raw, keys["curve25519"], {"type": 0, "body": body})


async def _claim(homeserver: EmbeddedHomeserver, raw: AsyncClient, victim: Peer) -> str:
    device = victim.account.client.creds.device_id
    claim = {"one_time_keys": {victim.user_id: {device: "signed_curve25519"}}}
    _, reply = await _api(homeserver, raw, "POST", "/_matrix/client/v3/keys/claim", claim)
    (key,) = reply["one_time_keys"][victim.user_id][device].values()
    return key["key"]


def _olm_content(raw: AsyncClient, victim_key: str, ours: Any) -> dict[str, Any]:
    sender_key = raw.olm.account.identity_keys["curve25519"]
    return {"algorithm": OLM, "sender_key": sender_key, "ciphertext": {victim_key: ours}}


async def test_undecryptable_to_device_messages_are_recorded_and_the_room_flows_on(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom
) -> None:
    async with plain_member_room("mallory", "Operations") as side:
        alice, raw, room, mallory = side.alice, side.raw, side.room, side.other
        keys = await _identity_keys(homeserver, raw, alice)
        key = keys["curve25519"]
        never_had = vodozemac.Curve25519SecretKey().public_key().to_base64()
        honest = _pre_key(raw, alice, keys, await _claim(homeserver, raw, alice))
        random_bytes = base64.b64encode(uuid4().bytes * 8).decode().rstrip("=")
        hostile = [
            ("m.room.encrypted", _pre_key(raw, alice, keys, never_had)),
            ("m.room.encrypted", honest),
            ("m.room.encrypted", honest),  # replayed
            ("m.room.encrypted", _olm_content(raw, key, {"type": 0, "body": "!!not base64!!"})),
            ("m.room.encrypted", _olm_content(raw, key, {"type": 1, "body": random_bytes})),
            ("m.room.encrypted", _olm_content(raw, key, {"type": "zero", "body": 5})),
            ("m.room.encrypted", {"algorithm": "org.example.rot13", "ciphertext": "uryyb"}),
            ("m.room.encrypted", {**_olm_content(raw, key, {}), "ciphertext": {}}),
            ("m.room_key_request", {"requesting_device_id": 5, "request_id": []}),
        ]
        for event_type, content in hostile:
            assert await _send_to_device(homeserver, raw, alice, event_type, content) == 200

        sent = await raw.room_send(
            room,
            "m.room.message",
            {"msgtype": "m.text", "body": "Still here after the junk"},
            ignore_unverified_devices=True,
        )
        assert isinstance(sent, RoomSendResponse)
        found = await alice.wait_text(room, "Still here after the junk")
        stored = await alice.account.db(alice.account.archive.event, found.event_id)
        assert stored is not None and stored.content["body"] == "Still here after the junk"

        record = alice.account.to_device
        assert record is not None
        problems = await alice.account.db(record.problems, mallory.user_id)
        faults = sorted(p.fault.value for p in problems)
        assert faults == sorted(
            [
                "unknown_one_time_key",  # the forged pre-key message
                "undecryptable",  # the replayed one
                "garbled",  # not base64
                "garbled",  # base64, but not an Olm message
                "malformed",  # {type: "zero", body: 5}
                "unknown_algorithm",
                "not_for_us",
                "malformed",  # the key request without an action
            ]
        ), [(p.fault, p.detail) for p in problems]
        forged = next(p for p in problems if p.fault is ToDeviceFault.UNKNOWN_ONE_TIME_KEY)
        assert "unknown one-time key" in forged.detail
        told = [n.detail for n in alice.notices if isinstance(n, Problem)]
        assert told and all("undecryptable" in t and mallory.user_id in t for t in told), told
        assert not [n for n in alice.notices if isinstance(n, Problem) and n.what == "sync_failed"]


async def _say(raw: AsyncClient, room: str, text: str) -> None:
    sent = await raw.room_send(
        room, "m.room.message", {"msgtype": "m.text", "body": text}, ignore_unverified_devices=True
    )
    assert isinstance(sent, RoomSendResponse), sent


async def _peer_syncs_until(raw: AsyncClient, done: Callable[[Any], bool], what: str) -> None:
    """Long-poll the peer's syncs until one of them satisfies ``done``."""
    try:
        async with asyncio.timeout(WAIT_SECONDS):
            while not done(await raw.sync(timeout=5_000)):
                pass
    except TimeoutError:
        raise AssertionError(f"the peer gave up waiting for {what}") from None


def _has_text(room: str, text: str) -> Callable[[Any], bool]:
    def check(resp: Any) -> bool:
        joined = resp.rooms.join.get(room) if isinstance(resp, SyncResponse) else None
        return joined is not None and any(
            getattr(e, "body", None) == text for e in joined.timeline.events
        )

    return check


async def test_a_wedged_olm_session_is_repaired(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom, tmp_path: Path
) -> None:
    """Our device lost the Olm session a peer keeps using (its crypto store was put back
    from an older copy): the peer's next room key cannot be decrypted, our device starts
    a new session and sends m.dummy, and the peer's following room key gets through."""
    async with plain_member_room("peer", "Crisis cell") as side:
        alice, raw, room, account = side.alice, side.raw, side.room, side.other
        crypto, copy = tmp_path / "alice" / "crypto", tmp_path / "crypto-copy"
        await alice.account.send_text(room, "before the copy")  # we know the peer's device
        await _peer_syncs_until(raw, _has_text(room, "before the copy"), "our first message")
        await alice.close()
        shutil.copytree(crypto, copy)

        side.alice = alice = Peer(tmp_path / "alice")  # closed by the set-up at the end
        await alice.backend.start()
        raw.olm.session_store._entries.clear()  # the peer starts a new Olm session with us
        await _say(raw, room, "on a new session")
        await alice.wait_text(room, "on a new session")
        await alice.account.send_text(room, "answered on it")  # the peer's new session
        await _peer_syncs_until(raw, _has_text(room, "answered on it"), "our answer")
        await alice.close()
        shutil.rmtree(crypto)
        shutil.copytree(copy, crypto)  # ...is one our device no longer has

        side.alice = alice = Peer(tmp_path / "alice")  # closed by the set-up at the end
        await alice.backend.start()
        ours = (await _identity_keys(homeserver, raw, alice))["curve25519"]
        raw.olm.rotate_outbound_group_session(room)
        await _say(raw, room, "lost to the wedge")
        await _peer_syncs_until(
            raw, lambda _: len(raw.olm.session_store[ours]) > 1, "the m.dummy of the repair"
        )
        raw.olm.rotate_outbound_group_session(room)
        await _say(raw, room, "after the repair")
        await alice.wait_text(room, "after the repair")
        record = alice.account.to_device
        assert record is not None
        problems = await alice.account.db(record.problems, account.user_id)
        assert [p.fault for p in problems] == [ToDeviceFault.UNDECRYPTABLE]


async def test_a_batch_fetched_again_does_not_count_its_room_keys_as_undecryptable(
    plain_member_room: PlainMemberRoom,
) -> None:
    """Every batch fails to archive once and is fetched again from the same token; the
    server then repeats its to-device messages, which were consumed the first time."""
    async with plain_member_room("peer", "Crisis cell") as side:
        alice, raw, room = side.alice, side.raw, side.room
        archive = alice.account.archive
        real_save, failed = archive.save_sync_batch, set()

        def save_failing_once_each(events, rooms, next_batch, announce=None, **rest):
            if next_batch not in failed:
                failed.add(next_batch)
                raise StoreError("Could not save the synced events: database is locked")
            return real_save(events, rooms, next_batch, announce, **rest)

        archive.save_sync_batch = save_failing_once_each
        await _say(raw, room, "key and message, fetched twice")
        await alice.wait_text(room, "key and message, fetched twice")
        record = alice.account.to_device
        assert record is not None
        assert await alice.account.db(record.problems) == []
        assert "to_device_skipped" not in [n.what for n in alice.notices if isinstance(n, Problem)]


async def test_an_olm_plaintext_nested_too_deeply_is_recorded_and_the_room_flows_on(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom
) -> None:
    """A kilobyte of brackets as an Olm plaintext, on a session made with a one-time key
    of ours any account can claim: Python's JSON parser raises RecursionError, not the
    JSONDecodeError nio expects. It is recorded, and receiving goes on."""
    async with plain_member_room("mallory", "Operations") as side:
        alice, raw, room, mallory = side.alice, side.raw, side.room, side.other
        keys = await _identity_keys(homeserver, raw, alice)
        session = raw.olm.account.create_outbound_session(
            keys["curve25519"], await _claim(homeserver, raw, alice)
        )
        kind, ciphertext = session.encrypt(b"[" * 5000).to_parts()
        body = base64.b64encode(ciphertext).decode().rstrip("=")
        deep = _olm_content(raw, keys["curve25519"], {"type": kind, "body": body})
        assert await _send_to_device(homeserver, raw, alice, "m.room.encrypted", deep) == 200
        await _say(raw, room, "Still here after the brackets")
        await alice.wait_text(room, "Still here after the brackets")
        record = alice.account.to_device
        assert record is not None
        problems = await alice.account.db(record.problems, mallory.user_id)
        assert [p.fault for p in problems] == [ToDeviceFault.FAILED], problems
        assert "RecursionError" in problems[0].detail


async def _put_nested_to_device(
    homeserver: EmbeddedHomeserver, raw: AsyncClient, victim: Peer
) -> int:
    """A to-device message whose content nests arrays as deep as the server accepts
    (Synapse parses with Python's parser on a shallower stack than a client's sync);
    the depth it took. Sent as text: no JSON encoder here goes that deep either."""
    device = victim.account.client.creds.device_id
    headers = {"Authorization": f"Bearer {raw.access_token}"}
    async with aiohttp.ClientSession() as http:
        for depth in range(990, 800, -5):
            nested = "[" * depth + "]" * depth
            body = f'{{"messages": {{"{victim.user_id}": {{"{device}": {{"x": {nested}}}}}}}}}'
            url = f"{homeserver.url}/_matrix/client/v3/sendToDevice/org.example.deep/{uuid4()}"
            async with http.put(url, data=body, headers=headers) as resp:
                if resp.status == 200:
                    return depth
    raise AssertionError("the server accepted no deeply nested to-device message")


async def test_a_to_device_message_nested_too_deeply_is_recorded_and_the_room_flows_on(
    homeserver: EmbeddedHomeserver, plain_member_room: PlainMemberRoom
) -> None:
    """Any account can send our device a message nested about 930 levels deep: Synapse
    accepts it, and Python's parser then raised RecursionError on every fetch of the
    sync answer holding it (the sync stopped for good). Now the answer is read, the
    message is recorded as malformed and skipped, and the room flows on."""
    async with plain_member_room("mallory", "Operations") as side:
        alice, raw, room, mallory = side.alice, side.raw, side.room, side.other
        depth = await _put_nested_to_device(homeserver, raw, alice)
        await _say(raw, room, "Still here after the nesting")
        await alice.wait_text(room, "Still here after the nesting")
        record = alice.account.to_device
        assert record is not None
        problems = await alice.account.db(record.problems, mallory.user_id)
        assert [(p.fault, p.event_type) for p in problems] == [
            (ToDeviceFault.MALFORMED, "org.example.deep")
        ], (depth, problems)
        assert "nested" in problems[0].detail
