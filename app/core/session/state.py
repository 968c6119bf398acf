"""A crisis session as the protocol stores it: state contents built and read in one place.

Only what the server may know goes into state (DESIGN.md): room structure, role levels
and delegation ids (protocol 1.2). What the session is about travels encrypted
(``details.py``); sessions of 1.1 still carry it in state and are read as before.
Building and parsing live side by side so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.core import protocol, roles
from app.core.roles import Role, RoomKind
from app.core.session.blueprint import Delegation, Participant
from app.core.session.details import INVITE_REASON, SessionDetails
from app.core.text import plain_name


@dataclass(frozen=True, slots=True)
class SessionRoom:
    kind: RoomKind
    room_id: str
    delegation: str = ""  # the delegation id, for delegation rooms


POLICY_FIELD = "cross_signed_only"  # in the session state: absent or true means on


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session's metadata and rooms, read from the space's session state."""

    space_id: str
    title: str
    kind: str
    status: str
    capital_tz: str
    classification: str
    exercise: bool
    rooms: tuple[SessionRoom, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    # MSC4153's exclusion in delegation and restricted rooms: room keys go, and
    # instructions count, only from and to cross-signed devices (the facilitator's setting).
    cross_signed_only: bool = True
    # False while only the space's state is known (protocol 1.2 keeps the title and the
    # exercise flag in encrypted details, decrypted later): the title is then a neutral
    # label and ``exercise`` is not yet an answer, so no screen may show it as real.
    # False by default: whoever builds a session says it is known, a forgotten flag errs
    # on the side of "pending", never of "real".
    details_known: bool = False

    def room(self, kind: RoomKind, delegation: str = "") -> str | None:
        return next(
            (r.room_id for r in self.rooms if r.kind is kind and r.delegation == delegation), None
        )


@dataclass(frozen=True, slots=True)
class Member:
    """A participant as the participants panel shows them."""

    user_id: str
    role: Role
    delegation: str = ""
    title: str = ""
    organisation: str = ""
    membership: str = "invite"  # join | invite | leave
    tz: str = ""
    name: str = ""  # the session's name for them, else their own display name


@dataclass(frozen=True, slots=True)
class Roster:
    session: SessionInfo
    members: tuple[Member, ...] = field(default_factory=tuple)


def session_content(label: str, status: str, rooms: Iterable[SessionRoom]) -> dict[str, Any]:
    """The org.openopsroom.session state of a session's space: structure only."""
    rooms = list(rooms)
    layout: dict[str, Any] = {r.kind.value: r.room_id for r in rooms if not r.delegation}
    # Only room ids: which delegations negotiate where is for their rooms' members to know.
    layout["delegations"] = [r.room_id for r in rooms if r.kind is RoomKind.DELEGATION]
    return {
        "body": f"{label} ({status})",
        "label": label,
        "status": status,
        "rooms": layout,
        "protocol": protocol.PROTOCOL_VERSION,
    }


def read_session(space_id: str, content: Mapping[str, Any]) -> SessionInfo | None:
    """The session described by a space's session state, or None if it is not valid.

    A 1.2 session's state has no title, kind or zone: the label and neutral defaults
    stand in until the encrypted details are read (``with_details``).
    """
    if protocol.problem(roles.SESSION, content):
        return None
    # Another client may have written anything here: never raise, skip what does not fit.
    layout = content.get("rooms") if isinstance(content.get("rooms"), Mapping) else {}
    rooms: list[SessionRoom] = []
    for kind in (RoomKind.OPERATIONS, RoomKind.RESTRICTED, RoomKind.OUTREACH):
        room_id = layout.get(kind.value)
        if isinstance(room_id, str) and room_id:
            rooms.append(SessionRoom(kind, room_id))
    listed = layout.get("delegations")
    for room_id in listed if isinstance(listed, list) else ():
        if isinstance(room_id, str) and room_id:
            rooms.append(SessionRoom(RoomKind.DELEGATION, room_id))
    # 1.1 state carries the details itself: known, as from details, only when it names
    # the session and says whether it is an exercise; else its title is not shown either.
    known = "title" in content and "exercise" in content
    return SessionInfo(
        space_id=space_id,
        title=(content.get("title") if known else "") or content.get("label") or "Crisis session",
        kind=content.get("kind") or "other",
        status=content["status"],
        capital_tz=content.get("capital_tz") or "UTC",
        classification=content.get("classification") or "",
        exercise=bool(content.get("exercise")),
        rooms=tuple(rooms),
        cross_signed_only=content.get(POLICY_FIELD) is not False,
        details_known=known,
    )


def with_details(info: SessionInfo, details: SessionDetails) -> SessionInfo:
    """The session with its encrypted details in place of what state said (1.1) or the
    neutral defaults (1.2): title, kind, zone, classification, exercise, delegations."""
    named = [details.delegations.get(d.id, d) for d in info.delegations]
    fields = dict(details.fields)
    # Known only from details that name the session and say whether it is an exercise:
    # a title alone (or a people-only update) leaves ``exercise`` no answer, and the
    # title is then not applied either: a session's name shown while its exercise flag
    # is unsaid would read as a real crisis on any screen that shows names unmarked.
    known = info.details_known or {"title", "exercise"} <= fields.keys()
    if not known:
        fields.pop("title", None)
    return replace(info, **fields, delegations=tuple(named), details_known=known)


def with_delegations(
    info: SessionInfo, delegation_state: Mapping[str, Mapping[str, Any]]
) -> SessionInfo:
    """Name the delegation rooms whose org.openopsroom.delegation state we can read
    (we are a member); the others stay anonymous."""
    rooms, delegations = [], []
    for room in info.rooms:
        content = delegation_state.get(room.room_id)
        if (
            room.kind is RoomKind.DELEGATION
            and content
            and not protocol.problem(roles.DELEGATION, content)
        ):
            rooms.append(SessionRoom(room.kind, room.room_id, content["id"]))
            delegations.append(
                Delegation(
                    content["id"],
                    str(content.get("name") or content["id"]),  # 1.2: the name is encrypted
                    str(content.get("tz") or ""),
                    str(content.get("location") or ""),
                )
            )
        else:
            rooms.append(room)
    return replace(info, rooms=tuple(rooms), delegations=tuple(delegations))


def role_key(user_id: str) -> str:
    """State key of a participant's role: the user id without its '@'.

    Matrix reserves state keys that start with '@' to the user they name, so a
    facilitator could not set someone else's role under the plain user id.
    """
    return user_id.removeprefix("@")


def user_of_role_key(state_key: str) -> str:
    return "@" + state_key


def delegates_of(room_state: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Delegate -> delegation, from the role states of a delegation room."""
    found = {}
    for event in room_state:
        if event.get("type") == roles.ROLE and isinstance(event.get("state_key"), str):
            p = read_role(user_of_role_key(event["state_key"]), event.get("content") or {})
            if p is not None and p.delegation:
                found[p.user_id] = p.delegation
    return found


def role_content(p: Participant, removed: bool = False) -> dict[str, Any]:
    """The org.openopsroom.role state for one participant: the role (its level) and the
    delegation id; title and organisation travel encrypted (protocol 1.2)."""
    what = f"{p.role.value}" + (f" of delegation {p.delegation}" if p.delegation else "")
    body = f"{p.user_id} left the session" if removed else f"{p.user_id} is {what}"
    content: dict[str, Any] = {"body": body, "role": p.role.value, "delegation": p.delegation}
    if removed:
        content["removed"] = True
    return content


def read_role(user_id: str, content: Mapping[str, Any]) -> Participant | None:
    """A participant from role state; None if malformed or removed."""
    if protocol.problem(roles.ROLE, content) or content.get("removed"):
        return None
    return Participant(
        user_id,
        Role(content["role"]),
        str(content.get("delegation") or ""),
        str(content.get("title") or ""),
        str(content.get("organisation") or ""),
    )


def invite_reason() -> str:
    """Shown with every invitation, and kept by the server: neither session, role nor
    delegation (protocol 1.2)."""
    return INVITE_REASON


def entitled_rooms(info: SessionInfo, p: Participant) -> list[SessionRoom]:
    """The session's rooms this participant may be in (membership is the server's lock)."""
    return [r for r in info.rooms if roles.entitled(p.role, r.kind, p.delegation, r.delegation)]


def roster(
    info: SessionInfo,
    space_state: Iterable[Mapping[str, Any]],
    delegates: Mapping[str, str] | None = None,
    details: SessionDetails | None = None,
) -> Roster:
    """Participants with role, membership of the space and local time zone.

    ``delegates`` maps a delegate to their delegation, as far as the viewer may know it
    (from the delegation rooms they are in); the space itself does not say. Titles and
    organisations come from the encrypted ``details`` when they name the person, else
    from role state (sessions of protocol 1.1).
    """
    delegates = delegates or {}
    people = details.people if details else {}
    state = list(space_state)
    members_state = {
        e.get("state_key"): e.get("content") or {}
        for e in state
        if e.get("type") == "m.room.member"
    }
    membership = {user: content.get("membership") for user, content in members_state.items()}
    zones = {d.id: d.tz for d in info.delegations}
    members = []
    for event in state:
        if event.get("type") != roles.ROLE or not isinstance(event.get("state_key"), str):
            continue
        p = read_role(user_of_role_key(event["state_key"]), event.get("content") or {})
        if p is None:
            continue
        if (person := people.get(p.user_id)) is not None:
            p = replace(p, title=person.title, organisation=person.organisation, name=person.name)
        own = (members_state.get(p.user_id) or {}).get("displayname")
        members.append(
            Member(
                p.user_id,
                p.role,
                delegates.get(p.user_id, ""),
                p.title,
                p.organisation,
                str(membership.get(p.user_id) or "invite"),
                zones.get(delegates.get(p.user_id, "")) or info.capital_tz,
                p.name or (plain_name(own) if isinstance(own, str) else ""),
            )
        )
    members.sort(key=lambda m: (-roles.POWER[m.role], m.user_id))
    return Roster(info, tuple(members))
