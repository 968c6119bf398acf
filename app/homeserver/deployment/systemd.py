"""systemd units: one per Synapse process, a target that starts and stops them together,
and the records keeper's unit.

The unit shape follows Synapse's docs/systemd-with-workers: Type=notify (Synapse tells
systemd when it is ready), workers ordered after the main process (it creates and
upgrades the database schema first), everything PartOf the target so `systemctl
restart open-operations-room.target` restarts the whole deployment.
"""

from __future__ import annotations

from app.homeserver.deployment.plan import DeploymentPlan, Process

TARGET = "open-operations-room.target"
KEEPER_UNIT = "oor-keeper.service"


def unit_name(process: Process) -> str:
    return f"oor-synapse-{process.name.replace('_', '-')}.service"


def target(plan: DeploymentPlan) -> str:
    del plan
    return """\
[Unit]
Description=Open Operations Room homeserver (Synapse main process and workers)
After=network-online.target postgresql.service redis-server.service
Wants=network-online.target

[Install]
WantedBy=multi-user.target
"""


def synapse_unit(plan: DeploymentPlan, process: Process) -> str:
    layout = plan.layout
    configs = " ".join(f"--config-path={path}" for path in layout.config_paths(process))
    order = "" if process.is_main else f"After={unit_name(plan.main)}\n"
    return f"""\
[Unit]
Description=Open Operations Room Synapse {process.name}
PartOf={TARGET}
ReloadPropagatedFrom={TARGET}
{order}
[Service]
Type=notify
NotifyAccess=main
User={plan.service_user}
WorkingDirectory={layout.root}
ExecStart={plan.python} -m {process.app} {configs}
ExecReload=/bin/kill -HUP $MAINPID
Restart=always
RestartSec=3
SyslogIdentifier={unit_name(process).removesuffix(".service")}
NoNewPrivileges=true
ProtectSystem=strict
ReadWritePaths={layout.root / "data"} {layout.logs}
PrivateTmp=true

[Install]
WantedBy={TARGET}
"""


def keeper_unit(plan: DeploymentPlan) -> str:
    """The records keeper (`oor keeper`): a signed-in archive of every session, kept
    beside the server so the public record survives any workstation. A service has no
    keyring: its login is kept in files (``OOR_CREDENTIALS=file``), where `oor keeper
    login` put it when run the same way."""
    layout = plan.layout
    return f"""\
[Unit]
Description=Open Operations Room records keeper (archives every session)
After={TARGET}
PartOf={TARGET}

[Service]
Type=simple
User={plan.service_user}
WorkingDirectory={layout.root}
EnvironmentFile={layout.keeper_env}
Environment=OOR_CREDENTIALS=file
ExecStart={plan.python} -m app --data-dir {layout.keeper_data} keeper run
Restart=always
RestartSec=10
NoNewPrivileges=true
ProtectSystem=strict
ReadWritePaths={layout.keeper_data}
PrivateTmp=true

[Install]
WantedBy={TARGET}
"""


def units(plan: DeploymentPlan) -> dict[str, str]:
    """File name -> unit text, for everything the deployment runs under systemd."""
    generated = {TARGET: target(plan), KEEPER_UNIT: keeper_unit(plan)}
    for process in plan.processes:
        generated[unit_name(process)] = synapse_unit(plan, process)
    return generated
