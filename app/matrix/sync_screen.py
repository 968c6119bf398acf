"""Screening of a whole sync answer, once nio has failed on it.

nio reads a sync answer in one go and fails on parts it indexes unchecked: a timeline
event without ``content`` (a ``KeyError`` in its parser), a presence event its schema
refuses (a ``BadEvent`` its presence handler then reads ``user_id`` of), an ``m.receipt``
or account data event of the wrong shape, ``unread_notifications`` that is no object;
and a value of the wrong type anywhere its sync schema looks (``limited``, a member
count, a device list entry) makes the whole answer an error response. Either way the
same answer comes back on every retry and the sync stops for good
(``bench/nio_sync_fuzz.py`` lists the shapes). No room member can send any of these
through Synapse, which checks what it relays; a faulty or hostile homeserver can.

Screening costs a parse of every event, so a normal answer never gets it: only after an
answer has failed is the same batch fetched again and screened here. Each part nio
fails on (per event, per section, per room) is taken out and recorded as a
``SyncProblem``; everything nio can take goes through. nio's room handlers are tried
too, on copies of its rooms: a handler failure may depend on what a room holds (nio
0.26's presence handler fails only while we are in some room; the fuzz found no room
handler failing, but a later nio is not bound by that).

A page of a room's history (/messages) nio fails on is screened the same way, event
by event (``screen_page``): the readable events go through, the others are recorded.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft4Validator
from nio import (
    AccountDataEvent,
    EphemeralEvent,
    ErrorResponse,
    Event,
    InviteEvent,
    MatrixInvitedRoom,
    MatrixRoom,
    PresenceEvent,
    RoomMemberEvent,
    SyncResponse,
)
from nio.events.misc import BadEvent, UnknownBadEvent
from nio.schemas import Checker, Schemas

from app.core.sync_problems import SyncProblem
from app.matrix.crypto.screen import source_text

log = logging.getLogger(__name__)
_MAX_ROUNDS = 50  # schema repairs per answer: each round removes at least one part
Check = Callable[[Any], None]  # raises when nio would fail on the event


class _Sink:
    """Where taken-out parts are recorded, with the place they were taken from."""

    def __init__(self, problems: list[SyncProblem]) -> None:
        self.problems = problems

    def add(self, section: str, room_id: str, part: Any, detail: str) -> None:
        event = part if isinstance(part, dict) else {}
        problem = SyncProblem(
            section=section,
            detail=detail[:500],
            room_id=room_id,
            event_id=_text(event.get("event_id")),
            event_type=_text(event.get("type")),
            sender=_text(event.get("sender")),
            source=source_text(part),
        )
        log.warning(
            "took out a %s part of a server answer (room %r): %s; as received: %s",
            section,
            room_id,
            problem.detail,
            problem.source,
        )
        self.problems.append(problem)


def _text(value: Any) -> str:
    return value[:255] if isinstance(value, str) else ""


def why(exc: BaseException) -> str:
    """An exception as a reason in the record."""
    return f"{type(exc).__name__}: {exc}"


def screen_answer(
    body: dict[str, Any], problems: list[SyncProblem], rooms: dict[str, MatrixRoom], user_id: str
) -> None:
    """Take out of ``body`` every part nio fails on, recording each in ``problems``.
    ``rooms`` are nio's joined rooms (tried on copies, never changed)."""
    sink = _Sink(problems)
    _repair_schema(body, sink)
    _screen_events(body, "presence", "", sink, _presence)
    _screen_events(body, "account_data", "", sink, AccountDataEvent.parse_event)
    sections = body.get("rooms", {})
    for room_id, info in sections.get("join", {}).items():
        scratch = copy.deepcopy(rooms.get(room_id)) or MatrixRoom(room_id, user_id)
        _screen_joined(room_id, info, scratch, sink)
    # nio's schema gives a missing section of a left or invited room an empty one only
    # for room ids with a server name; its parser then requires one.
    for room_id, info in sections.get("leave", {}).items():
        for key in ("state", "timeline"):
            _section(info, key)
            _screen_events(info, key, room_id, sink, _parse_room_event)
    for room_id, info in sections.get("invite", {}).items():
        _section(info, "invite_state")
        invited = MatrixInvitedRoom(room_id, user_id)
        _screen_events(info, "invite_state", room_id, sink, _invite_check(invited))
    _last_resort(body, sink)


def _section(info: Any, key: str) -> None:
    if isinstance(info, dict):
        info.setdefault(key, {"events": []})


def _repair_schema(body: dict[str, Any], sink: _Sink) -> None:
    """Remove each value nio's sync schema refuses (an entry of a list, a key of an
    object) until the schema passes. The check is the schema's without nio's filling in
    of defaults, which itself fails on a value that is no object where one belongs."""
    for _ in range(_MAX_ROUNDS):
        errors = {
            tuple(e.absolute_path): e.message
            for e in Draft4Validator(Schemas.sync, format_checker=Checker).iter_errors(body)
        }
        # The outermost refused places; a refusal at the top (no next_batch) cannot be helped.
        paths = [p for p in errors if p and not any(p[:n] in errors for n in range(1, len(p)))]
        targets = [(parent, path) for path in paths if (parent := _parent(body, path)) is not None]
        if not targets:
            return
        # Parents are found before anything moves; list entries go from the last one back.
        targets.sort(key=lambda t: t[1][-1] if isinstance(t[1][-1], int) else -1, reverse=True)
        for parent, path in targets:
            part = parent.pop(path[-1])
            rooms = len(path) >= 3 and path[0] == "rooms"
            section = str(path[3] if rooms and len(path) > 3 else path[1] if rooms else path[0])
            detail = f"{errors[path][:200]} (nio's sync schema)"
            sink.add(section, str(path[2]) if rooms else "", part, detail)


def _parent(body: dict[str, Any], path: tuple[Any, ...]) -> Any:
    """The object or list holding the value at ``path``, or None if it is not there."""
    parent: Any = body
    try:
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None
    return parent


def _screen_events(container: Any, key: str, room_id: str, sink: _Sink, check: Check) -> None:
    """Keep the events of ``container[key]`` that ``check`` passes; record the others.
    A section that is no object, or holds no list, is taken out whole."""
    if not isinstance(container, dict) or key not in container:
        return
    section = container[key]
    events = section.get("events", []) if isinstance(section, dict) else None
    if not isinstance(events, list):  # an empty one in its place: nio wants some for a left room
        sink.add(key, room_id, section, "the section is not an object with a list")
        container[key] = {"events": []}
        return
    section["events"] = _kept(events, key, room_id, sink, check)


def _kept(events: list[Any], section: str, room_id: str, sink: _Sink, check: Check) -> list[Any]:
    """The events ``check`` passes; each other one is recorded, with what nio raised."""
    kept = []
    for event in events:
        try:
            if not isinstance(event, dict):
                raise TypeError("the event is not a JSON object")
            check(event)
        except Exception as exc:  # whatever nio raises on it is the reason recorded
            sink.add(section, room_id, event, why(exc))
            continue
        kept.append(event)
    return kept


def screen_page(body: Any, room_id: str, problems: list[SyncProblem]) -> None:
    """Take out of a /messages answer (a page of ``room_id``'s history) every event nio
    fails on, each recorded in ``problems`` as a ``history`` part. A token nio's schema
    refuses is left for it to refuse: no token is better than a made-up one (the gap
    fill or back-fill would stop there, or fetch the same page again and again)."""
    if not isinstance(body, dict) or "chunk" not in body:
        return
    sink = _Sink(problems)
    chunk = body["chunk"]
    if isinstance(chunk, list):
        body["chunk"] = _kept(chunk, "history", room_id, sink, _parse_room_event)
    else:
        sink.add("history", room_id, body.pop("chunk"), "the chunk is not a list")
        body["chunk"] = []


def _parse_room_event(event: dict[str, Any]) -> Any:
    return Event.parse_event(event)


def _presence(event: dict[str, Any]) -> None:
    """nio's presence handler reads ``user_id`` of what its parser made: a bad event fails it."""
    if not isinstance(PresenceEvent.from_dict(event), PresenceEvent):
        raise ValueError("a presence event nio's schema refuses")


def _invite_check(room: MatrixInvitedRoom) -> Check:
    def check(event: dict[str, Any]) -> None:
        parsed = InviteEvent.parse_event(event)
        if parsed is not None:
            room.handle_event(parsed)

    return check


def _screen_joined(room_id: str, info: Any, room: MatrixRoom, sink: _Sink) -> None:
    """A joined room's events in the order nio handles them, each parsed and applied to
    ``room`` (a copy), so a handler failing on what the room already holds shows."""
    if not isinstance(info, dict):
        return  # a room id nio's schema does not look at: the last resort's

    def state(event: dict[str, Any]) -> None:
        parsed = Event.parse_event(event)
        if isinstance(parsed, RoomMemberEvent):
            room.handle_membership(parsed)
        elif parsed is not None and not isinstance(parsed, BadEvent | UnknownBadEvent):
            room.handle_event(parsed)

    def ephemeral(event: dict[str, Any]) -> None:
        parsed = EphemeralEvent.parse_event(event)
        if parsed is not None:
            room.handle_ephemeral_event(parsed)

    def account_data(event: dict[str, Any]) -> None:
        room.handle_account_data(AccountDataEvent.parse_event(event))

    for key, check in (
        ("state", state),
        ("timeline", state),
        ("ephemeral", ephemeral),
        ("account_data", account_data),
    ):
        _screen_events(info, key, room_id, sink, check)
    for key, valid in _extras(info):
        if not valid:
            sink.add(key, room_id, info.pop(key), f"{key} is not what nio reads")


def _extras(info: dict[str, Any]) -> Iterator[tuple[str, bool]]:
    """A joined room's summary and counters, which nio reads without checking where its
    schema does not look (room ids without a server name, as room version 12 makes)."""
    if "summary" in info:
        summary = info["summary"]
        yield "summary", isinstance(summary, dict) and _valid_summary(summary)
    for key in ("unread_notifications", "unread_thread_notifications"):
        if key in info:
            value = info[key]
            nested = key == "unread_thread_notifications"
            yield (
                key,
                isinstance(value, dict)
                and (not nested or all(isinstance(v, dict) for v in value.values())),
            )


def _valid_summary(summary: dict[str, Any]) -> bool:
    heroes = summary.get("m.heroes", [])
    counts = (summary.get(k, 0) for k in ("m.joined_member_count", "m.invited_member_count"))
    return (
        all(type(c) is int for c in counts)
        and isinstance(heroes, list)
        and all(isinstance(h, str) for h in heroes)
    )


def _last_resort(body: dict[str, Any], sink: _Sink) -> None:
    """What nio still fails on after the checks above (a shape nobody listed yet): each
    room nio fails on alone is kept with only its events nio reads one by one, so the
    others, and that room's readable messages, still go through."""
    if not isinstance(body.get("next_batch"), str) or _parse_failure(body) is None:
        return
    for kind, rooms in body.get("rooms", {}).items():
        for room_id in list(rooms) if isinstance(rooms, dict) else ():
            _keep_readable(body["next_batch"], kind, room_id, rooms, sink)
    if (why := _parse_failure(body)) is not None:
        log.warning("nio still fails on a screened sync answer: %s", why)


def _alone(token: str, kind: str, room_id: str, info: Any) -> dict[str, Any]:
    return {"next_batch": token, "rooms": {kind: {room_id: info}}}


def _keep_readable(token: str, kind: str, room_id: str, rooms: dict[str, Any], sink: _Sink) -> None:
    """Rebuild a room nio fails on from its event lists: each event nio fails on alone is
    taken out (a malformed row of the room), the rest of the room's fields go (recorded
    as one part). Only if nio fails on that too is the room taken out whole; a joined
    or left room's events then come again through the gap fill (``app.matrix.sync_holes``).
    A room nio reads alone is left as it is."""
    info = rooms[room_id]
    if (why := _parse_failure(_alone(token, kind, room_id, info))) is None:
        return
    keys = ("invite_state",) if kind == "invite" else ("state", "timeline")
    bare: dict[str, Any] = {key: {"events": []} for key in keys}
    for key in keys if isinstance(info, dict) else ():
        section = info.get(key)
        events = section.get("events") if isinstance(section, dict) else None
        for event in events if isinstance(events, list) else ():
            trial = {k: {"events": [event] if k == key else []} for k in keys}
            if (failure := _parse_failure(_alone(token, kind, room_id, trial))) is not None:
                sink.add(key, room_id, event, failure)
            else:
                bare[key]["events"].append(event)
        if key == "timeline" and isinstance(section, dict):  # the gap, if it is readable
            limited, prev_batch = section.get("limited"), section.get("prev_batch")
            if isinstance(limited, bool) and isinstance(prev_batch, str):
                bare[key] |= {"limited": limited, "prev_batch": prev_batch}
    if _parse_failure(_alone(token, kind, room_id, bare)) is not None:
        sink.add(kind, room_id, rooms.pop(room_id), why)
        return
    rooms[room_id] = bare
    sink.add(kind, room_id, info, f"kept with only the events nio reads one by one ({why})")


def _parse_failure(body: dict[str, Any]) -> str | None:
    try:
        parsed = SyncResponse.from_dict(copy.deepcopy(body))
    except Exception as exc:  # the failure that would stop the sync, as its reason
        return why(exc)
    return "nio's sync schema refuses it" if refused(parsed) else None


def refused(response: Any) -> bool:
    """An answer the server sent as a success that nio's schema (of a sync answer or of a
    history page) turned into an error response: as final for this batch or page as an
    exception (a server's own error, a 4xx/5xx, is not this)."""
    transport = getattr(response, "transport_response", None)
    return isinstance(response, ErrorResponse) and transport is not None and transport.status == 200
