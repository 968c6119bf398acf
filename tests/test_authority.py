"""The client's second lock judges an event by the power levels in force when it arrived."""

from __future__ import annotations

from pathlib import Path

from app.core import roles
from app.core.records import EventStatus, RoomEvent
from app.services.authority import AUTH_TYPES, RoomAuthority
from app.store import Archive, open_database, sqlite_url

ROOM, FAC, AMAL = "!ops:x", "@fac:x", "@amal:x"


def _state(event_id: str, event_type: str, content: dict, ts: int) -> RoomEvent:
    source = {"type": event_type, "state_key": "", "event_id": event_id, "sender": FAC}
    return RoomEvent(event_id, ROOM, FAC, event_type, ts, content, state_key="", source=source)


def _levels(event_id: str, amal: int, ts: int) -> RoomEvent:
    content = {"users": {FAC: 100, AMAL: amal}, "events": {roles.INSTRUCTION: 80}}
    return _state(event_id, "m.room.power_levels", content, ts)


def _instruction(event_id: str, status: EventStatus, ts: int) -> RoomEvent:
    content = {"body": "Hold", "subject": "Hold", "priority": "flash", "requires_ack": True}
    source = {"type": "m.room.encrypted", "event_id": event_id, "sender": AMAL}
    return RoomEvent(
        event_id, ROOM, AMAL, roles.INSTRUCTION, ts, content, status=status, source=source
    )


def test_a_late_key_is_judged_by_the_rules_when_the_event_arrived(tmp_path: Path) -> None:
    engine = open_database(sqlite_url(tmp_path / "a.sqlite3"))
    try:
        archive = Archive(engine, FAC)
        create = _state("$create", "m.room.create", {"room_version": "11"}, 1)
        locked = _instruction("$order", EventStatus.UNDECRYPTED, 3)
        archive.save_sync_batch(
            [create, _levels("$pl1", 80, 2), locked, _levels("$pl2", 20, 4)], [], "t1"
        )
        decrypted = _instruction("$order", EventStatus.OK, 3)

        now = RoomAuthority(archive.state([ROOM], AUTH_TYPES)).check(decrypted)
        assert now.status is EventStatus.FORGED  # today amal could not send it ...
        then = RoomAuthority(archive.state_before("$order", AUTH_TYPES)).check(decrypted)
        assert then.status is EventStatus.OK  # ... but she could when she did
    finally:
        engine.dispose()


def test_a_late_ack_is_judged_by_the_delegation_as_it_stood(tmp_path: Path) -> None:
    """Role states are keyed by user: a delegate's ack decrypted late must still find the
    role that made them a member of the room's delegation when they sent it."""
    omar = "@omar:x"
    engine = open_database(sqlite_url(tmp_path / "a.sqlite3"))
    try:
        archive = Archive(engine, FAC)
        levels = {"users": {FAC: 100, omar: 50}, "events": {roles.ACK: 50}}
        role = {"body": "omar is delegate", "role": "delegate", "delegation": "geneva"}
        role_source = {"type": roles.ROLE, "state_key": "omar:x", "event_id": "$role"}
        events = [
            _state("$create", "m.room.create", {"room_version": "11"}, 1),
            _state("$pl", "m.room.power_levels", levels, 2),
            _state("$deleg", roles.DELEGATION, {"body": "d", "id": "geneva", "name": "G",
                                                "tz": "Europe/Zurich"}, 3),
            RoomEvent("$role", ROOM, FAC, roles.ROLE, 4, role, state_key="omar:x",
                      source=role_source),
        ]  # fmt: skip
        content = {
            "body": "acknowledged",
            "state": "acknowledged",
            "m.relates_to": {"rel_type": "m.reference", "event_id": "$order"},
        }
        source = {"type": "m.room.encrypted", "event_id": "$ack", "sender": omar}
        locked = RoomEvent("$ack", ROOM, omar, roles.ACK, 5, content,
                           status=EventStatus.UNDECRYPTED, source=source)  # fmt: skip
        archive.save_sync_batch([*events, locked], [], "t1")
        decrypted = RoomEvent("$ack", ROOM, omar, roles.ACK, 5, content, source=source)
        then = RoomAuthority(archive.state_before("$ack", AUTH_TYPES)).check(decrypted)
        assert then.status is EventStatus.OK, then.note
    finally:
        engine.dispose()
