"""Run the embedded Synapse as a child process and make accounts on it.

Synapse runs out of process (``python -m synapse.app.homeserver``) because it owns a Twisted
reactor, global logging and signal handlers that must not leak into the app, and because a
crash of the server must not take the client down with it. The child gets its own session
so a Ctrl-C in the terminal reaches only us; we then stop it in order, and stop() signals the
whole process group so nothing is left behind.

Accounts are made with Synapse's shared-secret admin registration, so registration stays
closed to everybody else.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from app.homeserver.admin_api import Registrar, answers
from app.homeserver.config import (
    LOOPBACK,
    HomeserverError,
    HomeserverFiles,
    HomeserverSettings,
    ensure_config,
)
from app.homeserver.running import RunningHomeserver

_TAIL_LINES = 20
_POLL_INTERVAL = 0.1
_INSTALL_HINT = (
    "Synapse (the matrix-synapse package) is not installed in this Python environment: "
    "install the 'synapse' extra, e.g. `pip install -e '.[synapse]'`."
)


class _StopRequested(BaseException):
    """Raised by serve_forever's signal handler to abort a start still in progress."""


class EmbeddedHomeserver(RunningHomeserver):
    """A Synapse homeserver living entirely in one data directory, on loopback only."""

    def __init__(
        self, data_dir: Path, port: int | None = None, server_name: str = "localhost"
    ) -> None:
        self._files = HomeserverFiles(Path(data_dir).expanduser().absolute())
        self._server_name = server_name
        self._requested_port = port
        try:
            self._settings = ensure_config(self._files, server_name, port)
        except HomeserverError:
            # Report a damaged data dir when it is used (start, create_account), so that
            # making the object never fails and the error reaches the same handler.
            self._settings = HomeserverSettings(server_name, port or 0, "")
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    # -- where it is ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def server_name(self) -> str:
        return self._settings.server_name

    @property
    def port(self) -> int:
        return self._settings.port

    @property
    def data_dir(self) -> Path:
        return self._files.data_dir

    @property
    def config_path(self) -> Path:
        return self._files.config

    @property
    def log_path(self) -> Path:
        return self._files.log

    # -- process control -----------------------------------------------------------------

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def running_elsewhere(self) -> bool:
        """Another process (`oor serve`, or an app that crashed) already serves this data
        dir and answers: use it rather than refuse, and leave its stopping to its owner."""
        try:
            pid = int(self._files.pid.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return False
        return (
            not self.is_running()
            and _is_our_synapse(pid, self.config_path)
            and answers(self.url, timeout=2.0)
        )

    def start(self, timeout: float = 90.0) -> None:
        """Start Synapse and return once it answers client requests.

        Raises HomeserverError, with the end of Synapse's logs, if it exits or does not
        answer within `timeout` seconds; the half-started process is killed first."""
        if self.is_running():
            return
        self.stop()  # reap a child that died on its own since the last start
        # Re-read the config: it may have been edited since this object was made.
        self._settings = ensure_config(self._files, self._server_name, self._requested_port)
        if importlib.util.find_spec("synapse") is None:
            raise HomeserverError(_INSTALL_HINT)
        self._refuse_if_running_elsewhere()
        self._log_offset = _size(self._files.log)
        env = dict(os.environ, PYTHONUNBUFFERED="1")  # a crash's last words reach the file
        command = [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)]
        with self._files.stderr_log.open("wb") as output:
            self._proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                env=env,
                start_new_session=True,
            )
        atexit.register(self.stop)
        with contextlib.suppress(OSError):
            self._files.pid.write_text(f"{self._proc.pid}\n", encoding="ascii")
        try:
            self._wait_until_ready(self._proc, timeout)
        except BaseException:
            self.stop(timeout=5.0)
            raise

    def stop(self, timeout: float = 30.0) -> None:
        """Stop Synapse: SIGTERM to its process group, SIGKILL after `timeout` seconds."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            _signal_group(proc, force=False)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(proc, force=True)
                proc.wait()
        # Forget the process only once it is reaped, so an interrupted stop() can be redone.
        self._proc = None
        atexit.unregister(self.stop)
        with contextlib.suppress(OSError):
            self._files.pid.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL Synapse's process group without any shutdown, as a crash or power cut
        would; ``start()`` brings it back on the same port with the same data."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            _signal_group(proc, force=True)
            proc.wait()
        self._proc = None
        atexit.unregister(self.stop)

    def serve_forever(self, on_ready: Callable[[str], None] | None = None) -> int:
        """Start, call on_ready(url), block until SIGINT/SIGTERM, stop cleanly, return 0.

        Signals are caught from before the start so that even a SIGTERM during startup
        stops Synapse instead of orphaning it. Raises HomeserverError if Synapse dies."""
        stop_requested = threading.Event()
        starting = True

        def on_signal(_signum: int, _frame: FrameType | None) -> None:
            stop_requested.set()
            if starting:
                raise _StopRequested

        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, on_signal)
        try:
            self.start()
            starting = False
            if on_ready is not None:
                on_ready(self.url)
            while not stop_requested.wait(0.5):
                proc = self._proc
                if proc is None:  # stop() was called from elsewhere
                    break
                code = proc.poll()
                if code is not None:
                    raise HomeserverError(
                        self._explain(f"Synapse stopped unexpectedly (exit code {code}).")
                    )
        except _StopRequested:
            pass
        finally:
            starting = False
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return 0

    # -- accounts ------------------------------------------------------------------------

    def registrar(self) -> Registrar:
        """The shared secret's registrar (it works on a server started by another process
        from this data dir too: the secret is read from the config if not known yet)."""
        if not self._settings.registration_shared_secret:
            self._settings = ensure_config(self._files, self._server_name, self._requested_port)
        secret = self._settings.registration_shared_secret
        return Registrar(self.url, secret, self.server_name, str(self.log_path))

    # -- internals -----------------------------------------------------------------------

    def _wait_until_ready(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            code = proc.poll()
            if code is not None:
                raise HomeserverError(
                    self._explain(f"Synapse exited during startup (exit code {code}).")
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise HomeserverError(
                    self._explain(f"Synapse did not answer at {self.url} within {timeout:g} s.")
                )
            if answers(self.url, timeout=min(2.0, remaining)) and proc.poll() is None:
                return
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(min(_POLL_INTERVAL, max(remaining, 0.0)))  # wakes at once on exit

    def _refuse_if_running_elsewhere(self) -> None:
        """Two Synapses on one SQLite database corrupt it; say who holds the data dir."""
        try:
            pid = int(self._files.pid.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return
        if _is_our_synapse(pid, self.config_path):
            raise HomeserverError(
                f"A homeserver for {self.data_dir} is already running (process {pid}, "
                f"{self.url}). Use it, or stop it first (e.g. `kill {pid}`)."
            )
        with contextlib.suppress(OSError):
            self._files.pid.unlink()

    def _explain(self, headline: str) -> str:
        """The headline, a hint for failures we recognise, and the end of both logs."""
        stderr_tail = _tail(self._files.stderr_log, 0)
        log_tail = _tail(self.log_path, self._log_offset)
        both = "\n".join(stderr_tail + log_tail)
        parts = [headline]
        if "Address already in use" in both or "EADDRINUSE" in both:
            parts.append(
                f"Port {self.port} on {LOOPBACK} is taken by another program: start the "
                "homeserver on another port, or stop that program."
            )
        if "No module named synapse" in both:
            parts.append(_INSTALL_HINT)
        if set(log_tail) <= set(stderr_tail):
            log_tail = []  # Synapse wrote the same traceback to both: show it once
        for path, tail in ((self._files.stderr_log, stderr_tail), (self.log_path, log_tail)):
            if tail:
                parts.append(f"Last lines of {path}:\n" + "\n".join("  " + t for t in tail))
        if not stderr_tail and not log_tail:
            parts.append(f"Synapse wrote nothing to {self._files.stderr_log} or {self.log_path}.")
        return "\n".join(parts)


def _signal_group(proc: subprocess.Popen[bytes], *, force: bool) -> None:
    """SIGTERM (or SIGKILL if `force`) Synapse's whole process group: it leads its own
    session, so helpers it may have started go too. Only called while the leader is
    unreaped, so the group id cannot belong to anybody else yet."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL if force else signal.SIGTERM)
        elif force:
            proc.kill()
        else:
            proc.terminate()
    except ProcessLookupError:
        pass


def _is_our_synapse(pid: int, config_path: Path) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():  # Linux: rule out a recycled pid
        with contextlib.suppress(OSError):
            return str(config_path).encode() in cmdline.read_bytes()
    return True


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _tail(path: Path, offset: int, lines: int = _TAIL_LINES) -> list[str]:
    """The last non-empty lines written to `path` after `offset` (from the start if the
    file has been rotated and shrank since)."""
    try:
        with path.open("rb") as handle:
            if offset <= _size(path):
                handle.seek(offset)
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    return [line.rstrip() for line in text.splitlines() if line.strip()][-lines:]
