"""A child process with its output in a file, waited on by condition, stopped in order."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from app.homeserver.config import HomeserverError

_POLL = 0.1
_TAIL = 15


class Child:
    """One long-running program (Redis, nginx, a Synapse process) started in its own
    session so stopping it takes its helpers along and a terminal's Ctrl-C does not."""

    def __init__(
        self, name: str, command: Sequence[str], log: Path, cwd: Path, extra_log: Path | None = None
    ) -> None:
        """`log` gets the child's output; `extra_log` is a log the program writes itself
        (shown too when it fails)."""
        self.name = name
        self.log = log
        self._extra_log = extra_log
        with log.open("ab") as output:
            self._proc = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=dict(os.environ, PYTHONUNBUFFERED="1"),
                start_new_session=True,
            )

    def wait_until(self, ready: Callable[[], bool], what: str, timeout: float) -> None:
        """Return once `ready()` holds; raise with the log's tail if the child dies first
        or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        while not ready():
            code = self._proc.poll()
            if code is not None:
                raise HomeserverError(
                    self.explain(f"{self.name} exited (code {code}) before {what}.")
                )
            if time.monotonic() > deadline:
                raise HomeserverError(self.explain(f"{self.name}: no {what} within {timeout:g} s."))
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(_POLL)  # wakes at once if the child exits

    def explain(self, headline: str) -> str:
        lines = [headline]
        for path in (self.log, self._extra_log):
            if path is not None and path.exists():
                tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-_TAIL:]
                lines.append(f"Last lines of {path}:")
                lines += [f"  {line}" for line in tail]
        return "\n".join(lines)

    def alive(self) -> bool:
        return self._proc.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the child's process group, SIGKILL after `timeout` seconds."""
        if self._proc.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self._proc.wait()

    def _signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, signum)
