"""A room of ours with another account's plain matrix-nio client in it: the set-up of the
tests where that other client sends what it should not (hostile input is judged against
a client that is not ours, never against our own services)."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from uuid import uuid4

import aiohttp
import pytest
from nio import AsyncClient

from app.homeserver import Account, EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client


@dataclass
class RoomWithPlainMember:
    """``alice`` (our app) made ``room`` and ``raw`` (plain nio, signed in as ``other``)
    joined it; alice has seen the join."""

    alice: Peer
    raw: AsyncClient
    other: Account
    room: str


@asynccontextmanager
async def room_with_plain_member(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    other: str,
    room_name: str,
) -> AsyncIterator[RoomWithPlainMember]:
    """Alice's room with the account ``other`` in it through plain nio; both clients are
    closed at the end (the Peer then in ``.alice``: a test that restarts alice puts the
    new one there)."""
    account = make_account(other)
    alice = await Peer(tmp_path / "alice", make_account("alice")).login(homeserver)
    raw = await raw_nio_client(homeserver, account.user_id, account.password, tmp_path / "raw")
    side = RoomWithPlainMember(alice, raw, account, room="")
    try:
        side.room = await alice.account.create_room(room_name, (account.user_id,))
        await raw_join(raw, side.room)
        await alice.wait_for(lambda: alice.has_joined(side.room, account.user_id), f"{other} joins")
        yield side
    finally:
        await raw.close()
        await side.alice.close()


async def put_encrypted(
    homeserver: EmbeddedHomeserver, raw: AsyncClient, room: str, plaintext: dict[str, Any]
) -> str:
    """Send hand-made plaintext, encrypted as any client could, straight to the server
    (nio's ``room_send`` would not let a state key or a room-state type through)."""
    assert raw.olm is not None
    return await put_ciphertext(homeserver, raw, room, raw.olm.group_encrypt(room, plaintext))


async def put_plaintext_bytes(
    homeserver: EmbeddedHomeserver, raw: AsyncClient, room: str, plaintext: bytes
) -> str:
    """Send any bytes as a Megolm plaintext (nio encrypts only JSON it made itself: the
    hostile member encrypts with its room key directly)."""
    assert raw.olm is not None
    payload = raw.olm.group_encrypt(room, {"type": "m.dummy", "content": {}})  # key, ids
    session = raw.olm.outbound_group_sessions[room]
    payload["ciphertext"] = session._session.encrypt(plaintext).to_base64()
    return await put_ciphertext(homeserver, raw, room, payload)


async def put_ciphertext(
    homeserver: EmbeddedHomeserver, raw: AsyncClient, room: str, payload: dict[str, Any]
) -> str:
    """Send an ``m.room.encrypted`` content made beforehand (its ciphertext is then known
    before the server has the event); its event id."""
    url = f"{homeserver.url}/_matrix/client/v3/rooms/{room}/send/m.room.encrypted/{uuid4()}"
    headers = {"Authorization": f"Bearer {raw.access_token}"}
    async with aiohttp.ClientSession() as http, http.put(url, json=payload, headers=headers) as r:
        assert r.status == 200
        return str((await r.json())["event_id"])


def hold_back_room_key(raw: AsyncClient, room: str) -> None:
    """Start a new room key for ``room`` that nio encrypts with before giving it to
    anyone (as when a client's to-device message is slow); ``give_room_key`` gives it
    then as it was at first, so it opens the messages sent meanwhile."""
    assert raw.olm is not None
    raw.olm.create_outbound_group_session(room)
    session = raw.olm.outbound_group_sessions[room]
    first = session.session_key
    session.__class__ = type("FromTheStart", (type(session),), {"session_key": first})
    session.shared = True  # nio encrypts only with a key it has given


async def give_room_key(raw: AsyncClient, room: str) -> None:
    """Give the key held back by ``hold_back_room_key`` to the room's devices."""
    assert raw.olm is not None
    raw.olm.outbound_group_sessions[room].shared = False  # else nio would make a new one
    await raw.share_group_session(room, ignore_unverified_devices=True)


class PlainMemberRoom(Protocol):
    """``async with plain_member_room("mallory", "Operations") as side:``"""

    def __call__(
        self, other: str, room_name: str
    ) -> AbstractAsyncContextManager[RoomWithPlainMember]: ...


@pytest.fixture
def plain_member_room(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> PlainMemberRoom:
    """`room_with_plain_member` on the session's homeserver, in the test's temp dir."""
    return functools.partial(room_with_plain_member, homeserver, make_account, tmp_path)
