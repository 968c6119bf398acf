"""The room list a new device's first sync will give, read from its raw JSON.

Why: on a first start nothing is archived, so the list waited for nio (about a second
to load), nio's processing and the archive's write, though the first sync's answer was
in hand long before (``app.matrix.sync_prefetch``). ``provisional_rooms`` reads that
answer as the backend will: each joined room named as nio names it
(``app.core.rooms.names``), its encryption and space flags, its last activity (the
newest event of the batch, as ``MatrixClient.summary`` and the archive take it), a
room left or removed from listed by its id (the archive makes such a row from its
events), newest activity first, then by room id (``Archive.rooms``' order).

The list must not change when the backend's replaces it, so the answer is read
strictly, more strictly than nio where in doubt. There is no list (``None``) where nio
would refuse the whole answer or choke on it (a wrong type where its sync schema wants
another, a message without content, a presence event its schema refuses), where the
archive could not store it (a time past 2**53 - 1 ms), and also where nio would only
set one event aside but the backend might read it otherwise (an event without id,
sender, time, type or content object, with ``unsigned`` not an object, an event
twice). An event that fails nio's base event schema otherwise (an
``unsigned.transaction_id`` that is no string) is a ``BadEvent`` to nio: it counts
for the room's activity, its state is ignored, here as there. A state event nio's
schema for its type refuses is ignored too. A room whose name or flags rest on
something this copy cannot know is left out, and the backend lists it a moment
later: a redacted encryption event (nio may know the room as encrypted from its
store), encrypted timeline events when the same answer brings messages to this device
(a key among them would let nio open an event it then takes as state). Invitations
are left to the backend, and so are a session's space and rooms (the roster names and
groups them only later).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.records import RoomSummary
from app.core.roles import SESSION
from app.core.rooms.names import RoomNaming

_MEMBERSHIPS = ("invite", "join", "knock", "leave", "ban")
_SPACE = "m.space"
_ENCRYPTED = "m.room.encrypted"
LATEST_TS = 2**53 - 1  # ms; JSON's largest exact integer, and within SQLite's


class Unsure(Exception):
    """The answer holds something nio might read otherwise, or fail on: no list."""


class _LeftOut(Exception):
    """One room this copy cannot name or flag with certainty: listed by the backend."""


def provisional_rooms(body: Any, own_user_id: str) -> tuple[RoomSummary, ...] | None:
    """The rooms the backend will announce once it has processed and archived this
    first sync (no archive before it), or None if that cannot be told for certain."""
    try:
        return _read(body, own_user_id)
    except Unsure:
        return None


def _read(body: Any, own_user_id: str) -> tuple[RoomSummary, ...]:
    body = _object(body)
    if not isinstance(body.get("next_batch"), str):
        raise Unsure("no next_batch")
    keys_may_come = _check_top_level(body)
    rooms = _object(body.get("rooms", {}))
    join, leave = _object(rooms.get("join", {})), _object(rooms.get("leave", {}))
    _check_invites(_object(rooms.get("invite", {})))
    if set(join) & set(leave):
        raise Unsure("a room both joined and left")
    seen: set[str] = set()  # the archive keeps an event's first copy only
    listed: list[RoomSummary] = []
    sessions: set[str] = set()  # spaces holding a session's state
    parents: dict[str, set[str]] = {}  # room -> the spaces it names as its parents
    for room_id, info in join.items():
        room = _Room(room_id, own_user_id)
        summary = _joined(room, _object(info), seen, keys_may_come)
        if room.session:
            sessions.add(room_id)
        parents[room_id] = room.parents
        if summary is not None:
            listed.append(summary)
    # A session's space and rooms are named and grouped by its roster, read once the
    # backend has archived and decrypted the session's state: listed early, they would
    # show flat under the space's neutral label, then move. The backend lists them.
    listed = [r for r in listed if r.room_id not in sessions and not parents[r.room_id] & sessions]
    for room_id, info in leave.items():
        summary = _left(room_id, _object(info), seen)
        if summary is not None:
            listed.append(summary)
    return tuple(sorted(listed, key=lambda r: (-r.last_ts, r.room_id)))


class _Room:
    """What a joined room's events tell: its name, flags and place among sessions."""

    def __init__(self, room_id: str, own_user_id: str) -> None:
        self.room_id = room_id
        self.naming = RoomNaming(own_user_id)
        self.flags = {"encrypted": False, "is_space": False}
        self.session = False  # a space carrying a session's state (even a refused one)
        self.parents: set[str] = set()  # ``m.space.parent`` state keys, refused or not


def _joined(
    room: _Room, info: dict[str, Any], seen: set[str], keys_may_come: bool
) -> RoomSummary | None:
    """A joined room's row, or None if it is left out (its events still counted)."""
    _check_room_extras(info)
    _summary(room.naming, _object(info.get("summary", {})))
    state = _events(_object(info.get("state", {})))
    timeline = _timeline(info, joined=True)
    # A key that came with this very sync may open an event nio then takes as state.
    last_ts, left_out = 0, keys_may_come and any(e.get("type") == _ENCRYPTED for e in timeline)
    for event in (*state, *timeline):
        last_ts = max(last_ts, _base(event, seen))
        _place(room, event)
        try:
            _apply(room.naming, room.flags, event)
        except _LeftOut:
            left_out = True
    if left_out:
        return None
    return RoomSummary(room.room_id, room.naming.display_name(), last_ts=last_ts, **room.flags)


def _place(room: _Room, event: dict[str, Any]) -> None:
    """Whether the event makes the room a session's space or names a parent space: any
    such state event counts, as a roster may read what nio's schemas do not check."""
    state_key = event.get("state_key")
    if not isinstance(state_key, str):
        return
    if event["type"] == SESSION:
        room.session = True
    elif event["type"] == "m.space.parent":
        room.parents.add(state_key)


def _left(room_id: str, info: dict[str, Any], seen: set[str]) -> RoomSummary | None:
    """A room left or removed from: the archive keeps its events and lists it by its id
    (no summary made for it), as left, if the batch brought any events of it."""
    events = [
        *_events(_object(info.get("state", {}))),
        *_timeline(info, joined=False),
    ]
    if not events:
        return None
    last_ts = max(_base(event, seen) for event in events)
    return RoomSummary(room_id, room_id, last_ts=last_ts, left=True)


def _apply(naming: RoomNaming, flags: dict[str, bool], event: dict[str, Any]) -> None:
    """What one event changes of the room's name and flags, as nio handles it."""
    unsigned = event.get("unsigned", {})
    if not isinstance(unsigned, dict):
        raise Unsure("unsigned is not an object")  # the backend looks into it
    if not _str_or_absent(unsigned, "transaction_id"):
        return  # nio's base schema (``room_event``) fails: a BadEvent, its state ignored
    kind, state_key, content = event["type"], event.get("state_key"), event.get("content")
    if "redacted_because" in unsigned:  # nio's RedactedEvent: no state taken from it
        if kind == "m.room.encryption":
            raise _LeftOut  # nio may still know the room as encrypted from its store
        return
    if kind == "m.room.member":
        _member(naming, event, unsigned)
        return
    if not isinstance(state_key, str) or not isinstance(content, dict):
        return  # not state nio accepts
    if kind == "m.room.create" and _valid_create(content):
        flags["is_space"] = content.get("type", "") == _SPACE
    elif kind == "m.room.name" and isinstance(content.get("name"), str):
        naming.name = content["name"]
    elif kind == "m.room.canonical_alias" and _str_or_null(content, "alias"):
        naming.alias = content.get("alias")
    elif kind == "m.room.encryption":
        flags["encrypted"] = True


def _member(naming: RoomNaming, event: dict[str, Any], unsigned: dict[str, Any]) -> None:
    """A membership event by nio's ``room_membership`` schema; ignored where it fails."""
    prev = unsigned.get("prev_content")
    if prev and not isinstance(prev, dict):
        raise Unsure("unsigned.prev_content is not an object")  # nio would choke on it
    state_key, content = event.get("state_key"), event.get("content")
    if not (_user_id(state_key) and isinstance(content, dict) and _valid_member(content)):
        return
    if "prev_content" in event:
        old = event["prev_content"]
        if not (isinstance(old, dict) and _valid_member(old, ())):
            return
    naming.membership(state_key, content["membership"], content)


def _valid_member(content: dict[str, Any], also: tuple[str, ...] = ("reason",)) -> bool:
    """A membership content as nio's schema wants it (``prev_content`` has no reason)."""
    membership = content.get("membership")
    return (
        isinstance(membership, str)
        and membership in _MEMBERSHIPS
        and all(_str_or_null(content, key) for key in ("avatar_url", "displayname", *also))
    )


def _valid_create(content: dict[str, Any]) -> bool:
    """nio's ``room_create`` schema: a create event it refuses leaves the room's type."""
    predecessor = content.get("predecessor", {})
    return (
        isinstance(content.get("m.federate", True), bool)
        and isinstance(content.get("room_version", ""), str)
        and isinstance(content.get("type", ""), str)
        and isinstance(predecessor, dict)
        and ("predecessor" not in content or _has_strings(predecessor, "event_id", "room_id"))
    )


def _has_strings(value: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(value.get(key), str) for key in keys)


def _str_or_absent(value: dict[str, Any], key: str) -> bool:
    return key not in value or isinstance(value[key], str)


def _str_or_null(content: dict[str, Any], key: str) -> bool:
    return key not in content or content[key] is None or isinstance(content[key], str)


def _base(event: dict[str, Any], seen: set[str]) -> int:
    """The event's time, once its envelope is checked as nio needs it (or it fails)."""
    ts, event_id = event.get("origin_server_ts"), event.get("event_id")
    if not (isinstance(event.get("type"), str) and isinstance(event_id, str)):
        raise Unsure("an event without type or id")
    if not _user_id(event.get("sender")):
        raise Unsure("an event without a sender")
    if type(ts) is not int or not 0 <= ts <= LATEST_TS:
        raise Unsure("an event without a time the archive can store")
    if not isinstance(event.get("content"), dict):
        raise Unsure("an event without content")  # nio's parser raises on some
    if event_id in seen:
        raise Unsure("an event twice in the batch")
    seen.add(event_id)
    return ts


def _summary(naming: RoomNaming, summary: dict[str, Any]) -> None:
    joined, invited = summary.get("m.joined_member_count"), summary.get("m.invited_member_count")
    heroes = summary.get("m.heroes", [])
    for key in ("m.joined_member_count", "m.invited_member_count"):
        if key in summary and type(summary[key]) is not int:
            raise Unsure("a member count is not an integer")
    if not isinstance(heroes, list) or not all(isinstance(h, str) for h in heroes):
        raise Unsure("heroes are not user ids")
    naming.set_summary(joined, invited, heroes)


def _events(section: dict[str, Any]) -> list[dict[str, Any]]:
    """A section's events, each an object (nio reads every one as a mapping)."""
    return [_object(event) for event in _list(section.get("events", []))]


def _timeline(info: dict[str, Any], joined: bool) -> list[dict[str, Any]]:
    """A room's timeline events, its other fields as nio's schema wants them (a joined
    room's timeline, if there is one, must hold ``events``; a left room's gets a default)."""
    section = _object(info.get("timeline", {}))
    if joined and "timeline" in info and "events" not in section:
        raise Unsure("a timeline without events")
    if not isinstance(section.get("limited", False), bool):
        raise Unsure("limited is not a boolean")
    if not isinstance(section.get("prev_batch", ""), str):
        raise Unsure("prev_batch is not a string")
    return _events(section)


def _check_room_extras(info: dict[str, Any]) -> None:
    """The parts of a joined room nio reads besides its events and summary."""
    for key in ("ephemeral", "account_data"):
        for event in _list(_object(info.get(key, {})).get("events", [])):
            _object(event)
    _object(info.get("unread_notifications", {}))
    for counts in _object(info.get("unread_thread_notifications", {})).values():
        _object(counts)


def _check_invites(invite: dict[str, Any]) -> None:
    """Invitations are the backend's to announce; they must only not break the answer."""
    for info in invite.values():
        state = _object(_object(info).get("invite_state", {}))
        for event in _list(state.get("events", [])):
            _object(event)


def _check_top_level(body: dict[str, Any]) -> bool:
    """The parts of the answer nio's sync schema checks outside the rooms; whether it
    brings messages to this device (room keys among them, maybe)."""
    for key in ("to_device", "presence", "account_data"):
        for event in _list(_object(body.get(key, {})).get("events", [])):
            _object(event)
    for event in body.get("presence", {}).get("events", []):
        _check_presence(event)
    counts = _object(body.get("device_one_time_keys_count", {}))
    for key in ("curve25519", "signed_curve25519"):
        if key in counts and type(counts[key]) is not int:
            raise Unsure("a key count is not an integer")
    lists = _object(body.get("device_lists", {}))
    for key in ("changed", "left"):
        if not all(isinstance(user, str) for user in _list(lists.get(key, []))):
            raise Unsure("device lists hold something else than user ids")
    return bool(body.get("to_device", {}).get("events"))


def _check_presence(event: dict[str, Any]) -> None:
    """nio's ``presence`` schema: an event it refuses becomes a ``BadEvent`` that its
    ``receive_response`` then fails on, so the whole sync would fail."""
    content = event.get("content")
    if not (
        isinstance(event.get("sender"), str)
        and event.get("type") == "m.presence"
        and isinstance(content, dict)
        and isinstance(content.get("presence"), str)
        and isinstance(content.get("currently_active", False), bool)
        and type(content.get("last_active_ago", 0)) is int
        and _str_or_absent(content, "status_msg")
    ):
        raise Unsure("a presence event nio refuses")


def _user_id(value: Any) -> bool:
    """nio's ``user_id`` format: ``@`` first and a ``:`` somewhere."""
    return isinstance(value, str) and value.startswith("@") and ":" in value


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Unsure("an object expected")
    return value


def _list(value: Any) -> Iterator[Any]:
    if not isinstance(value, list):
        raise Unsure("an array expected")
    return iter(value)
