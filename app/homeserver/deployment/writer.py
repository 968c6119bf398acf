"""Write a planned deployment to disk: Synapse configs, signing key, nginx, systemd, and the
records keeper's environment file.

Refuses to write over an existing deployment: its secrets and signing key are already in
use (sessions, devices and signatures depend on them), so regenerating them in place
would break every login. Secret-bearing files are 0600.
"""

from __future__ import annotations

from pathlib import Path

from app.homeserver.config import (
    HomeserverError,
    new_signing_key,
    write_private_text,
    write_private_yaml,
)
from app.homeserver.deployment import nginx, synapse_yaml, systemd
from app.homeserver.deployment.plan import DeploymentPlan


def _mkdir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o750)
    except OSError as exc:
        raise HomeserverError(
            f"Cannot create {path}: {exc}. Choose a directory you can write to."
        ) from exc


def write_deployment(plan: DeploymentPlan) -> list[Path]:
    """Write every file of the plan; return the paths written, in order."""
    layout = plan.layout
    if layout.shared_config.exists():
        raise HomeserverError(
            f"{layout.root} already holds a deployment ({layout.shared_config}). Its secrets "
            "and signing key are in use: edit it, or choose an empty directory."
        )
    for directory in (
        layout.synapse / "workers",
        layout.synapse / "log",
        layout.media_store,
        layout.logs,
        layout.nginx,
        layout.systemd,
        layout.keeper_data,
    ):
        _mkdir(directory)
    written: list[Path] = []

    def yaml_file(path: Path, data: dict[str, object]) -> None:
        write_private_yaml(path, data)
        written.append(path)

    def text_file(path: Path, text: str) -> None:
        write_private_text(path, text)
        written.append(path)

    yaml_file(layout.shared_config, synapse_yaml.shared_config(plan))
    for worker in plan.workers:
        yaml_file(layout.worker_config(worker.name), synapse_yaml.worker_config(plan, worker))
    for process in plan.processes:
        yaml_file(layout.log_config(process.name), synapse_yaml.log_config(plan, process))
    text_file(layout.signing_key, new_signing_key())
    text_file(layout.nginx / nginx.UPSTREAMS_NAME, nginx.upstreams(plan))
    text_file(layout.nginx / nginx.LOCATIONS_NAME, nginx.locations(plan))
    text_file(layout.nginx / nginx.SITE_NAME, nginx.site(plan))
    for name, unit in systemd.units(plan).items():
        text_file(layout.systemd / name, unit)
    text_file(layout.keeper_env, plan.keeper.render())
    return written
