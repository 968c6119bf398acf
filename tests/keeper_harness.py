"""What the keeper tests share: a convened session with the keeper seated, the keeper as
a real `oor keeper` process, and the server's own account of each room read by plain
matrix-nio (`/messages`), the yardstick the keeper's archive is held to."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from nio import AsyncClient, MessageDirection, RoomMessagesResponse

from app.cli import main
from app.core.records import EventStatus
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Participant, SessionInfo
from app.homeserver import Account, EmbeddedHomeserver
from app.services.sessions import Sessions
from app.store.keeper import KeeperArchive, open_keeper_archive
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client

ROOT = Path(__file__).resolve().parent.parent
WAIT = 120.0


async def until(check: Callable[[], object], what: str) -> None:
    """Re-check a condition (on a worker thread: it may read the database) a few times a
    second until it holds; fail after two minutes. The keeper is another process and
    PostgreSQL has no notice for us, so asking again is the only way to know."""
    await until_async(lambda: asyncio.to_thread(check), what)


async def until_async(check: Callable[[], Awaitable[object]], what: str) -> None:
    """``until`` for a check that asks the server."""
    try:
        async with asyncio.timeout(WAIT):
            while True:
                if await check():
                    return
                await asyncio.sleep(0.2)
    except TimeoutError:
        raise AssertionError(f"gave up waiting for {what}") from None


class KeeperProcess:
    """`oor keeper` in a child process of its own, so it can be SIGKILLed."""

    def __init__(self, data_dir: Path, db: str) -> None:
        self.data_dir, self.db = data_dir, db
        self.env: dict[str, str] = {}  # more of its environment (e.g. its patience)
        self.log = data_dir.parent / f"{data_dir.name}.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **self.env)
        command = [sys.executable, "-m", "app", "--data-dir", str(self.data_dir)]
        with self.log.open("ab") as out:
            self._proc = subprocess.Popen(
                [*command, "keeper", "--db", self.db],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            )  # fmt: skip

    def output(self) -> str:
        """What the keeper wrote to stderr so far (its warnings)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a power cut would leave it."""
        assert self._proc is not None
        self._proc.send_signal(signal.SIGKILL)
        self._proc.wait(30)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class KeptSession:
    """A session convened with the keeper seated, and the clients around it."""

    info: SessionInfo
    keeper_id: str
    keeper_dir: Path
    reader: AsyncClient  # the facilitator's second device, plain nio: the server's account
    sender: AsyncClient  # an expert on plain nio who posts in the operations room
    db: str

    @property
    def operations(self) -> str:
        room = self.info.room(RoomKind.OPERATIONS)
        assert room is not None
        return room

    @property
    def rooms(self) -> list[str]:
        return [self.info.space_id, *(r.room_id for r in self.info.rooms)]

    def archive(self) -> KeeperArchive:
        return open_keeper_archive(self.db, self.keeper_id)  # as the keeper opens it


async def keeper_login(url: str, keeper: Account, data_dir: Path) -> None:
    secret = data_dir.parent / f"{data_dir.name}.password"
    secret.write_text(keeper.password, encoding="utf-8")
    argv = ["keeper", "login", "--homeserver", url, "--user", keeper.user_id]
    argv += ["--password-file", str(secret), "--data-dir", str(data_dir)]
    assert await asyncio.to_thread(main, argv) == 0


async def convene_with_keeper(
    homeserver: EmbeddedHomeserver,
    fac: Peer,
    accounts: tuple[Account, Account, Account],
    root: Path,
    db: str,
    *,
    keeper_url: str | None = None,
) -> KeptSession:
    """Convene with the keeper configured; the keeper signed in (not yet running), to
    ``keeper_url`` if given (a hostile homeserver in front), else to the homeserver."""
    keeper, sender, facilitator = accounts
    keeper_dir = root / "keeper"
    await keeper_login(keeper_url or homeserver.url, keeper, keeper_dir)
    blueprint = Blueprint(
        title="Evacuation",
        kind="evacuation",
        capital_tz="Africa/Cairo",
        outreach=False,
        participants=(Participant(sender.user_id, Role.EXPERT),),
        keeper=keeper.user_id,
    )
    info = await Sessions(fac.account.client).convene(blueprint)
    reader = await raw_nio_client(homeserver, facilitator.user_id, facilitator.password, root / "r")
    posting = await raw_nio_client(homeserver, sender.user_id, sender.password, root / "s")
    return KeptSession(info, keeper.user_id, keeper_dir, reader, posting, db)


async def server_ids(reader: AsyncClient, room_id: str) -> list[str]:
    """Every event of the room as `/messages` lists it from the start, in its order."""
    found: list[str] = []
    token: str | None = None
    while True:
        resp = await reader.room_messages(
            room_id, token, direction=MessageDirection.front, limit=500
        )
        assert isinstance(resp, RoomMessagesResponse), resp
        found += [e.event_id for e in resp.chunk]
        if not resp.chunk or not resp.end:
            return found
        token = resp.end


def archived_ids(archive: KeeperArchive, room_id: str) -> list[str]:
    """The keeper's record of the room, in its chain's order."""
    return [ev.event_id for *_, ev in archive.chain_links(room_id, 0, 10**9, 10**6)]


async def joined(reader: AsyncClient, room_id: str, user_id: str) -> bool:
    resp = await reader.joined_members(room_id)
    return user_id in {m.user_id for m in getattr(resp, "members", [])}


async def wait_joined(kept: KeptSession, room_id: str) -> None:
    await until_async(lambda: joined(kept.reader, room_id, kept.keeper_id), f"a join of {room_id}")


async def sender_ready(kept: KeptSession) -> None:
    """The expert joins the operations room once the keeper is in it (so the room key
    goes to the keeper's device too)."""
    await wait_joined(kept, kept.operations)
    await kept.sender.join(kept.info.space_id)
    await raw_join(kept.sender, kept.operations)


async def post(kept: KeptSession, count: int, prefix: str) -> list[str]:
    """``count`` messages from the expert (``prefix N``, or ``prefix`` alone for one)."""
    sent = []
    for n in range(count):
        body = prefix if count == 1 else f"{prefix} {n}"
        content = {"msgtype": "m.text", "body": body}
        resp = await kept.sender.room_send(
            kept.operations, "m.room.message", content, ignore_unverified_devices=True
        )
        sent.append(str(resp.event_id))
    return sent


def texts(kept: KeptSession, sent: list[str]) -> dict[str, str]:
    """The sender's messages as the keeper archived them: decrypted, by event id."""
    archive = kept.archive()
    try:
        found = archive.events_by_id(sent)
    finally:
        archive.close()
    return {
        event_id: str(ev.content.get("body"))
        for event_id, ev in found.items()
        if ev.status is EventStatus.OK
    }


async def post_until(kept: KeptSession, quiet: asyncio.Event, sent: list[str]) -> None:
    """Keep the session busy: post ``update N`` after ``update N-1`` until ``quiet``."""
    while not quiet.is_set():
        sent += await post(kept, 1, f"update {len(sent)}")


async def matches_server(kept: KeptSession, archive: KeeperArchive) -> bool:
    """Every room of the session archived exactly as the server lists it."""
    for room_id in kept.rooms:
        theirs = await server_ids(kept.reader, room_id)
        if await asyncio.to_thread(archived_ids, archive, room_id) != theirs:
            return False
    return True


async def wait_matches(kept: KeptSession, archive: KeeperArchive) -> None:
    await until_async(lambda: matches_server(kept, archive), "the server's record")


@asynccontextmanager
async def kept_session(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    root: Path,
    db: str,
    keeper_url: str | None = None,
) -> AsyncIterator[tuple[Peer, KeptSession, KeeperProcess]]:
    """A session convened by the facilitator with the keeper in it, the keeper's process
    started and the sender ready to post; (facilitator, session, keeper), stopped and
    closed after."""
    fac_account = make_account("fac")
    fac = await Peer(root / "fac", fac_account).login(homeserver)
    accounts = (make_account("keeper"), make_account("sender"), fac_account)
    kept = await convene_with_keeper(homeserver, fac, accounts, root, db, keeper_url=keeper_url)
    keeper = KeeperProcess(kept.keeper_dir, db)
    try:
        keeper.start()
        await sender_ready(kept)
        yield fac, kept, keeper
    finally:
        keeper.stop()
        await kept.reader.close()
        await kept.sender.close()
        await fac.close()
