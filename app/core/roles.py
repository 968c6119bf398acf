"""Who may do what in a crisis session: the role ladder, room entitlements, power levels.

Membership is the server's lock (who is invited where); power levels are the server's
lock in unencrypted rooms and the client's second check after decryption. Both follow
from the tables here, so the blueprint, the convene use case and the receive-path check
can never disagree.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any


class Role(enum.StrEnum):
    FACILITATOR = "facilitator"
    OFFICIAL = "official"
    DIPLOMAT = "diplomat"
    DELEGATE = "delegate"
    EXPERT = "expert"
    INFLUENCER = "influencer"
    OBSERVER = "observer"
    # The ministry's records keeper (`oor keeper`): reads every room to archive it, may
    # post nothing. Shown to everyone like any participant, never hidden.
    RECORDS = "records"


class RoomKind(enum.StrEnum):
    OPERATIONS = "operations"  # shared timeline, chat, indicators: everyone
    RESTRICTED = "restricted"  # officials, diplomats, facilitators
    DELEGATION = "delegation"  # one per negotiating delegation: its instruction feed
    OUTREACH = "outreach"  # influencers with the communications team


#: The ladder: facilitator > official > diplomat/delegate > expert > influencer > observer.
POWER: Mapping[Role, int] = {
    Role.FACILITATOR: 100,
    Role.OFFICIAL: 80,
    Role.DIPLOMAT: 60,
    Role.DELEGATE: 50,
    Role.EXPERT: 40,
    Role.INFLUENCER: 20,
    Role.OBSERVER: 0,
    Role.RECORDS: 0,
}

NS = "org.openopsroom."
SESSION, ROLE, DELEGATION, CHART = NS + "session", NS + "role", NS + "delegation", NS + "chart"
ENTRY, INSTRUCTION, ACK, INDICATOR = NS + "entry", NS + "instruction", NS + "ack", NS + "indicator"
REQUEST = NS + "request"  # a delegation asks the capital for instructions
VERIFICATION = NS + "verification"  # a timeline entry's verification status changes
# A session's metadata, under this key of an (encrypted) m.room.message: never in state.
SESSION_INFO = NS + "session_info"
SITREP = NS + "sitrep"  # a situation report: submitted for approval, then published
SITREP_REVIEW = NS + "sitrep_review"  # an official approves a sitrep or returns it

CHAT_LEVEL = POWER[Role.INFLUENCER]  # events_default: anyone above observer may chat
ADMIN_LEVEL = POWER[Role.FACILITATOR]

#: Minimum power level per event type, named in every room's m.room.power_levels.
EVENT_LEVELS: Mapping[str, int] = {
    SESSION: ADMIN_LEVEL,
    ROLE: ADMIN_LEVEL,
    DELEGATION: ADMIN_LEVEL,
    CHART: POWER[Role.OFFICIAL],
    INSTRUCTION: POWER[Role.OFFICIAL],
    ACK: POWER[Role.DELEGATE],
    REQUEST: POWER[Role.DELEGATE],
    ENTRY: POWER[Role.EXPERT],
    VERIFICATION: POWER[Role.EXPERT],
    SITREP: POWER[Role.EXPERT],
    SITREP_REVIEW: POWER[Role.OFFICIAL],
    INDICATOR: POWER[Role.EXPERT],
    "m.room.message": CHAT_LEVEL,
    "m.reaction": CHAT_LEVEL,
    "m.room.redaction": ADMIN_LEVEL,  # the record keeps what was said: facilitators only
    "m.room.pinned_events": POWER[Role.OFFICIAL],
    "m.room.name": ADMIN_LEVEL,
    "m.room.topic": ADMIN_LEVEL,
    "m.room.avatar": ADMIN_LEVEL,
    "m.room.power_levels": ADMIN_LEVEL,
    "m.room.encryption": ADMIN_LEVEL,
    "m.room.history_visibility": ADMIN_LEVEL,
    "m.room.join_rules": ADMIN_LEVEL,
    "m.room.server_acl": ADMIN_LEVEL,
    "m.room.tombstone": ADMIN_LEVEL,
    "m.space.child": ADMIN_LEVEL,
    "m.space.parent": ADMIN_LEVEL,
}

#: Custom types whose sender the client must re-check after decryption.
CHECKED_TYPES = frozenset(t for t in EVENT_LEVELS if t.startswith(NS))
#: Timeline types that were room state up to protocol 2.0 (chart definitions): where a
#: room's power levels do not name one, it needs state_default, as it did as state, not
#: events_default (in a room another client made, any member could otherwise define).
STATE_BORN = frozenset({CHART})
#: Valid only from a member of the delegation whose room they are in (a level is not enough:
#: officials outrank delegates but must not acknowledge for them).
DELEGATION_ONLY = frozenset({ACK, REQUEST})


def entitled(
    role: Role, kind: RoomKind, own_delegation: str = "", room_delegation: str = ""
) -> bool:
    """May a participant with this role be invited to this room?"""
    if role in (Role.FACILITATOR, Role.RECORDS):  # the record covers every room
        return True
    match kind:
        case RoomKind.OPERATIONS:
            return True
        case RoomKind.RESTRICTED:
            return role in (Role.OFFICIAL, Role.DIPLOMAT)
        case RoomKind.DELEGATION:
            return role is Role.OFFICIAL or (
                role is Role.DELEGATE and bool(own_delegation) and own_delegation == room_delegation
            )
        case RoomKind.OUTREACH:
            return role in (Role.OFFICIAL, Role.INFLUENCER)
    return False


def power_levels(
    participants: Mapping[str, Role],
    creators: frozenset[str] = frozenset(),
    closed: bool = False,
    space: bool = False,
) -> dict[str, Any]:
    """The m.room.power_levels content of a session room (or of its space).

    ``creators`` hold unlimited power in room versions 12 and later and must not be
    listed. A closed session is read-only for everyone but facilitators, and so is the
    space always: it is unencrypted and holds state only, never conversation.
    """
    users = {
        user: POWER[role]
        for user, role in sorted(participants.items())
        if POWER[role] > 0 and user not in creators
    }
    read_only = closed or space
    events = {t: ADMIN_LEVEL if read_only else level for t, level in EVENT_LEVELS.items()}
    return {
        "users": users,
        "users_default": 0,
        "events": events,
        "events_default": ADMIN_LEVEL if read_only else CHAT_LEVEL,
        "state_default": ADMIN_LEVEL,
        "invite": ADMIN_LEVEL,
        "kick": ADMIN_LEVEL,
        "ban": ADMIN_LEVEL,
        "redact": ADMIN_LEVEL,
        "notifications": {"room": POWER[Role.OFFICIAL]},
    }


def creators_have_infinite_power(room_version: str) -> bool:
    """Room version 12 (and the 'hydra' test versions) give creators unlimited power."""
    return (room_version.isdigit() and int(room_version) >= 12) or "hydra" in room_version


def user_level(
    user_id: str,
    power_levels_content: Mapping[str, Any] | None,
    create_content: Mapping[str, Any] | None,
    create_sender: str,
) -> float:
    """A user's power level from server-authenticated room state, per the Matrix spec."""
    create = create_content or {}
    version = str(create.get("room_version", "1"))
    if creators_have_infinite_power(version):
        extra = create.get("additional_creators", [])
        if user_id == create_sender or (isinstance(extra, list) and user_id in extra):
            return math.inf
    if power_levels_content is None:  # no power levels yet: the creator is 100, others 0
        return 100 if user_id == create_sender else 0
    users = power_levels_content.get("users", {})
    level = users.get(user_id) if isinstance(users, Mapping) else None
    return _as_int(level, _as_int(power_levels_content.get("users_default"), 0))


def required_level(
    event_type: str, is_state: bool, power_levels_content: Mapping[str, Any] | None
) -> int:
    """The level an event type needs in a room (state_default/events_default fallback)."""
    pl = power_levels_content or {}
    events = pl.get("events", {})
    named = events.get(event_type) if isinstance(events, Mapping) else None
    fallback = (
        _as_int(pl.get("state_default"), 50) if is_state else _as_int(pl.get("events_default"), 0)
    )
    return _as_int(named, fallback)


def _as_int(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return default
