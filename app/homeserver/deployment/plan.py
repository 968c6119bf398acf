"""What a ministry deployment consists of: which Synapse processes, on which ports, where.

One plan feeds every generator (Synapse YAML, nginx, systemd) so they cannot disagree
about a port or a worker name. The process split follows Synapse's docs/workers.md:
- `main`: the main process; handles what no worker may (admin registration, typing,
  to-device, receipts) and is the replication hub;
- `client1..N`: generic workers for client reads, sync, login, keys and sending;
- `event_persister1`: the `events` stream writer, so writing the timeline leaves main;
- `media1`: the media repository (attachments), so an upload surge slows nothing else.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core.identifiers import is_user_id
from app.core.keeper_env import DB_PLACEHOLDER, KeeperEnv, KeeperEnvError, checked
from app.homeserver.config import HomeserverError
from app.homeserver.deployment.urls import (
    PostgresAddress,
    PublicAddress,
    RedisAddress,
    parse_postgres,
    parse_public_url,
    parse_redis,
)

MAIN_APP = "synapse.app.homeserver"
GENERIC_APP = "synapse.app.generic_worker"
MEDIA_APP = "synapse.app.media_repository"
EVENT_PERSISTER = "event_persister1"
MEDIA_WORKER = "media1"
MAX_CLIENT_WORKERS = 32
DEFAULT_FIRST_PORT = 8008


@dataclass(frozen=True)
class Process:
    """One Synapse process: its name (Synapse's `worker_name`), app and loopback ports.

    `http_port` carries client or media traffic from nginx; `replication_port` carries
    Synapse's internal HTTP replication and must never be reachable from outside."""

    name: str
    app: str
    http_port: int | None = None
    http_resource: str = "client"
    replication_port: int | None = None

    @property
    def is_main(self) -> bool:
        return self.app == MAIN_APP


@dataclass(frozen=True)
class Layout:
    """Where the generated files and the server's state live, all under one directory."""

    root: Path

    @property
    def synapse(self) -> Path:
        return self.root / "synapse"

    @property
    def shared_config(self) -> Path:
        return self.synapse / "homeserver.yaml"

    def worker_config(self, name: str) -> Path:
        return self.synapse / "workers" / f"{name}.yaml"

    def log_config(self, name: str) -> Path:
        return self.synapse / "log" / f"{name}.log.yaml"

    @property
    def signing_key(self) -> Path:
        return self.synapse / "signing.key"

    @property
    def media_store(self) -> Path:
        return self.root / "data" / "media_store"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def nginx(self) -> Path:
        return self.root / "nginx"

    @property
    def systemd(self) -> Path:
        return self.root / "systemd"

    @property
    def keeper_data(self) -> Path:
        """The records keeper's data dir: its login and device keys."""
        return self.root / "keeper"

    @property
    def keeper_env(self) -> Path:
        """The keeper unit's environment file (``app/core/keeper_env.py`` says its form)."""
        return self.root / "keeper.env"

    def config_paths(self, process: Process) -> list[Path]:
        """The --config-path arguments of a process: shared config, then its own."""
        if process.is_main:
            return [self.shared_config]
        return [self.shared_config, self.worker_config(process.name)]


@dataclass(frozen=True)
class DeploymentPlan:
    """Everything the generators need; built by `plan_deployment`, never by hand."""

    layout: Layout
    server_name: str
    public: PublicAddress
    postgres: PostgresAddress
    redis: RedisAddress
    processes: tuple[Process, ...]
    nginx_port: int
    python: str
    service_user: str
    keeper: KeeperEnv
    secrets: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def main(self) -> Process:
        return self.processes[0]

    @property
    def workers(self) -> tuple[Process, ...]:
        return self.processes[1:]

    @property
    def client_workers(self) -> tuple[Process, ...]:
        return tuple(p for p in self.processes if p.name.startswith("client"))

    @property
    def media_worker(self) -> Process:
        return next(p for p in self.processes if p.name == MEDIA_WORKER)

    @property
    def event_persister(self) -> Process:
        return next(p for p in self.processes if p.name == EVENT_PERSISTER)


def _processes(client_workers: int, next_port: Callable[[], int]) -> tuple[Process, ...]:
    main = Process("main", MAIN_APP, http_port=next_port(), replication_port=next_port())
    clients = [
        Process(f"client{i}", GENERIC_APP, http_port=next_port())
        for i in range(1, client_workers + 1)
    ]
    persister = Process(EVENT_PERSISTER, GENERIC_APP, replication_port=next_port())
    media = Process(MEDIA_WORKER, MEDIA_APP, http_port=next_port(), http_resource="media")
    return (main, *clients, persister, media)


def _keeper(layout: Layout, homeserver: str, db: str | None, user: str) -> KeeperEnv:
    """The records keeper's settings: it signs in through the public address like any
    client, and its database URL stays a placeholder until the records office gives one."""
    if not is_user_id(user):
        raise HomeserverError(
            f"The keeper's account '{user}' is not a user id like @records:x.org."
        )
    try:
        checked(KeeperEnv(db=db or DB_PLACEHOLDER), "--keeper-db", placeholder_ok=True)
    except KeeperEnvError as exc:
        raise HomeserverError(str(exc)) from None
    return KeeperEnv(
        db=db or DB_PLACEHOLDER, homeserver=homeserver, user=user, data_dir=str(layout.keeper_data)
    )


def consecutive_ports(first: int) -> Callable[[], int]:
    """Ports first, first+1, ... — predictable numbers for a firewall-minded administrator."""
    if not 1 <= first <= 65535:
        raise HomeserverError(f"The first port must be between 1 and 65535, not {first}.")
    counter: Iterator[int] = iter(range(first, 65536))

    def next_port() -> int:
        try:
            return next(counter)
        except StopIteration:
            raise HomeserverError(
                f"Not enough ports above {first}: choose a lower first port."
            ) from None

    return next_port


def plan_deployment(
    root: Path,
    *,
    postgres_url: str,
    redis_url: str,
    public_url: str,
    client_workers: int = 2,
    server_name: str | None = None,
    next_port: Callable[[], int] | None = None,
    nginx_port: int = 8080,
    python: str = sys.executable,
    service_user: str = "oor-synapse",
    keeper_db: str | None = None,
    keeper_user: str | None = None,
) -> DeploymentPlan:
    """Check the arguments and decide names, ports and secrets (nothing written yet)."""
    if not 1 <= client_workers <= MAX_CLIENT_WORKERS:
        raise HomeserverError(
            f"--workers must be between 1 and {MAX_CLIENT_WORKERS} (client workers), "
            f"not {client_workers}."
        )
    if not 1 <= nginx_port <= 65535:
        raise HomeserverError(f"The nginx port must be between 1 and 65535, not {nginx_port}.")
    public = parse_public_url(public_url)
    processes = _processes(client_workers, next_port or consecutive_ports(DEFAULT_FIRST_PORT))
    if nginx_port in {p for proc in processes for p in (proc.http_port, proc.replication_port)}:
        raise HomeserverError(f"The nginx port {nginx_port} is also given to a Synapse process.")
    layout = Layout(Path(root).expanduser().absolute())
    server_name = server_name or public.host
    return DeploymentPlan(
        layout=layout,
        server_name=server_name,
        public=public,
        postgres=parse_postgres(postgres_url),
        redis=parse_redis(redis_url),
        processes=processes,
        nginx_port=nginx_port,
        python=python,
        service_user=service_user,
        keeper=_keeper(layout, public.url, keeper_db, keeper_user or f"@records:{server_name}"),
        secrets={
            name: secrets.token_urlsafe(32)
            for name in (
                "registration_shared_secret",
                "macaroon_secret_key",
                "form_secret",
                "worker_replication_secret",
            )
        },
    )
