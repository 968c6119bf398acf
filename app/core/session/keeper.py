"""The ministry's records keeper as a participant of every session it is configured for.

The keeper (`oor keeper`) is an account the ministry runs beside its homeserver; convene
seats it with the ``records`` role, which every room admits and which may post nothing.
It is seated like anyone else, in the roster everyone reads, so its presence is visible
and consented to, never hidden.
"""

from __future__ import annotations

from dataclasses import replace

from app.core.roles import Role
from app.core.session.blueprint import Blueprint, Participant


def with_keeper(bp: Blueprint) -> Blueprint:
    """The blueprint with its keeper seated as ``records`` (unchanged without a keeper).

    A keeper the blueprint already lists keeps its seat, re-roled to ``records``: one
    account cannot both keep the record and take part in the session."""
    if not bp.keeper:
        return bp
    seat = Participant(bp.keeper, Role.RECORDS)
    others = tuple(p for p in bp.participants if p.user_id != bp.keeper)
    return replace(bp, participants=(*others, seat))
