"""`oor server init`: write a ministry deployment (Synapse workers, nginx, systemd)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.homeserver.deployment import plan_deployment, write_deployment
from app.homeserver.deployment.plan import DEFAULT_FIRST_PORT, consecutive_ports
from app.homeserver.deployment.systemd import KEEPER_UNIT, TARGET


def _keeper_db_step(args: argparse.Namespace, env_file: Path) -> str:
    return "" if args.keeper_db else f"put the records database URL in {env_file}, "


def _init(args: argparse.Namespace) -> int:
    plan = plan_deployment(
        args.directory,
        postgres_url=args.postgres,
        redis_url=args.redis,
        public_url=args.public_url,
        client_workers=args.workers,
        server_name=args.server_name,
        next_port=consecutive_ports(args.first_port),
        nginx_port=args.nginx_port,
        python=args.python,
        service_user=args.user,
        keeper_db=args.keeper_db,
        keeper_user=args.keeper_user,
    )
    written = write_deployment(plan)
    processes = {
        p.name: {"http": p.http_port, "replication": p.replication_port} for p in plan.processes
    }
    if args.json:
        payload: dict[str, Any] = {
            "directory": str(plan.layout.root),
            "server_name": plan.server_name,
            "public_url": plan.public.url,
            "processes": processes,
            "keeper": {"user": plan.keeper.user, "env_file": str(plan.layout.keeper_env)},
            "files": [str(p) for p in written],
        }
        print(json.dumps(payload))
        return 0
    root, keeper = plan.layout.root, plan.keeper
    print(f"Deployment for {plan.server_name} written to {root}:")
    for process in plan.processes:
        ports = ", ".join(
            f"{kind} {port}" for kind, port in processes[process.name].items() if port is not None
        )
        print(f"  {process.name:<18} {process.app:<32} {ports}")
    print(
        "Next (see docs/deployment.md):\n"
        f"  1. create the PostgreSQL role and database, and the system user '{plan.service_user}'\n"
        f"  2. chown -R {plan.service_user} {root}\n"
        f"  3. put your TLS certificate paths in {root / 'nginx' / 'oor-site.conf'} and link it "
        "into /etc/nginx/conf.d/\n"
        f"  4. copy {root / 'systemd'}/* to /etc/systemd/system/, then "
        f"`systemctl enable --now {TARGET}`\n"
        f"  5. records keeper: {_keeper_db_step(args, plan.layout.keeper_env)}create the account "
        f"{keeper.user}, sign it in once with `OOR_CREDENTIALS=file oor keeper login --env-file "
        f"{plan.layout.keeper_env}`, then "
        f"`systemctl enable --now {KEEPER_UNIT}`"
    )
    return 0


def add_commands(commands: Any) -> None:
    """Register `oor server ...` on the main parser's subparsers."""
    server = commands.add_parser("server", help="set up a ministry homeserver deployment")
    server_cmds = server.add_subparsers(dest="server_command", required=True)
    init = server_cmds.add_parser(
        "init",
        help="write Synapse (main + workers), nginx and systemd configuration into DIR",
    )
    init.add_argument("directory", metavar="DIR", help="new directory for config and state")
    init.add_argument(
        "--postgres", required=True, metavar="URL", help="postgresql://user:password@host:port/db"
    )
    init.add_argument("--redis", required=True, metavar="URL", help="redis://host:port/db")
    init.add_argument(
        "--public-url", required=True, metavar="URL", help="https://matrix.ministry.example"
    )
    init.add_argument(
        "--workers", type=int, default=2, metavar="N", help="client (sync) workers, default 2"
    )
    init.add_argument("--server-name", help="Matrix server name (default: the public URL's host)")
    init.add_argument(
        "--first-port",
        type=int,
        default=DEFAULT_FIRST_PORT,
        help=f"loopback ports for Synapse are numbered from here (default {DEFAULT_FIRST_PORT})",
    )
    init.add_argument("--nginx-port", type=int, default=8080, help="nginx's plain loopback port")
    init.add_argument("--python", default=sys.executable, help="Python with Synapse installed")
    init.add_argument("--user", default="oor-synapse", help="system user the services run as")
    init.add_argument(
        "--keeper-db",
        metavar="URL",
        help="the records keeper's PostgreSQL URL for keeper.env (default: a placeholder to edit)",
    )
    init.add_argument(
        "--keeper-user", help="the records keeper's account (default: @records:SERVER_NAME)"
    )
    init.add_argument("--json", action="store_true", help="print machine-readable output")
    init.set_defaults(run=_init)
