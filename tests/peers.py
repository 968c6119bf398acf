"""A real client of the app for tests: the services-level Backend on its own data dir.

It runs on the test's event loop and records every notice, so a test waits for what a
user would see (an event arriving, an outbox row turning sent) instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from nio import AsyncClient, AsyncClientConfig, LoginResponse, RoomSendResponse

from app.core.paths import DataDir
from app.core.records import EventStatus, OutboxState, RoomEvent
from app.core.roles import RoomKind
from app.core.session import SessionInfo
from app.homeserver import Account, EmbeddedHomeserver
from app.services.account import AccountService
from app.services.backend import Backend
from app.services.notices import (
    Connection,
    ConnectionChanged,
    EventsArrived,
    Notice,
    OutboxChanged,
    Problem,
)
from app.services.runtime import BackendRuntime
from app.services.sessions import Sessions

WAIT_SECONDS = 60.0
RECHECK_SECONDS = 0.2  # a check on state no notice announces is still seen soon
T = TypeVar("T")
Client = TypeVar("Client", bound=AsyncClient)
# A room made with this initial state is encrypted from its first event, as ours are.
ENCRYPTED = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


class NoticeReader:
    """What a test asks of the notices a client received (read as a user would see them)."""

    notices: list[Notice]

    def events(self) -> list[RoomEvent]:
        return [e for n in list(self.notices) if isinstance(n, EventsArrived) for e in n.events]

    def find_text(self, room_id: str, body: str) -> RoomEvent | None:
        """The newest decrypted text message with this body, if it arrived."""
        for event in reversed(self.events()):
            if (
                event.room_id == room_id
                and event.status is EventStatus.OK
                and event.type == "m.room.message"
                and event.content.get("body") == body
            ):
                return event
        return None

    def texts(self, room_id: str) -> list[str]:
        return [
            str(e.content.get("body"))
            for e in self.events()
            if e.room_id == room_id and e.type == "m.room.message" and e.status is EventStatus.OK
        ]

    def problems(self, what: str) -> list[str]:
        """The details of the problems of that kind the user was told of, in order."""
        return [n.detail for n in self.notices if isinstance(n, Problem) and n.what == what]

    def has_joined(self, room_id: str, user_id: str) -> bool:
        return bool(self.memberships(room_id, user_id, "join"))

    def memberships(self, room_id: str, user_id: str, membership: str) -> list[RoomEvent]:
        """The member events that gave ``user_id`` that ``membership`` in the room."""
        return [
            e
            for e in self.events()
            if e.room_id == room_id
            and e.type == "m.room.member"
            and e.state_key == user_id
            and e.content.get("membership") == membership
        ]

    def sent(self, txn_id: str) -> bool:
        return any(
            isinstance(n, OutboxChanged)
            and n.item.txn_id == txn_id
            and n.item.state is OutboxState.SENT
            for n in self.notices
        )

    def failure(self, txn_id: str) -> str | None:
        """Why the outbox row shows failed, as the user reads it; None while it does not."""
        reasons = [
            n.item.error
            for n in self.notices
            if isinstance(n, OutboxChanged)
            and n.item.txn_id == txn_id
            and n.item.state is OutboxState.FAILED
        ]
        return reasons[-1] if reasons else None


async def signed_in_peers(
    homeserver: EmbeddedHomeserver, make_account: Callable[[str], Account], root: Path, *names: str
) -> list[Peer]:
    """A signed-in Peer per name, each on a new account, its data dir ``root/<name>``."""
    return [await Peer(root / name, make_account(name)).login(homeserver) for name in names]


@contextlib.asynccontextmanager
async def peers_signed_in(
    homeserver: EmbeddedHomeserver, make_account: Callable[[str], Account], root: Path, *names: str
) -> AsyncIterator[list[Peer]]:
    """:func:`signed_in_peers`, each closed after, in the order they signed in."""
    peers = await signed_in_peers(homeserver, make_account, root, *names)
    try:
        yield peers
    finally:
        for peer in peers:
            await peer.close()


class Peer(NoticeReader):
    """One device of one account, driven through the same services as the GUI."""

    def __init__(self, data_dir: Path, account: Account | None = None) -> None:
        self.data_dir = data_dir
        self.login_as = account
        self.notices: list[Notice] = []
        self._changed = asyncio.Event()
        self.backend = Backend(DataDir(data_dir), self._notify)

    def _notify(self, notice: Notice) -> None:
        self.notices.append(notice)
        self._changed.set()

    @property
    def account(self) -> AccountService:
        assert self.backend.account is not None, "peer is not signed in"
        return self.backend.account

    @property
    def user_id(self) -> str:
        return self.account.user_id

    async def login(self, homeserver: EmbeddedHomeserver) -> Peer:
        assert self.login_as is not None
        ok = await self.backend.login(homeserver.url, self.login_as.user_id, self.login_as.password)
        assert ok, f"login failed: {self.notices[-1]}"
        return self

    async def wait_for(self, check: Callable[[], bool], what: str) -> None:
        """Wait until ``check()`` holds, re-checking on every notice and every 0.2 s
        (some checks read state no notice announces, e.g. nio's device list after a key
        query); fail after a minute."""
        try:
            async with asyncio.timeout(WAIT_SECONDS):
                while not check():
                    self._changed.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), RECHECK_SECONDS)
        except TimeoutError:
            raise AssertionError(f"{self.login_as}: gave up waiting for {what}") from None

    async def wait_text(self, room_id: str, body: str) -> RoomEvent:
        await self.wait_for(lambda: self.find_text(room_id, body) is not None, repr(body))
        found = self.find_text(room_id, body)
        assert found is not None
        return found

    def connection(self) -> Connection | None:
        states = [n.state for n in self.notices if isinstance(n, ConnectionChanged)]
        return states[-1] if states else None

    async def open_room_with(self, name: str, *others: Peer) -> str:
        """Create an encrypted room, have ``others`` join, wait until we have seen them."""
        room = await self.account.create_room(name, tuple(o.user_id for o in others))
        for other in others:
            await other.account.client.join(room)
            await self.wait_for(lambda o=other: self.has_joined(room, o.user_id), "the join")
        return room

    async def close(self) -> None:
        await self.backend.shutdown()


class ThreadedPeer(NoticeReader):
    """A second client on the GUI's backend loop, for tests whose main thread runs Qt.

    It shares the loop rather than getting a thread of its own: nio's crypto store binds
    global peewee models per call, so two nio clients must never run on two threads of
    one process (in the app there is only ever one).
    """

    def __init__(self, data_dir: Path, runtime: BackendRuntime) -> None:
        self.notices: list[Notice] = []  # list.append is atomic; read from the Qt thread
        self.runtime = runtime
        self.backend = Backend(DataDir(data_dir), self.notices.append)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the shared loop and wait for its result."""
        return self.runtime.submit(coro).result(WAIT_SECONDS)

    @property
    def account(self) -> AccountService:
        assert self.backend.account is not None
        return self.backend.account

    def close(self) -> None:
        self.run(self.backend.shutdown())


async def raw_nio_client(
    homeserver: EmbeddedHomeserver,
    user: str,
    password: str,
    store: Path,
    kind: type[Client] = AsyncClient,
) -> Client:
    """A plain matrix-nio client: another Matrix client in the room, not ours (``kind``: a
    subclass that also records what it receives)."""
    store.mkdir(parents=True)
    config = AsyncClientConfig(encryption_enabled=True, pickle_key="test-only-other-client")
    raw = kind(homeserver.url, user, store_path=str(store), config=config)
    assert isinstance(await raw.login(password, device_name="other client"), LoginResponse)
    await raw.keys_upload()
    return raw


async def join_operations(fac: Peer, info: SessionInfo, *joiners: Peer) -> str:
    """Each joiner joins the session ``fac`` convened, one after the other, each join seen
    by ``fac`` before the next; the session's operations room."""
    ops = info.room(RoomKind.OPERATIONS)
    assert ops is not None
    for peer in joiners:
        await Sessions.of(peer.account).join(info.space_id)
        await fac.wait_for(lambda p=peer: fac.has_joined(ops, p.user_id), "the join")
    return ops


async def raw_send_text(raw: AsyncClient, room_id: str, text: str) -> str:
    """The plain client posts a text message (to every device it knows, verified or
    not, as a user who has not verified anyone does); its event id."""
    content = {"msgtype": "m.text", "body": text}
    sent = await raw.room_send(room_id, "m.room.message", content, ignore_unverified_devices=True)
    assert isinstance(sent, RoomSendResponse), sent
    return sent.event_id


async def raw_join(raw: AsyncClient, room_id: str) -> None:
    """Join and learn the room's members and their keys, ready to send encrypted."""
    await raw.join(room_id)
    await raw_learn_members(raw, room_id)


async def raw_learn_members(raw: AsyncClient, room_id: str) -> None:
    """Learn a room's members and their keys (someone joined), ready to send encrypted."""
    await raw.sync(timeout=0, full_state=True)
    await raw.joined_members(room_id)
    await raw.keys_query()
