"""Sessions' rosters read once per archive write, and never older than the archive.

A start asks for the rosters four times (the account, the open round, the instruction
feeds, the sitreps); at a ministry's scale each read cost a few hundred ms on the one
store thread the user's first room open waits on. They now share one read per archive
generation. A roster decides who may issue, acknowledge or steer, so the other half of
this is that a role change archived after the start reaches every one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from app.core import roles
from app.core.open_round import RoundError, Terms
from app.core.records import EventStatus, RoomEvent, RoomSummary
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Participant, role_content, role_key, session_content
from app.homeserver import EmbeddedHomeserver
from app.services.notices import InstructionsChanged, RosterChanged
from app.services.open_round import OpenRound
from app.services.rosters import SessionRosters
from app.services.sessions import Sessions
from app.services.sitrep import SitrepsChanged
from app.store import Archive, open_database, sqlite_url
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, signed_in_peers

ROOM = "!ops:ops.example"


def _event(event_id: str, status: EventStatus = EventStatus.OK) -> RoomEvent:
    """A message as the matrix layer hands it over: its encrypted source, and (unless it
    is still locked) what it decrypted to."""
    cipher = {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": f"c-{event_id}"}
    source = {"event_id": event_id, "room_id": ROOM, "type": "m.room.encrypted"}
    source |= {"sender": "@amal:ops.example", "origin_server_ts": 1, "content": cipher}
    locked = status is EventStatus.UNDECRYPTED
    kind, content = ("m.room.encrypted", cipher) if locked else ("m.room.message", {"body": "x"})
    return RoomEvent(
        event_id, ROOM, "@amal:ops.example", kind, 1, content, status=status, source=source
    )


def test_the_archive_generation_moves_with_every_committed_write_and_not_with_reads(
    tmp_path: Path,
) -> None:
    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    try:
        archive = Archive(engine, "@fac:ops.example")
        writes = {
            "a sync batch": lambda: archive.save_sync_batch(
                [_event("$1", EventStatus.UNDECRYPTED), _event("$2")],
                [RoomSummary(ROOM, "Operations")],
                "t1",
            ),
            "a history page": lambda: archive.save_history([_event("$0")]),
            "a note on a locked event": lambda: archive.set_notes({"$1": "key asked"}),
            "a late decryption": lambda: archive.update_decrypted([_event("$1")]),
            "a seal's verdict": lambda: archive.set_verdicts({"$2": (EventStatus.FORGED, "x")}),
        }
        reads = (
            archive.rooms,
            lambda: archive.state([ROOM]),
            lambda: archive.recent_events(ROOM),
            archive.sync_token,
            archive.count,
        )
        for what, write in writes.items():
            before = archive.generation
            for read in reads:
                read()
            assert archive.generation == before, f"a read moved it, before {what}"
            write()
            assert archive.generation != before, what
        # Another Archive on the same database shares the count: its writes count too.
        before = archive.generation
        Archive(engine, "@fac:ops.example").save_history([_event("$3")])
        assert archive.generation != before
    finally:
        engine.dispose()


class _SpaceStateReads:
    """Counts each time a whole space's state is read through the public ``Archive.state``
    (what a roster is read from first, once per space; no other reader asks for it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, space_id: str) -> None:
        self.by_archive: dict[Archive, int] = {}
        read = Archive.state

        def counted(archive: Archive, room_ids: Sequence[str], types: Sequence[str] = ()) -> Any:
            if list(room_ids) == [space_id] and not types:
                self.by_archive[archive] = self.by_archive.get(archive, 0) + 1
            return read(archive, room_ids, types)

        monkeypatch.setattr(Archive, "state", counted)


def _state(space: str, n: int, kind: str, key: str, content: dict[str, Any]) -> RoomEvent:
    source = {"event_id": f"$s{n}", "room_id": space, "type": kind, "state_key": key}
    source |= {"sender": "@fac:ops.example", "origin_server_ts": n, "content": content}
    return RoomEvent(f"$s{n}", space, "@fac:ops.example", kind, n, content, key, source=source)


def test_a_role_archived_after_the_rosters_were_read_is_what_the_next_reader_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    space, amal = "!drill:ops.example", "@amal:ops.example"
    key = role_key(amal)
    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    try:
        archive = Archive(engine, "@fac:ops.example")
        summary = [RoomSummary(space, "Drill", is_space=True)]
        session = _state(space, 1, roles.SESSION, "", session_content("Drill", "active", []))
        role_of = role_content(Participant(amal, Role.EXPERT))
        archive.save_sync_batch(
            [session, _state(space, 2, roles.ROLE, key, role_of)], summary, "t1"
        )
        rosters, reads = SessionRosters(archive), _SpaceStateReads(monkeypatch, space)

        def role() -> Role:
            (found,) = rosters.read()
            return next(m.role for m in found.roster.members if m.user_id == amal)

        assert (role(), role(), reads.by_archive[archive]) == (Role.EXPERT, Role.EXPERT, 1)
        official = role_content(Participant(amal, Role.OFFICIAL))
        archive.save_sync_batch([_state(space, 3, roles.ROLE, key, official)], [], "t2")
        assert (role(), reads.by_archive[archive]) == (Role.OFFICIAL, 2)
    finally:
        engine.dispose()


def _latest(peer: Peer, kind: type, space_id: str) -> Any:
    found = [n for n in peer.notices if isinstance(n, kind) and _space_of(n) == space_id]
    return found[-1] if found else None


def _space_of(notice: Any) -> str:
    if isinstance(notice, RosterChanged):
        return notice.roster.session.space_id
    if isinstance(notice, InstructionsChanged):
        return notice.desk.space_id
    return str(notice.space_id)


def _role_in_roster(peer: Peer, space_id: str) -> Role | None:
    notice = _latest(peer, RosterChanged, space_id)
    members = notice.roster.members if notice else ()
    return next((m.role for m in members if m.user_id == peer.user_id), None)


def _sitrep_role(peer: Peer, space_id: str) -> Role | None:
    notice = _latest(peer, SitrepsChanged, space_id)
    return notice.my_role if notice else None


def _desk_role(peer: Peer, space_id: str) -> Role | None:
    notice = _latest(peer, InstructionsChanged, space_id)
    return notice.desk.my_role if notice else None


async def test_a_restart_reads_the_rosters_once_and_a_later_role_change_reaches_every_reader(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fac, amal = await signed_in_peers(homeserver, make_account, tmp_path, "fac", "amal")
    peers = [fac, amal]
    try:
        info = await Sessions.of(fac.account).convene(
            Blueprint(
                title="Stranded citizens",
                kind="evacuation",
                capital_tz="Europe/Berlin",
                exercise=True,
                participants=(Participant(amal.user_id, Role.EXPERT),),
            )
        )
        space, ops = info.space_id, info.room(RoomKind.OPERATIONS)
        assert ops is not None
        await Sessions.of(amal.account).join(space)
        await amal.wait_for(
            lambda: (n := _latest(amal, SitrepsChanged, space)) is not None and n.details_known,
            "the session's details decrypted",
        )

        await amal.close()  # the restart
        reads = _SpaceStateReads(monkeypatch, space)
        amal = peers[1] = Peer(tmp_path / "amal")
        await amal.backend.start()
        assert reads.by_archive[amal.account.archive] == 1  # four readers, one read

        # As the start read it: an expert, who neither issues instructions nor poses rounds.
        assert _role_in_roster(amal, space) is Role.EXPERT
        assert _sitrep_role(amal, space) is Role.EXPERT
        assert _desk_role(amal, space) is Role.EXPERT
        terms = Terms("Routes out", "Transport, partners", minutes=5, vote_minutes=5)
        with pytest.raises(RoundError, match="only facilitators, officials and diplomats"):
            await amal.account.feature(OpenRound).pose(ops, terms)

        # Made an official after the start: every reader follows the archive, none the memo.
        await Sessions.of(fac.account).set_role(space, Participant(amal.user_id, Role.OFFICIAL))
        await amal.wait_for(lambda: _role_in_roster(amal, space) is Role.OFFICIAL, "roster")
        await amal.wait_for(lambda: _sitrep_role(amal, space) is Role.OFFICIAL, "sitreps")
        await amal.wait_for(lambda: _desk_role(amal, space) is Role.OFFICIAL, "instructions")
        assert _latest(amal, InstructionsChanged, space).desk.can_issue
        assert await amal.account.feature(OpenRound).pose(ops, terms)  # queued, not refused
    finally:
        for peer in peers:
            await peer.close()
