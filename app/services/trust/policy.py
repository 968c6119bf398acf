"""Which rooms are under the device policy (MSC4153's exclusion), from the sessions the
archive knows: a session's delegation and restricted rooms, unless its facilitator
turned the policy off (``cross_signed_only: false`` in the session's state; absent means
on). The setting is in state because it is a rule, not a secret: every client of the
session must apply the same one, and the server enforces who may change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core import roles
from app.core.roles import RoomKind
from app.core.session import read_session
from app.core.session.state import POLICY_FIELD as FIELD

if TYPE_CHECKING:
    from app.store import Archive

KINDS = (RoomKind.DELEGATION, RoomKind.RESTRICTED)


def policy_rooms(archive: Archive) -> frozenset[str]:
    """Rooms whose room keys go only to cross-signed devices (store thread)."""
    spaces = [room.room_id for room in archive.rooms() if room.is_space]
    found: set[str] = set()
    for event in archive.state(spaces, (roles.SESSION,)):
        info = read_session(event.room_id, event.content) if event.state_key == "" else None
        if info is not None and info.cross_signed_only:
            found.update(room.room_id for room in info.rooms if room.kind in KINDS)
    return frozenset(found)


def with_policy(content: dict[str, Any], cross_signed_only: bool) -> dict[str, Any]:
    """The session state with the setting changed (absent when on, the default)."""
    changed = {k: v for k, v in content.items() if k != FIELD}
    if not cross_signed_only:
        changed[FIELD] = False
    return changed
