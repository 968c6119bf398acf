"""A ministry deployment: Synapse's own scale-out (workers, PostgreSQL, Redis) behind nginx.

`plan_deployment` checks the administrator's arguments and decides names, ports and
secrets; `write_deployment` turns the plan into Synapse, nginx and systemd files.
"""

from app.homeserver.deployment.plan import DeploymentPlan, Process, plan_deployment
from app.homeserver.deployment.writer import write_deployment

__all__ = ["DeploymentPlan", "Process", "plan_deployment", "write_deployment"]
