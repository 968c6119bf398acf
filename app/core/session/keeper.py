"""The ministry's records keeper as a participant of every session it is configured for.

The keeper (`oor keeper`) is an account the ministry runs beside its homeserver; convene
seats it with the ``records`` role, which every room admits and which may post nothing.
It is seated like anyone else, in the roster everyone reads, so its presence is visible
and consented to, never hidden.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import replace

from app.core.identifiers import is_user_id
from app.core.roles import Role
from app.core.session.blueprint import Blueprint, Participant

log = logging.getLogger(__name__)
#: The ministry-wide setting: the keeper every session convened on this machine gets
#: (set by the workstation's package or its administrator; a blueprint's own wins).
KEEPER_ENV = "OOR_KEEPER"


def configured_keeper(environ: Mapping[str, str] = os.environ) -> str:
    """The keeper's user id this installation is configured with ("" for none)."""
    keeper = environ.get(KEEPER_ENV, "").strip()
    if keeper and not is_user_id(keeper):
        log.warning("%s=%r is not a user id: no records keeper is seated", KEEPER_ENV, keeper)
        return ""
    return keeper


def with_keeper(bp: Blueprint, configured: str | None = None) -> Blueprint:
    """The blueprint with its keeper (its own, else the installation's) seated as
    ``records``; unchanged when there is none.

    A keeper the blueprint already lists keeps its seat, re-roled to ``records``: one
    account cannot both keep the record and take part in the session."""
    keeper = bp.keeper or (configured_keeper() if configured is None else configured)
    if not keeper:
        return bp
    seat = Participant(keeper, Role.RECORDS)
    others = tuple(p for p in bp.participants if p.user_id != keeper)
    return replace(bp, participants=(*others, seat), keeper=keeper)
