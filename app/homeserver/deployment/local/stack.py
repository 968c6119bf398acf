"""Bring a whole worker deployment up on loopback and down again, in dependency order.

PostgreSQL and Redis first, then `oor server init`'s own files (written by the same
generator an administrator runs, with free loopback ports instead of fixed ones), the
Synapse main process (it creates the schema), its workers, and last nginx with the
generated routing. Each step waits for a readiness condition, never a fixed time.
"""

from __future__ import annotations

import getpass
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from app.homeserver.admin_api import Registrar, answers
from app.homeserver.config import LOOPBACK, HomeserverError, free_loopback_port
from app.homeserver.deployment import nginx as nginx_files
from app.homeserver.deployment.local.child import Child
from app.homeserver.deployment.local.services import TempPostgres, TempRedis, postgres_bin_dir
from app.homeserver.deployment.plan import DeploymentPlan, Process, plan_deployment
from app.homeserver.deployment.writer import write_deployment
from app.homeserver.running import RunningHomeserver

SERVER_NAME = "ministry.test"


def missing_programs() -> list[str]:
    """What this machine lacks to run a local deployment (empty when it can)."""
    missing = [] if postgres_bin_dir() else ["postgresql"]
    missing += [p for p in ("redis-server", "nginx") if shutil.which(p) is None]
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser")
    return missing


class LocalDeployment(RunningHomeserver):
    """The generated deployment running here; offers what EmbeddedHomeserver offers to
    clients and tests: `url` (nginx), `server_name`, `create_account`."""

    def __init__(self, root: Path, client_workers: int = 1, startup_timeout: float = 180.0) -> None:
        self.root = Path(root)
        self._client_workers = client_workers
        self._timeout = startup_timeout
        self._postgres: TempPostgres | None = None
        self._redis: TempRedis | None = None
        self._children: list[Child] = []
        self.plan: DeploymentPlan | None = None
        self.startup_seconds: dict[str, float] = {}

    # -- what clients see ---------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._plan().nginx_port}"

    @property
    def server_name(self) -> str:
        return self._plan().server_name

    def registrar(self) -> Registrar:
        """Shared-secret registration through nginx (it reaches the main process)."""
        plan = self._plan()
        secret = plan.secrets["registration_shared_secret"]
        return Registrar(self.url, secret, plan.server_name, str(plan.layout.logs))

    # -- bring up, tear down ------------------------------------------------------------

    def start(self) -> None:
        """Start everything; on any failure stop what was started and raise."""
        try:
            self._timed("postgresql", self._start_postgres)
            self._timed("redis", self._start_redis)
            plan = self._write_plan()
            self._timed("synapse main", lambda: self._start_synapse(plan, [plan.main]))
            self._timed("synapse workers", lambda: self._start_synapse(plan, list(plan.workers)))
            self._timed("nginx", lambda: self._start_nginx(plan))
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop in reverse order: nginx, workers, main, Redis, PostgreSQL."""
        for child in reversed(self._children):
            child.stop()
        self._children.clear()
        if self._redis is not None:
            self._redis.stop()
            self._redis = None
        if self._postgres is not None:
            self._postgres.stop()
            self._postgres = None

    # -- the steps ----------------------------------------------------------------------

    def _plan(self) -> DeploymentPlan:
        if self.plan is None:
            raise HomeserverError("The local deployment is not started.")
        return self.plan

    def _timed(self, what: str, step: Callable[[], object]) -> None:
        started = time.perf_counter()
        step()
        self.startup_seconds[what] = round(time.perf_counter() - started, 2)

    def _start_postgres(self) -> None:
        self._postgres = TempPostgres(timeout=self._timeout)
        self._postgres.start()

    def _start_redis(self) -> None:
        self._redis = TempRedis(self.root / "redis")
        self._redis.start()

    def _write_plan(self) -> DeploymentPlan:
        assert self._postgres is not None and self._redis is not None
        nginx_port = free_loopback_port()
        self.plan = plan_deployment(
            self.root / "deployment",
            postgres_url=self._postgres.url,
            redis_url=self._redis.url,
            public_url=f"http://{LOOPBACK}:{nginx_port}",
            client_workers=self._client_workers,
            server_name=SERVER_NAME,
            next_port=free_loopback_port,
            nginx_port=nginx_port,
        )
        write_deployment(self.plan)
        return self.plan

    def _start_synapse(self, plan: DeploymentPlan, processes: list[Process]) -> None:
        """Start the processes together, then wait until each answers /health."""
        started = []
        for process in processes:
            command = [plan.python, "-m", process.app]
            for path in plan.layout.config_paths(process):
                command += ["--config-path", str(path)]
            logs = plan.layout.logs
            child = Child(
                f"Synapse {process.name}",
                command,
                logs / f"{process.name}.stderr.log",
                plan.layout.root,
                extra_log=logs / f"{process.name}.log",
            )
            self._children.append(child)
            started.append((process, child))
        for process, child in started:
            base = f"http://{LOOPBACK}:{process.http_port or process.replication_port}"
            child.wait_until(
                lambda b=base: answers(b, "/health"), "answer on /health", self._timeout
            )

    def _start_nginx(self, plan: DeploymentPlan) -> None:
        program = shutil.which("nginx")
        if program is None:
            raise HomeserverError("nginx is not installed: run installer/install-system-deps.sh.")
        prefix = self.root / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        config = prefix / "nginx.conf"
        config.write_text(_nginx_conf(plan, prefix), encoding="utf-8")
        command = [program, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")]
        child = Child("nginx", command, prefix / "nginx.stderr.log", prefix)
        self._children.append(child)
        child.wait_until(lambda: answers(self.url), "client API through nginx", self._timeout)


def _nginx_conf(plan: DeploymentPlan, prefix: Path) -> str:
    """A minimal nginx around the generated routing files, in the foreground, on loopback."""
    directory = plan.layout.nginx
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""\
daemon off;
{user}worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temp}    include {directory / nginx_files.UPSTREAMS_NAME};
    server {{
        listen {LOOPBACK}:{plan.nginx_port};
        server_name localhost;
        include {directory / nginx_files.LOCATIONS_NAME};
    }}
}}
"""
