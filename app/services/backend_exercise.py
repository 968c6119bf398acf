"""The backend's exercise commands: start a rehearsal, steer its clock, note, stop it.

Why apart from ``backend.py``: a running exercise is a second job beside the signed-in
account (its cast get backends of their own on the same loop), and most starts of the
app never run one. So ``app.services.exercise`` (the host and the runner) is imported
here only when an exercise is first started, not on every start of the app.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.paths import DataDir
from app.services.notices import Notice, Problem

if TYPE_CHECKING:
    from app.core.exercise import Scenario
    from app.homeserver import EmbeddedHomeserver
    from app.services.account import AccountService
    from app.services.exercise import ExerciseHost, ExerciseRunner
    from app.services.exercise.host import CastBackend, MakeCastAccount

log = logging.getLogger(__name__)


class ExerciseCommands:
    """Mixed into ``Backend``: the facilitator's exercise, run by the signed-in account."""

    data: DataDir
    notify: Callable[[Notice], None]
    homeserver: EmbeddedHomeserver | None
    account: AccountService | None
    exercise: ExerciseHost | None = None  # the running exercise's cast, if any

    def _cast_backend(self, data: DataDir) -> CastBackend:
        """A signed-out backend for one cast member, on this loop."""
        raise NotImplementedError

    async def start_exercise(
        self, scenario: Scenario, speed: float = 1.0, autostart: bool = True, prefix: str = ""
    ) -> ExerciseRunner | None:
        """Sign the cast in, convene, start playing; a failure is shown, not raised, and
        whatever part of the cast got signed in is signed off again."""
        from app.services.exercise import ExerciseError  # the first exercise loads it

        await self.stop_exercise()
        if not speed > 0:
            self.notify(Problem("exercise_failed", f"the speed must be positive, not {speed}"))
            return None
        server = self.homeserver
        make = server.create_account if server is not None else None
        try:
            host = self.exercise_host(scenario, self.data.root / "exercise", make, prefix)
        except ExerciseError as exc:
            self.notify(Problem("exercise_failed", str(exc)))
            return None
        self.exercise = host
        try:
            return await host.start(speed, autostart)
        except asyncio.CancelledError:
            if host.stopped:  # stopped while convening (a new exercise, or the app closing)
                return None
            raise
        except Exception as exc:  # any failure: the cast must not stay signed in
            if isinstance(exc, ExerciseError):  # a refusal we word: said as it is
                log.info("exercise did not start: %s", exc)
                said = str(exc)
            else:
                log.exception("exercise did not start")
                said = f"{type(exc).__name__}: {exc}"
            self.notify(Problem("exercise_failed", said))
            if self.exercise is host:
                await self.stop_exercise()
            return None

    def exercise_host(
        self,
        scenario: Scenario,
        root: Path,
        make_account: MakeCastAccount | None = None,
        prefix: str = "",
    ) -> ExerciseHost:
        """A host for ``scenario`` run by this backend's account; its cast get backends of
        their own on this loop, whose notices nobody watches."""
        from app.services.exercise import ExerciseError, ExerciseHost

        if self.account is None:
            raise ExerciseError("sign in before starting an exercise")
        return ExerciseHost(
            self.account, self.notify, self._cast_backend, scenario, root, make_account, prefix
        )

    def exercise_control(self, action: str, speed: float = 1.0) -> None:
        """start | pause | resume | speed | next, from the facilitator's controls."""
        runner = self.exercise.runner if self.exercise else None
        if runner is None:
            return
        match action:
            case "start":
                runner.start()
            case "pause":
                runner.pause()
            case "resume":
                runner.resume()
            case "speed":
                runner.set_speed(speed)
            case "next":
                runner.skip_to_next()

    async def add_exercise_note(self, text: str) -> None:
        if self.exercise is not None:
            await self.exercise.add_note(text)

    async def stop_exercise(self) -> None:
        exercise, self.exercise = self.exercise, None
        if exercise is not None:
            await exercise.stop()
