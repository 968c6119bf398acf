"""A hostile homeserver: a small proxy in front of the real Synapse that forwards every
call and spoils chosen answers, as a homeserver (or anyone between) could send them.

Synapse relays none of this from a room member, so the hostility sits between: sync
answers with parts matrix-nio fails on (``test_sync_screen_proxy``), events without a
usable id or with a forged age put into a room's timeline, history pages nio fails on,
pages of only junk, history refused outright, and history forbidden as a real
homeserver forbids it (``test_sync_screen_history``, ``test_scroll_back_bounded``,
``test_history_holes``), a left room's section nio refuses (``test_history_hole_left_room``)
or the leave never told at all (``test_keeper_left_rooms``); sends answered 502, a join
held on its way, its calls of our room list counted (``test_send_room_unknown_to_nio``).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from app.core.records import RoomEvent
from app.homeserver import EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer

Spoil = Callable[[dict[str, Any], dict[str, Any], str], None]  # answer, room, peer


class HostileHomeserver:
    """Forwards every call to the real homeserver; a /sync answer that holds the
    ``trigger`` (a room event by its ciphertext, a to-device message by transaction id
    or its sender's identity key: known before the send, so no answer passes
    unspoiled) gets ``spoil`` applied, on every fetch of it."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.trigger = ""
        self.spoil: Spoil | None = None
        self.spoiled = 0  # answers rewritten
        self.url = ""
        self.history_room = ""  # its /messages answers get events nio fails on
        self.junk_between: list[tuple[str, str]] = []  # (newer, older) neighbours, per page
        self.blank_first = False  # each run of pages back starts with a page of only junk
        self.blank_forever = False  # every page back is only junk, with a new token
        self.back_from: list[str] = []  # the token each page back was asked from, then
        self.copy_readable = False  # the junk of a page holds a copy of a readable event
        self.refuse_history = False  # /messages of history_room answered with no JSON
        self.refused = 0  # history answers refused so
        self.history_down = False  # /messages of history_room answered 502 (restarting)
        self.forbid_history = False  # /messages of history_room answered 403 M_FORBIDDEN
        self.down = 0  # history answers 502 so
        self.down_at: list[float] = []  # when each came (time.monotonic)
        self.put_in_timeline: dict[str, list[dict[str, Any]]] = {}  # room -> added events
        self.history_asked: list[str] = []  # the token each /messages call was from
        self.refuse_sends = False  # a room message's send answered 400, not passed on
        self.sends: list[str] = []  # the path of each room message's send that came
        self.spoil_left = ""  # a room whose leave section in a sync is made no object
        self.sends_down = False  # a room message's send answered 502 (restarting)
        self.joined_rooms_asked = 0  # GET joined_rooms calls that came
        self.hold = ""  # a call whose path holds this (a join, a sync) came ...
        self.held_came = asyncio.Event()
        self.held_goes = asyncio.Event()  # ... and is passed on once this is set
        self.hide_left = ""  # a room taken out of the syncs' leave sections (never told)

    async def forward(self, request: web.Request) -> web.Response:
        history = self.history_room and self.history_room in request.path
        history = history and request.path.endswith("/messages")
        target, token = request.path_qs, request.rel_url.query.get("from", "")
        if request.path.endswith("/messages"):
            self.history_asked.append(token)
        if (answered := await self._on_the_way(request)) is not None:
            return answered
        if history and self.history_down:
            self.down += 1
            self.down_at.append(time.monotonic())
            body = b'{"errcode": "M_UNKNOWN", "error": "restarting"}'
            return web.Response(status=502, body=body, content_type="application/json")
        if history and self.forbid_history:  # as Synapse answers one banned from the room
            body = {"errcode": "M_FORBIDDEN", "error": "You are not allowed to read this room"}
            return web.json_response(body, status=403)
        if history and self.refuse_history:
            self.refused += 1
            return web.Response(status=200, body=b"{not json", content_type="application/json")
        if history and self.blank_forever and request.rel_url.query.get("dir") == "b":
            self.back_from.append(token)
            self.spoiled += 1
            return _blank_page(str(self.spoiled))
        if history and self.blank_first and request.rel_url.query.get("dir") == "b":
            if not token.startswith(BLANK):
                self.spoiled += 1
                return _blank_page(token)
            # The token of a page of junk: the real one it stands for.
            target = str(request.rel_url.update_query({"from": token.removeprefix(BLANK)}))
        headers = {
            k: v for k, v in request.headers.items() if k in ("Authorization", "Content-Type")
        }
        async with (
            aiohttp.ClientSession() as http,
            http.request(
                request.method,
                self.upstream + target,
                data=await request.read(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=None),
            ) as resp,
        ):
            body = await resp.read()
            if request.path.endswith("/sync") and resp.status == 200:
                body = self._rewritten(body)
            if history and not self.blank_first and resp.status == 200:
                body = _history_nio_fails_on(body, self.junk_between, self.copy_readable)
                self.spoiled += 1
            return web.Response(status=resp.status, body=body, content_type=resp.content_type)

    async def _on_the_way(self, request: web.Request) -> web.Response | None:
        """Sends (noted; refused or answered 502 if so set), calls of our room list
        (counted) and the calls ``hold`` names (held until ``held_goes``): the answer given here
        instead of the homeserver's, if any."""
        if request.path.endswith("/joined_rooms"):
            self.joined_rooms_asked += 1
        if self.hold and self.hold in request.path:
            self.held_came.set()
            await self.held_goes.wait()
        if request.method != "PUT" or "/send/" not in request.path:
            return None
        self.sends.append(request.path)
        if self.refuse_sends:
            body = b'{"errcode": "M_UNKNOWN", "error": "refused on the way"}'
            return web.Response(status=400, body=body, content_type="application/json")
        if self.sends_down:
            body = b'{"errcode": "M_UNKNOWN", "error": "restarting"}'
            return web.Response(status=502, body=body, content_type="application/json")
        return None

    def _rewritten(self, raw: bytes) -> bytes:
        answer = json.loads(raw)
        left = answer.get("rooms", {}).get("leave", {})
        left.pop(self.hide_left, None)
        if self.spoil_left in left:  # nio's sync schema refuses it: taken out whole
            left[self.spoil_left] = ["not", "a", "room"]
            self.spoiled += 1
        for room_id, room in answer.get("rooms", {}).get("join", {}).items():
            events = room.get("timeline", {}).get("events", [])
            if room_id in self.put_in_timeline and events:  # before the room's first event
                events[:0] = self.put_in_timeline[room_id]
            found = [e for e in events if e.get("content", {}).get("ciphertext") == self.trigger]
            if self.spoil is not None and self.trigger and found:
                self.spoil(answer, room, found[0]["sender"])
                self.spoiled += 1
        for event in answer.get("to_device", {}).get("events", []):
            content = event["content"]
            if self.spoil is not None and self.trigger in (
                content.get("transaction_id"),
                content.get("sender_key"),  # an Olm message from the device with that key
            ):
                self.spoil(answer, {}, event["sender"])
                self.spoiled += 1
        return json.dumps(answer).encode()


@asynccontextmanager
async def bob_behind_a_proxy(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, root: Path
) -> AsyncIterator[tuple[Peer, Peer, HostileHomeserver]]:
    """Alice signed in on the homeserver itself, bob through a hostile proxy in front of
    it (what bob receives can be spoiled); both closed after."""
    alice = await Peer(root / "alice", make_account("alice")).login(homeserver)
    try:
        async with bob_through_a_proxy(homeserver, make_account, root) as (bob, proxy):
            yield alice, bob, proxy
    finally:
        await alice.close()


@asynccontextmanager
async def bob_through_a_proxy(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, root: Path
) -> AsyncIterator[tuple[Peer, HostileHomeserver]]:
    """Bob signed in through a hostile proxy in front of the homeserver; closed after."""
    bob = Peer(root / "bob", make_account("bob"))
    assert bob.login_as is not None
    async with hostile_homeserver(homeserver.url) as proxy:
        try:
            assert await bob.backend.login(proxy.url, bob.login_as.user_id, bob.login_as.password)
            yield bob, proxy
        finally:
            await bob.close()


async def joined_after_history(
    alice: Peer, bob: Peer, proxy: HostileHomeserver, said: Sequence[str], junk: list[Any]
) -> tuple[str, set[str], RoomEvent]:
    """A room alice made and said ``said`` in before bob (behind ``proxy``, which puts
    ``junk`` into his join's timeline) joined it; then alice said "after the join", seen
    by bob. Returns the room, the event ids of ``said``, and bob's copy of the last."""
    room = await alice.account.create_room("Operations", (bob.user_id,))
    for text in said:
        await alice.account.send_text(room, text)
    earlier = {(await alice.wait_text(room, t)).event_id for t in said}
    proxy.put_in_timeline[room] = junk
    await bob.account.client.join(room)
    await alice.account.send_text(room, "after the join")
    return room, earlier, await bob.wait_text(room, "after the join")


@asynccontextmanager
async def hostile_homeserver(upstream: str) -> AsyncIterator[HostileHomeserver]:
    proxy = HostileHomeserver(upstream)
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", proxy.forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    proxy.url = f"http://{host}:{port}"
    try:
        yield proxy
    finally:
        await runner.cleanup()


HISTORY_JUNK_IDS = ("$odd-member", "$history-without-content")


BLANK = "blank-"  # a page of only junk has the token it stands for behind this


def _history_nio_fails_on(raw: bytes, between: list[tuple[str, str]], copy: bool) -> bytes:
    """A /messages answer with three events nio's ``RoomMessagesResponse.from_dict``
    raises on: a member event whose ``unsigned.prev_content`` is a number (an
    AttributeError), a message without content (a KeyError), a number (a TypeError);
    in the middle of the chunk, the ids of the events around them told to ``between``.
    With ``copy``, two broken copies under the id of the event after them: it without
    its content (nio's schema makes a bad event of it), and the odd member event (nio's
    parser raises, so the screen takes it out)."""
    answer = json.loads(raw)
    without_content = {"type": "m.room.message", "sender": "@odd:localhost"} | {
        "event_id": HISTORY_JUNK_IDS[1],
        "origin_server_ts": 2,
    }
    chunk = answer.setdefault("chunk", [])
    at = len(chunk) // 2
    if at:
        between.append((chunk[at - 1]["event_id"], chunk[at]["event_id"]))
    junk: list[Any] = [_odd_member(), without_content, 5]
    if copy and at < len(chunk):
        readable = chunk[at]
        junk.append({k: readable[k] for k in ("type", "sender", "event_id", "origin_server_ts")})
        junk.append(_odd_member() | {"event_id": readable["event_id"]})
    chunk[at:at] = junk
    return json.dumps(answer).encode()


def _blank_page(token: str) -> web.Response:
    """A page back with nothing nio can read and nothing with an id, whose next page is
    the one ``token`` starts (the proxy takes its own token back to that one)."""
    answer = {"chunk": [5, "no event", None], "start": token, "end": BLANK + token}
    return web.json_response(answer)


def _odd_member() -> dict[str, Any]:
    return {
        "type": "m.room.member",
        "state_key": "@odd:localhost",
        "sender": "@odd:localhost",
        "event_id": HISTORY_JUNK_IDS[0],
        "origin_server_ts": 1,
        "content": {"membership": "join"},
        "unsigned": {"prev_content": 5},
    }


@dataclass
class Away:
    """Alice (straight to the homeserver) and bob (through the hostile one) share
    ``rooms``; bob read "before the gap" in each, then went away while alice sent more."""

    alice: Peer
    bob: Peer  # signed off until ``come_back``
    rooms: list[str]
    proxy: HostileHomeserver
    bob_running: bool = False

    async def come_back(self) -> Peer:
        """Bob starts again from his profile (his archive, his sync token)."""
        if self.bob_running:
            await self.bob.close()
        self.bob = Peer(self.bob.data_dir)
        await self.bob.backend.start()
        self.bob_running = True
        return self.bob

    async def leave(self) -> None:
        """Bob signs off (his profile stays)."""
        if self.bob_running:
            await self.bob.close()
        self.bob_running = False


async def hole_filled_in_chain_order(
    peer: Peer, room: str, missed: Sequence[str], synced: bool = True
) -> None:
    """Every message ``peer`` missed (``missed``, oldest first; more than a sync brings)
    archived once: along the room's chain, the newest that the sync brought, then the
    hole, oldest first (all of it the hole's when the sync brought none: not ``synced``);
    and no hole left open."""
    await peer.wait_text(room, missed[0])  # the hole's oldest: archived with all of it
    links = await peer.account.db(peer.account.archive.chain_links, room, 0, 10**9)
    bodies = [event.content.get("body") for *_, event in links]
    chained = [b for b in bodies if b in missed]
    cuts = range(1, len(missed)) if synced else (0,)
    assert chained in [[*missed[cut:], *missed[:cut]] for cut in cuts]
    assert await peer.account.db(peer.account.archive.history_gaps, room) == []


@asynccontextmanager
async def while_bob_was_away(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    names: Sequence[str],
    sent: Sequence[str],
) -> AsyncIterator[Away]:
    """Rooms named ``names`` that alice made with bob; while bob was away, alice sent
    ``sent`` to each (more than a sync brings: his next sync is cut short)."""
    alice = await Peer(tmp_path / "alice", make_account("alice")).login(homeserver)
    bob = Peer(tmp_path / "bob", make_account("bob"))
    assert bob.login_as is not None
    async with hostile_homeserver(homeserver.url) as proxy:
        away = Away(alice, bob, [], proxy, bob_running=True)
        try:
            assert await bob.backend.login(proxy.url, bob.login_as.user_id, bob.login_as.password)
            away.rooms = [await alice.open_room_with(name, bob) for name in names]
            for each in away.rooms:
                await alice.account.send_text(each, "before the gap")
                await bob.wait_text(each, "before the gap")
            await away.leave()
            for text in sent:
                for each in away.rooms:
                    await alice.account.send_text(each, text)
            last = away.rooms[-1]
            await alice.wait_for(lambda: all(alice.find_text(last, t) for t in sent), "echoes")
            yield away
        finally:
            await alice.close()
            await away.leave()
