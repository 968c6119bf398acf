"""The exercise host: the cast's accounts (made once on the embedded homeserver, their
passwords kept 0600) and their backends on this loop, and the runner once convened.

The host is handed a factory for the cast's backends rather than importing ``Backend``:
the backend owns the exercise, so the exercise must not own the backend's module.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.core.exercise import NOTES_FILE, EvaluatorNote, Scenario
from app.core.paths import DataDir
from app.services.exercise.runner import ExerciseError, ExerciseRunner
from app.services.notices import EvaluatorNotes, Notice
from app.store import JsonDocument

if TYPE_CHECKING:
    from app.homeserver import Account
    from app.services.account import AccountService


@dataclass
class CastLogin:
    user_id: str
    password: str


class MakeCastAccount(Protocol):
    """The embedded server's ``create_account``: a cast member's account, named."""

    def __call__(self, localpart: str, password: str, *, display_name: str) -> Account: ...


class CastBackend(Protocol):
    """What the host needs of one cast member's backend (an ``app.services.backend.Backend``
    whose notices nobody watches)."""

    account: AccountService | None

    async def login(self, homeserver: str, user: str, password: str) -> bool: ...

    async def shutdown(self) -> None: ...


@dataclass
class ExerciseHost:
    """The cast's accounts and backends on this loop, and the runner once convened."""

    facilitator: AccountService  # the app's own, signed in
    notify: Callable[[Notice], None]  # the facilitator's screen: progress, notes
    new_backend: Callable[[DataDir], CastBackend]  # a signed-out backend for a cast member
    scenario: Scenario
    root: Path  # cast data dirs and their remembered passwords
    make_account: MakeCastAccount | None = None  # the embedded server's
    prefix: str = ""  # put before every handle (tests share one homeserver)
    runner: ExerciseRunner | None = None
    stopped: bool = False
    _cast: dict[str, CastBackend] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None
    _starting: asyncio.Task[Any] | None = None  # the start under way, cancelled by stop()
    _notes_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def start(self, speed: float = 1.0, autostart: bool = True) -> ExerciseRunner:
        facilitator = self.facilitator
        self._starting = asyncio.current_task()
        logins = await asyncio.to_thread(self._logins)
        accounts: dict[str, AccountService] = {}
        for handle, login in logins.items():
            backend = self.new_backend(DataDir(self.root / handle))
            self._cast[handle] = backend
            homeserver = facilitator.client.creds.homeserver
            if not await backend.login(homeserver, login.user_id, login.password):
                raise ExerciseError(f"{login.user_id} could not sign in")
            assert backend.account is not None
            accounts[handle] = backend.account
        self.runner = ExerciseRunner(self.scenario, facilitator, accounts, self.notify)
        await self.runner.convene()
        self._starting = None
        self._task = asyncio.create_task(self.runner.run(speed, autostart), name="oor-exercise")
        return self.runner

    async def add_note(self, text: str) -> None:
        """An evaluator's observation, stamped with the exercise clock; kept on this machine
        only (facilitators' eyes), never sent to the session."""
        runner = self.runner
        if runner is None or runner.session is None or not text.strip():
            return
        document = JsonDocument(self.root / NOTES_FILE, self.facilitator.file_key)
        note = EvaluatorNote(
            runner.session.space_id,
            runner.clock.elapsed(time.monotonic()),
            int(time.time() * 1000),
            text.strip(),
        )
        async with self._notes_lock:  # read, add, write: two notes at once must both stay
            saved = await asyncio.to_thread(document.load)
            notes = [*saved.get("notes", []), asdict(note)]
            await asyncio.to_thread(document.save, {"notes": notes})
        mine = [EvaluatorNote(**n) for n in notes if n["space_id"] == note.space_id]
        self.notify(EvaluatorNotes(note.space_id, tuple(mine)))

    async def finished(self) -> None:
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        """Stop playing and sign the cast's backends off this machine (their accounts stay)."""
        self.stopped = True
        starting = self._starting
        if starting is not None and starting is not asyncio.current_task():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([starting])
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for backend in self._cast.values():
            await backend.shutdown()
        self._cast.clear()

    def _logins(self) -> dict[str, CastLogin]:
        """Cast accounts on the embedded homeserver: made once, their passwords kept (0600)."""
        document = JsonDocument(self.root / "cast.json", self.facilitator.file_key)
        logins = {h: CastLogin(**v) for h, v in document.load().items()}
        missing = [c for c in self.scenario.cast if c.handle not in logins]
        if missing and self.make_account is None:
            raise ExerciseError(
                f"no login for {', '.join(c.handle for c in missing)} in {document.path}, "
                "and accounts can only "
                "be made on the embedded homeserver"
            )
        for member in missing:
            assert self.make_account is not None
            password = secrets.token_urlsafe(18)
            account = self.make_account(
                self.prefix + member.handle, password, display_name=member.name
            )
            logins[member.handle] = CastLogin(account.user_id, password)
        document.save({h: vars(v) for h, v in logins.items()})
        return {c.handle: logins[c.handle] for c in self.scenario.cast}
