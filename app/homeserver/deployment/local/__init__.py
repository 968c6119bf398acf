"""Run a generated deployment on this machine, on loopback, with throwaway services.

For the `deployment` test tier and `bench/scale.py`, and for an administrator who wants
to see a configuration work before installing it: PostgreSQL, Redis, every Synapse
process of the plan and nginx, each in a temp dir on free loopback ports, started in
dependency order with readiness checks and stopped in reverse.
"""

from app.homeserver.deployment.local.stack import LocalDeployment, missing_programs

__all__ = ["LocalDeployment", "missing_programs"]
