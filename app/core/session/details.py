"""A session's metadata as encrypted messages (protocol 1.2): built, read and folded here.

The server must not learn what a session is about, where it negotiates and who conducts
it, so the title, crisis kind, classification, capital time zone, exercise flag,
delegation names and places, and the participants' titles and organisations travel as an
``m.room.message`` (readable ``body`` for other clients, the payload under the
``org.openopsroom.session_info`` key) in the session's encrypted rooms. State keeps only
structure, role levels and delegation ids. Older sessions (1.1) carry the metadata in
state; the reader takes both and prefers the encrypted details.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.core import protocol, roles
from app.core.records import RoomEvent
from app.core.session.blueprint import Blueprint, Delegation, Participant
from app.core.text import plain_name

INFO_FIELDS = ("title", "kind", "capital_tz", "classification", "exercise")
INVITE_REASON = "Invitation to a crisis session"
STRUCTURE_TYPES = frozenset({roles.SESSION, roles.ROLE, roles.DELEGATION, "m.space.parent"})


@dataclass(frozen=True, slots=True)
class Person:
    """What the encrypted details say about one participant."""

    title: str = ""
    organisation: str = ""
    name: str = ""  # the facilitator's name for them, shown wherever they appear


@dataclass(frozen=True, slots=True)
class SessionDetails:
    """The fold of a session's authorised info messages, oldest first."""

    fields: Mapping[str, Any] = field(default_factory=dict)  # INFO_FIELDS present
    people: Mapping[str, Person] = field(default_factory=dict)
    delegations: Mapping[str, Delegation] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InfoMessage:
    """One archived info message with what the reader must know of its room."""

    content: Mapping[str, Any]
    room_delegation: str = ""  # the id the room's delegation state names, if any


def info_payload(
    bp: Blueprint | None,
    people: Iterable[Participant] = (),
    delegation: Delegation | None = None,
) -> dict[str, Any]:
    """The payload: the session's fields (when ``bp``), people's titles, one delegation."""
    payload: dict[str, Any] = {}
    if bp is not None:
        payload |= {
            "title": bp.title,
            "kind": bp.kind,
            "capital_tz": bp.capital_tz,
            "classification": bp.classification,
            "exercise": bp.exercise,
        }
    details = SessionDetails(
        {},
        {p.user_id: Person(p.title, p.organisation, p.name) for p in people},
        {delegation.id: delegation} if delegation is not None else {},
    )
    return payload | details_payload(details, delegation.id if delegation else "")


def info_message(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The m.room.message other clients show as a notice and this app reads."""
    lines = []
    if payload.get("title"):
        marker = "EXERCISE — " if payload.get("exercise") else ""
        lines.append(f"{marker}Crisis session: {payload['title']}")
        lines.append(
            f"{payload.get('classification', '')} · {payload.get('kind', '')} · "
            f"capital time {payload.get('capital_tz', '')}"
        )
    d = payload.get("delegation")
    if isinstance(d, Mapping):
        lines.append(f"Delegation: {d.get('name')} ({d.get('location') or '-'}, {d.get('tz')})")
    for user_id, person in (payload.get("people") or {}).items():
        what = ", ".join(x for x in (person.get("title"), person.get("organisation")) if x)
        who = f"{person['name']} ({user_id})" if person.get("name") else user_id
        if what or person.get("name"):
            lines.append(f"{who}: {what}" if what else who)
    body = "\n".join(lines) or "Session details updated"
    return {"msgtype": "m.notice", "body": body, roles.SESSION_INFO: dict(payload)}


def payload_of(content: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The info payload of a message, or None if it carries none or a malformed one."""
    payload = content.get(roles.SESSION_INFO)
    if payload is None or protocol.problem(roles.SESSION_INFO, payload):
        return None
    return payload


def fold_details(messages: Iterable[InfoMessage]) -> SessionDetails:
    """Later messages override the fields and people they name. A delegation's details
    count only from that delegation's own room (its members are who may know them)."""
    fields: dict[str, Any] = {}
    people: dict[str, Person] = {}
    delegations: dict[str, Delegation] = {}
    for message in messages:
        payload = payload_of(message.content)
        if payload is None:
            continue
        fields |= {k: payload[k] for k in INFO_FIELDS if k in payload}
        for user_id, person in _people(payload.get("people")).items():
            earlier = people.get(user_id)  # a role change re-sends a person without a name
            keep = earlier.name if earlier is not None and not person.name else person.name
            people[user_id] = replace(person, name=keep)
        d = _delegation(payload.get("delegation"))
        if d is not None and d.id == message.room_delegation:
            delegations[d.id] = d
    return SessionDetails(fields, people, delegations)


def _people(raw: Any) -> dict[str, Person]:
    """Another client may have written anything: skip what does not fit."""
    found = {}
    for user_id, person in raw.items() if isinstance(raw, Mapping) else ():
        if not isinstance(user_id, str) or not isinstance(person, Mapping):
            continue
        title, org = person.get("title", ""), person.get("organisation", "")
        name = person.get("name", "")
        texts = (title, org, name)
        if all(isinstance(t, str) for t in texts) and max(map(len, texts)) <= 200:
            found[user_id] = Person(title, org, plain_name(name))
    return found


def _delegation(raw: Any) -> Delegation | None:
    if not isinstance(raw, Mapping):
        return None
    content = {"body": "", **raw}
    if protocol.problem(roles.DELEGATION, content) or not raw.get("name"):
        return None
    return Delegation(
        raw["id"], raw["name"], str(raw.get("tz") or ""), str(raw.get("location") or "")
    )


def details_payload(details: SessionDetails, delegation: str = "") -> dict[str, Any]:
    """One whole payload from a fold: what a member who joined late must be sent."""
    payload: dict[str, Any] = dict(details.fields)
    payload["people"] = {
        user_id: {"title": p.title, "organisation": p.organisation}
        | ({"name": p.name} if p.name else {})
        for user_id, p in details.people.items()
    }
    if (d := details.delegations.get(delegation)) is not None:
        payload["delegation"] = {"id": d.id, "name": d.name, "location": d.location, "tz": d.tz}
    return payload


def carries_details(event_type: str, content: Mapping[str, Any]) -> bool:
    """Whether an event is a session's details message (what a session's view follows)."""
    return event_type == "m.room.message" and roles.SESSION_INFO in content


def shapes_session(event: RoomEvent) -> bool:
    """A session, room or delegation changed, or its details arrived: read it anew."""
    structure = event.state_key is not None and event.type in STRUCTURE_TYPES
    return structure or carries_details(event.type, event.content)
