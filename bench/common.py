"""What every benchmark needs: a throw-away homeserver, accounts, app peers, and statistics.

Kept in one place so the benchmarks measure the same way and print alike: human lines
first, then exactly one JSON line (the last line of output) for scripts to pick up.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import itertools
import json
import logging
import math
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.core.paths import DataDir
from app.core.records import EventStatus, OutboxState, RoomEvent
from app.homeserver import Account, EmbeddedHomeserver
from app.matrix import MatrixClient
from app.services.account import AccountService
from app.services.backend import Backend
from app.services.notices import EventsArrived, Notice, OutboxChanged
from app.store import CredentialStore

WAIT_SECONDS = 60.0
_serial = itertools.count(1)


# -- environment ---------------------------------------------------------------------------


def quiet_environment() -> None:
    """Headless Qt, file credentials, warnings only: no screen, no keyring, no log noise.

    Call before Qt is imported (child processes inherit it); existing Qt settings win.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    os.environ["OOR_CREDENTIALS"] = "file"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # nio warns "Missing session for device" each time it is about to claim keys for a
    # new device, which every fresh room does once: routine, not a problem.
    logging.getLogger("nio.crypto.log").setLevel(logging.ERROR)


def compile_app(repo: Path) -> None:
    """Byte-compile a checkout's ``app`` before a start-up is timed.

    An installed app has its ``.pyc`` files (pip compiles a wheel's modules at install);
    a checkout run with ``PYTHONDONTWRITEBYTECODE`` would compile every module from
    source on every start, some 0.2-0.3 s of CPU no user ever pays."""
    compileall.compile_dir(repo / "app", quiet=1)


@contextlib.contextmanager
def running_homeserver(
    prefix: str, keep: Path | None = None
) -> Iterator[tuple[EmbeddedHomeserver, Path]]:
    """A started Synapse in a fresh temp dir (loopback only), plus a scratch dir beside it.

    Stopped and deleted on the way out, whatever happened in between; with ``keep``, in
    that dir instead, made or reused, and left there (a big account built once)."""
    with (
        contextlib.nullcontext(str(keep))
        if keep is not None
        else tempfile.TemporaryDirectory(prefix=f"oor-bench-{prefix}-")
    ) as tmp:
        root = Path(tmp)
        server = EmbeddedHomeserver(root / "homeserver")
        started = time.perf_counter()
        try:
            server.start()
            print(
                f"homeserver up at {server.url} in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            yield server, root / "work"
        finally:
            server.stop()


def new_account(server: EmbeddedHomeserver, prefix: str) -> Account:
    """A fresh account with a name no other run or benchmark on this server uses."""
    return server.create_account(f"{prefix}-{next(_serial)}-{secrets.token_hex(3)}")


async def stored_login(server: EmbeddedHomeserver, root: Path, owner: Account) -> DataDir:
    """A data dir holding a real login of the account (a new device), nothing synced: what
    a first start of the app finds after the sign-in."""
    data = DataDir(root)
    client = await MatrixClient.login(
        server.url, owner.user_id, owner.password, data.crypto, "Open Operations Room"
    )
    await asyncio.to_thread(CredentialStore(root).save, client.creds)
    await client.close()
    return data


def nonce(label: str, index: int) -> str:
    """A message body that can only match the one message it was made for."""
    return f"{label} #{index} {secrets.token_hex(8)}"


# -- statistics ----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), ``q`` in 0..100."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures we print for a list of samples (all in the samples' unit)."""

    n: int
    p50: float
    p95: float
    max: float
    min: float
    mean: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            return cls(0, math.nan, math.nan, math.nan, math.nan, math.nan)
        return cls(
            len(values),
            percentile(values, 50),
            percentile(values, 95),
            max(values),
            min(values),
            statistics.fmean(values),
        )

    def line(self, label: str, unit: str = "ms", width: int = 34) -> str:
        return (
            f"{label:<{width}} p50 {self.p50:8.1f} {unit}   p95 {self.p95:8.1f} {unit}   "
            f"max {self.max:8.1f} {unit}   mean {self.mean:8.1f} {unit}   n={self.n}"
        )

    def rounded(self, digits: int = 2) -> dict[str, float | int | None]:
        """For the JSON line: rounded, and null where nothing could be measured."""
        return {
            k: (finite(v, digits) if isinstance(v, float) else v) for k, v in asdict(self).items()
        }


def emit_json(bench: str, payload: dict[str, Any]) -> None:
    """The machine-readable result: one line, always the last one a benchmark prints."""
    print(json.dumps({"bench": bench, **payload}, ensure_ascii=False, allow_nan=False), flush=True)


def finite(value: float, digits: int = 2) -> float | None:
    """JSON has no NaN: a figure that could not be measured becomes null."""
    return None if math.isnan(value) else round(value, digits)


# -- the app's own services as a peer --------------------------------------------------------


class ServicePeer:
    """One device driven through the app's services (``Backend``), on the caller's loop.

    Every notice is kept, and ``listeners`` see each one as it is emitted, on the
    backend loop, which is where a benchmark takes its timestamps.
    """

    def __init__(self, data_dir: Path, account: Account) -> None:
        self.login_as = account
        self.notices: list[Notice] = []
        self.listeners: list[Callable[[Notice], None]] = []
        self._changed = asyncio.Event()
        self.backend = Backend(DataDir(data_dir), self._notify)

    def _notify(self, notice: Notice) -> None:
        self.notices.append(notice)
        for listener in self.listeners:
            listener(notice)
        self._changed.set()

    @property
    def account(self) -> AccountService:
        account = self.backend.account
        if account is None:
            raise RuntimeError(f"{self.login_as.user_id} is not signed in: {self.notices[-1:]}")
        return account

    @property
    def user_id(self) -> str:
        return self.login_as.user_id

    async def login(self, server: EmbeddedHomeserver) -> ServicePeer:
        ok = await self.backend.login(server.url, self.login_as.user_id, self.login_as.password)
        if not ok:
            raise RuntimeError(f"login of {self.user_id} failed: {self.notices[-1:]}")
        return self

    async def wait_for(
        self, check: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS
    ) -> None:
        """Wait until ``check()`` holds, re-checking on every notice; bounded."""
        try:
            async with asyncio.timeout(seconds):
                while not check():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise RuntimeError(f"{self.user_id}: gave up waiting for {what}") from None

    def events(self) -> Iterator[RoomEvent]:
        for notice in self.notices:
            if isinstance(notice, EventsArrived):
                yield from notice.events

    def texts(self, room_id: str) -> set[str]:
        """Bodies of the decrypted text messages seen in a room."""
        return {
            str(e.content.get("body"))
            for e in self.events()
            if e.room_id == room_id and e.type == "m.room.message" and e.status is EventStatus.OK
        }

    def has_joined(self, room_id: str, user_id: str) -> bool:
        return any(
            e.room_id == room_id
            and e.type == "m.room.member"
            and e.state_key == user_id
            and e.content.get("membership") == "join"
            for e in self.events()
        )

    def unsent(self) -> set[str]:
        """Transaction ids announced as pending and not (yet) announced as sent or failed."""
        last: dict[str, OutboxState] = {}
        for notice in self.notices:
            if isinstance(notice, OutboxChanged):
                last[notice.item.txn_id] = notice.item.state
        return {txn for txn, state in last.items() if state is OutboxState.PENDING}

    async def close(self) -> None:
        await self.backend.shutdown()


async def encrypted_room(owner: ServicePeer, guest: ServicePeer, name: str) -> str:
    """An encrypted room of the two, created by ``owner``; returns once both are in it."""
    room_id = await owner.account.create_room(name, (guest.user_id,))
    await guest.account.client.join(room_id)
    await owner.wait_for(lambda: owner.has_joined(room_id, guest.user_id), "the guest's join")
    return room_id
