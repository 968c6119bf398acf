"""A crisis session as the protocol stores it: state contents built and read in one place.

Only what the server may know goes into state (DESIGN.md): room structure, roles,
delegations and session metadata. Building and parsing live side by side so the two
cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.core import protocol, roles
from app.core.roles import Role, RoomKind
from app.core.session.blueprint import Blueprint, Delegation, Participant


@dataclass(frozen=True, slots=True)
class SessionRoom:
    kind: RoomKind
    room_id: str
    delegation: str = ""  # the delegation id, for delegation rooms


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


@dataclass(frozen=True, slots=True)
class Roster:
    session: SessionInfo
    members: tuple[Member, ...] = field(default_factory=tuple)


def session_content(bp: Blueprint, status: str, rooms: Iterable[SessionRoom]) -> dict[str, Any]:
    """The org.openopsroom.session state of a session's space."""
    rooms = list(rooms)
    layout: dict[str, Any] = {r.kind.value: r.room_id for r in rooms if not r.delegation}
    # Only room ids: which delegations negotiate where is for their rooms' members to know.
    layout["delegations"] = [r.room_id for r in rooms if r.kind is RoomKind.DELEGATION]
    marker = "EXERCISE — " if bp.exercise else ""
    return {
        "body": f"{marker}Crisis session: {bp.title} ({bp.kind}, {status})",
        "title": bp.title,
        "kind": bp.kind,
        "status": status,
        "capital_tz": bp.capital_tz,
        "classification": bp.classification,
        "exercise": bp.exercise,
        "rooms": layout,
        "protocol": protocol.PROTOCOL_VERSION,
    }


def read_session(space_id: str, content: Mapping[str, Any]) -> SessionInfo | None:
    """The session described by a space's session state, or None if it is not valid."""
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
    return SessionInfo(
        space_id=space_id,
        title=content["title"],
        kind=content["kind"],
        status=content["status"],
        capital_tz=content["capital_tz"],
        classification=content["classification"],
        exercise=content["exercise"],
        rooms=tuple(rooms),
    )


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
                    content["name"],
                    content["tz"],
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
    """The org.openopsroom.role state for one participant (state key: their user id)."""
    what = f"{p.role.value}" + (f" of delegation {p.delegation}" if p.delegation else "")
    title = f" ({p.title})" if p.title else ""
    body = f"{p.user_id} left the session" if removed else f"{p.user_id} is {what}{title}"
    content: dict[str, Any] = {
        "body": body,
        "role": p.role.value,
        "delegation": p.delegation,
        "title": p.title,
        "organisation": p.organisation,
    }
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


def invite_reason(session_title: str, p: Participant) -> str:
    """Shown with the invitation by every Matrix client: the session and the role offered."""
    what = p.role.value + (f" ({p.delegation})" if p.delegation else "")
    return f"{session_title} — role: {what}"


def entitled_rooms(info: SessionInfo, p: Participant) -> list[SessionRoom]:
    """The session's rooms this participant may be in (membership is the server's lock)."""
    return [r for r in info.rooms if roles.entitled(p.role, r.kind, p.delegation, r.delegation)]


def roster(
    info: SessionInfo,
    space_state: Iterable[Mapping[str, Any]],
    delegates: Mapping[str, str] | None = None,
) -> Roster:
    """Participants with role, membership of the space and local time zone.

    ``delegates`` maps a delegate to their delegation, as far as the viewer may know it
    (from the delegation rooms they are in); the space itself does not say.
    """
    delegates = delegates or {}
    state = list(space_state)
    membership = {
        e.get("state_key"): (e.get("content") or {}).get("membership")
        for e in state
        if e.get("type") == "m.room.member"
    }
    zones = {d.id: d.tz for d in info.delegations}
    members = []
    for event in state:
        if event.get("type") != roles.ROLE or not isinstance(event.get("state_key"), str):
            continue
        p = read_role(user_of_role_key(event["state_key"]), event.get("content") or {})
        if p is None:
            continue
        members.append(
            Member(
                p.user_id,
                p.role,
                delegates.get(p.user_id, ""),
                p.title,
                p.organisation,
                str(membership.get(p.user_id) or "invite"),
                zones.get(delegates.get(p.user_id, ""), info.capital_tz),
            )
        )
    members.sort(key=lambda m: (-roles.POWER[m.role], m.user_id))
    return Roster(info, tuple(members))
