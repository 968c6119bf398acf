"""What the sitrep feature tells the UI (registered by being defined, see
``services.notices``). Kept beside the feature: the UI imports this module, never the
service."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.roles import Role
from app.core.sitrep import Board, Sitrep
from app.services.notices import Notice


@dataclass(frozen=True, slots=True)
class SitrepsChanged(Notice):
    """A session's sitreps, whole (a session has tens, not more), as this account sees
    them: its role decides what it may do with each."""

    space_id: str
    title: str
    exercise: bool
    board: Board
    me: str
    my_role: Role | None
    officials: frozenset[str]
    # False while the session's encrypted details are not decrypted: ``exercise`` is then
    # no answer, and no sitrep may be compiled, submitted or approved (it would go as real).
    details_known: bool


@dataclass(frozen=True, slots=True)
class LatestSitrep(Notice):
    """The newest published sitrep of a session (None before the first), sent when it
    changes and at start: what the overview shows."""

    space_id: str
    sitrep: Sitrep | None
