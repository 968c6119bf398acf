"""Throwaway PostgreSQL and Redis for a local deployment: temp dir, loopback, free port.

PostgreSQL refuses to run as root, and the tests do run as root in CI: then the cluster
belongs to the `postgres` system user (the Debian package creates it) and its commands
run through `runuser`. The cluster is created with the C locale and UTF-8, which Synapse
requires of its database.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from app.homeserver.config import LOOPBACK, HomeserverError, free_loopback_port
from app.homeserver.deployment.local.child import Child

DB_USER = "synapse"
DB_NAME = "synapse"


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's server binaries (Debian keeps them off PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(p) for p in version.split(".") if p.isdigit())


class TempPostgres:
    """A PostgreSQL cluster in its own temp dir, trust-authenticated on loopback only."""

    def __init__(self, timeout: float = 60.0) -> None:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise HomeserverError(
                "PostgreSQL is not installed: run installer/install-system-deps.sh."
            )
        self._bin = bin_dir
        self._timeout = timeout
        self._owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        # Not under the caller's temp dir: that may be private to root (pytest's is).
        self.root = Path(tempfile.mkdtemp(prefix="oor-postgres-"))
        if self._owner is not None:
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        self.port = free_loopback_port()
        self._data = self.root / "data"
        self._started = False

    @property
    def url(self) -> str:
        return f"postgresql://{DB_USER}@{LOOPBACK}:{self.port}/{DB_NAME}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._owner is not None else []
        result = subprocess.run(
            [*prefix, *command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=self._timeout,
            check=False,
        )
        if result.returncode != 0:
            raise HomeserverError(
                f"{Path(command[0]).name} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )

    def start(self) -> None:
        self._run(
            str(self._bin / "initdb"),
            "-D", str(self._data),
            "-U", DB_USER,
            "--auth=trust",
            "--locale=C",
            "--encoding=UTF8",
        )  # fmt: skip
        self.resume()
        self.create_database(DB_NAME)

    def create_database(self, name: str) -> str:
        """One more database in the cluster (a test's own); its URL."""
        self._run(
            str(self._bin / "createdb"),
            "-h", LOOPBACK, "-p", str(self.port), "-U", DB_USER, "-O", DB_USER, name,
        )  # fmt: skip
        return f"postgresql://{DB_USER}@{LOOPBACK}:{self.port}/{name}"

    def resume(self) -> None:
        """Start the server on the cluster (again, after ``pause``), same port and data."""
        options = (
            f"-c listen_addresses={LOOPBACK} -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c max_connections=200"
        )
        # `pg_ctl start -w` returns once the server accepts connections (or fails).
        self._run(
            str(self._bin / "pg_ctl"), "start", "-w", "-t", str(int(self._timeout)),
            "-D", str(self._data), "-l", str(self.root / "postgres.log"), "-o", options,
        )  # fmt: skip
        self._started = True

    def pause(self) -> None:
        """Stop the server, keeping the cluster: a database outage that ``resume`` ends."""
        self._run(str(self._bin / "pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(self._data))
        self._started = False

    def stop(self) -> None:
        try:
            if self._started:
                self._run(
                    str(self._bin / "pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(self._data)
                )
        finally:
            self._started = False
            shutil.rmtree(self.root, ignore_errors=True)


class TempRedis:
    """A Redis on loopback with no persistence: replication traffic only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_loopback_port()
        self._child: Child | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self, timeout: float = 30.0) -> None:
        program = shutil.which("redis-server")
        if program is None:
            raise HomeserverError("Redis is not installed: run installer/install-system-deps.sh.")
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "redis.conf"
        config.write_text(
            f"bind {LOOPBACK}\nport {self.port}\nprotected-mode yes\ndaemonize no\n"
            f'dir {self.root}\nsave ""\nappendonly no\nlogfile ""\n',
            encoding="utf-8",
        )
        self._child = Child(
            "redis-server", [program, str(config)], self.root / "redis.log", self.root
        )
        self._child.wait_until(self._pong, "PONG", timeout)

    def _pong(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None
