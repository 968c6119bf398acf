"""A client's record exported while its archive knows a hole, on a real Synapse: bob,
behind the hostile homeserver (``tests.hostile_homeserver``), comes back to the session's
operations room after more was said than a sync brings, while the server cannot be
reached for the room's history, so the hole stays open. His export says so in its report
and its signed manifest, and `oor verify` tells it; where the hole lies is known only by
the sync that skipped it, and the record says no more than that. A hole the client gave
up (banned meanwhile, the server forbids the room's history) is stated as lost, never
left out as if the record were whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nio import RoomBanResponse

from app.cli import main
from app.core.roles import Role
from app.core.session import Blueprint, Participant, SessionInfo
from app.homeserver import EmbeddedHomeserver
from app.services.records import Records
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import bob_behind_a_proxy
from tests.peers import Peer, join_operations, raw_nio_client

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


async def _said_while_bob_was_away(alice: Peer, bob: Peer) -> tuple[SessionInfo, str]:
    """Alice convenes a session with bob, who sees its first message and signs off;
    then alice says ``SENT``. The session, and its operations room."""
    blueprint = Blueprint(
        title="Corridor", kind="evacuation", capital_tz="Africa/Cairo", outreach=False,
        participants=(Participant(bob.user_id, Role.OFFICIAL),),
    )  # fmt: skip
    info = await Sessions(alice.account.client).convene(blueprint)
    ops = await join_operations(alice, info, bob)
    await alice.account.send_text(ops, "before the gap")
    await bob.wait_text(ops, "before the gap")
    await bob.close()
    for text in SENT:
        await alice.account.send_text(ops, text)
    await alice.wait_text(ops, SENT[-1])
    return info, ops


async def test_a_hole_open_at_export_is_stated_in_the_record_and_by_verify(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "record"
    async with bob_behind_a_proxy(homeserver, make_account, tmp_path) as (alice, bob, proxy):
        info, ops = await _said_while_bob_was_away(alice, bob)
        proxy.history_room, proxy.history_down = ops, True  # the fill: not a try, kept open
        back = Peer(bob.data_dir)
        try:
            await back.backend.start()
            await back.wait_text(ops, SENT[-1])
            await back.wait_for(lambda: proxy.down >= 1, "the gap fill, unreachable")
            assert back.find_text(ops, SENT[0]) is None
            done = await back.account.feature(Records).export(info.space_id, str(out))
        finally:
            await back.close()

    assert done.gaps == 1
    box, gap, said = _the_one_gap_stated(out, capsys)
    assert (
        f"Part of the history of the operations room ({ops}) is not in this record: a sync "
    ) in box and "(Africa/Cairo) by the recording machine&#x27;s clock skipped it, and it " + (
        "had not been fetched yet when the record was exported."
    ) in box
    assert (gap["room_id"], gap["after_event_id"], gap["from_start"]) == (ops, "", False)
    assert gap["fetching"] == "not_yet"  # unreachable: no try spent
    assert f"  Part of the history of room {ops} is not in this record: a sync at " in said


async def test_a_hole_given_up_is_stated_as_lost_in_the_record(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "record"
    async with bob_behind_a_proxy(homeserver, make_account, tmp_path) as (alice, bob, _proxy):
        bob_id = bob.user_id
        info, ops = await _said_while_bob_was_away(alice, bob)
        assert alice.login_as is not None
        raw = await raw_nio_client(
            homeserver, alice.login_as.user_id, alice.login_as.password, tmp_path / "raw"
        )  # the facilitator's other client bans him while he is away
        try:
            banned = await raw.room_ban(ops, bob_id, "left the corridor talks")
            assert isinstance(banned, RoomBanResponse), banned
        finally:
            await raw.close()
        back = Peer(bob.data_dir)
        try:
            await back.backend.start()
            await back.wait_for(lambda: bool(back.problems("history_gap_lost")), "given up")
            assert await back.account.db(back.account.archive.history_gaps) == []  # no fill
            done = await back.account.feature(Records).export(info.space_id, str(out))
        finally:
            await back.close()

    assert done.gaps == 1
    box, gap, said = _the_one_gap_stated(out, capsys)
    assert f"Part of the history of the operations room ({ops}) is not in this record" in box
    assert "skipped it, and it could not be fetched: the server would not give it" in box
    assert (gap["room_id"], gap["fetching"]) == (ops, "given_up")
    assert "could not be fetched: the server would not give it" in said


def _the_one_gap_stated(out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, Any, str]:
    """The record in ``out`` verifies and states one known gap: its report's box of
    gaps, the gap as its signed manifest lists it, and what `oor verify` says."""
    page = (out / "record.html").read_text(encoding="utf-8")
    box = page[page.index("<h2>Known gaps in this record</h2>") : page.index("Participants")]
    [gap] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["gaps"]
    assert main(["verify", str(out)]) == 0
    said = capsys.readouterr().out
    assert "complete and untampered" in said and "; 1 known gap in its history\n" in said
    return box, gap, said
