"""Synapse's configuration for a worker deployment: one shared file, one file per worker.

The shared file is what the main process runs on; each worker reads it and then its own
small file (worker name, app, listener), as Synapse's docs/workers.md prescribes. Every
listener binds to loopback: only nginx faces the network, and the replication listeners
must never be reachable from outside (their traffic is unencrypted).
"""

from __future__ import annotations

from typing import Any

from app.homeserver.config import LOOPBACK
from app.homeserver.deployment.plan import DeploymentPlan, Process

# Per-user and per-address budgets for a closed group in a crisis surge. Synapse's
# defaults (0.2 messages/s per user, 1 join/s per room) are spam defences for open
# servers; a facilitator convening a session invites and seats hundreds of people in a
# minute, delegations post in bursts, and a whole ministry may reach the server from one
# proxy address, so the per-address login budget is wide while failed logins stay slow.
SURGE_RATE_LIMITS: dict[str, Any] = {
    "rc_message": {"per_second": 10, "burst_count": 50},
    "rc_joins": {
        "local": {"per_second": 10, "burst_count": 100},
        "remote": {"per_second": 0.1, "burst_count": 10},
    },
    "rc_joins_per_room": {"per_second": 50, "burst_count": 500},
    "rc_invites": {
        "per_room": {"per_second": 50, "burst_count": 500},
        "per_user": {"per_second": 5, "burst_count": 50},
        "per_issuer": {"per_second": 50, "burst_count": 500},
    },
    "rc_room_creation": {"per_second": 5, "burst_count": 50},
    "rc_key_requests": {"per_second": 50, "burst_count": 500},
    "rc_registration": {"per_second": 1, "burst_count": 50},
    "rc_login": {
        "address": {"per_second": 20, "burst_count": 500},
        "account": {"per_second": 5, "burst_count": 20},
        "failed_attempts": {"per_second": 0.5, "burst_count": 10},
    },
}


def _http_listener(port: int, resource: str, *, forwarded: bool) -> dict[str, Any]:
    return {
        "type": "http",
        "port": port,
        "bind_addresses": [LOOPBACK],
        "tls": False,
        "x_forwarded": forwarded,
        "resources": [{"names": [resource], "compress": False}],
    }


def _listeners(process: Process) -> list[dict[str, Any]]:
    listeners = []
    if process.http_port is not None:
        listeners.append(_http_listener(process.http_port, process.http_resource, forwarded=True))
    if process.replication_port is not None:
        listeners.append(_http_listener(process.replication_port, "replication", forwarded=False))
    return listeners


def _database(plan: DeploymentPlan) -> dict[str, Any]:
    pg = plan.postgres
    # Each process holds its own pool: keep it modest so (workers + 3) x cp_max stays
    # under PostgreSQL's default max_connections of 100.
    return {
        "name": "psycopg2",
        "txn_limit": 10000,
        "args": {
            "user": pg.user,
            "password": pg.password,
            "dbname": pg.database,
            "host": pg.host,
            "port": pg.port,
            "cp_min": 2,
            "cp_max": 8,
            "keepalives_idle": 10,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        },
    }


def _redis(plan: DeploymentPlan) -> dict[str, Any]:
    redis: dict[str, Any] = {
        "enabled": True,
        "host": plan.redis.host,
        "port": plan.redis.port,
        "dbid": plan.redis.dbid,
    }
    if plan.redis.password:
        redis["password"] = plan.redis.password
    return redis


def shared_config(plan: DeploymentPlan) -> dict[str, Any]:
    """homeserver.yaml: the main process's config and every worker's common base."""
    layout = plan.layout
    instance_map = {
        p.name: {"host": LOOPBACK, "port": p.replication_port}
        for p in plan.processes
        if p.replication_port is not None
    }
    config: dict[str, Any] = {
        "server_name": plan.server_name,
        "public_baseurl": plan.public.url,
        "listeners": _listeners(plan.main),
        "database": _database(plan),
        "redis": _redis(plan),
        "instance_map": instance_map,
        "stream_writers": {"events": [plan.event_persister.name]},
        # The media worker serves attachments; main must not run its own repository.
        "enable_media_repo": False,
        "media_instance_running_background_jobs": plan.media_worker.name,
        "media_store_path": str(layout.media_store),
        "max_upload_size": "50M",
        "log_config": str(layout.log_config(plan.main.name)),
        "signing_key_path": str(layout.signing_key),
        "report_stats": False,
        # Accounts come from the ministry's administrators (admin API), never strangers.
        "enable_registration": False,
        # Federation closed: a crisis room is the ministry's own. No key servers, no
        # federation listener or route, an empty whitelist; docs/deployment.md says how
        # to open it to named partner servers.
        "federation_domain_whitelist": [],
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "allow_public_rooms_over_federation": False,
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        "enable_metrics": False,
        **plan.secrets,
    }
    config.update(SURGE_RATE_LIMITS)
    return config


def worker_config(plan: DeploymentPlan, worker: Process) -> dict[str, Any]:
    """workers/<name>.yaml: who the worker is and where it listens."""
    return {
        "worker_app": worker.app,
        "worker_name": worker.name,
        "worker_listeners": _listeners(worker),
        "worker_log_config": str(plan.layout.log_config(worker.name)),
    }


def log_config(plan: DeploymentPlan, process: Process) -> dict[str, Any]:
    """INFO to a rotating file per process (systemd's journal gets only startup noise)."""
    return {
        "version": 1,
        "formatters": {
            "precise": {
                "format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - "
                "%(request)s - %(message)s"
            }
        },
        "filters": {"context": {"()": "synapse.logging.context.LoggingContextFilter"}},
        "handlers": {
            "file": {
                "class": "logging.handlers.RotatingFileHandler",
                "formatter": "precise",
                "filters": ["context"],
                "filename": str(plan.layout.logs / f"{process.name}.log"),
                "maxBytes": 10_000_000,
                "backupCount": 10,
                "encoding": "utf8",
            }
        },
        "loggers": {"synapse.storage.SQL": {"level": "WARNING"}},
        "root": {"level": "INFO", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }
