"""A client's record exported while its archive knows a hole, on a real Synapse: bob,
behind the hostile homeserver (``tests.hostile_homeserver``), comes back to the session's
operations room after more was said than a sync brings, while the server cannot be
reached for the room's history, so the hole stays open. His export says so in its report
and its signed manifest, and `oor verify` tells it; where the hole lies is known only by
the sync that skipped it, and the record says no more than that."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from app.core.roles import Role
from app.core.session import Blueprint, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.records import Records
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import bob_behind_a_proxy
from tests.peers import Peer, join_operations

SENT = [f"while away {n:02d}" for n in range(30)]  # more than a sync's 10


async def test_a_hole_open_at_export_is_stated_in_the_record_and_by_verify(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "record"
    async with bob_behind_a_proxy(homeserver, make_account, tmp_path) as (alice, bob, proxy):
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
    page = (out / "record.html").read_text(encoding="utf-8")
    box = page[page.index("<h2>Known gaps in this record</h2>") : page.index("Participants")]
    assert (
        f"Part of the history of the operations room ({ops}) could not be read: a sync at "
    ) in box and "(Africa/Cairo) by the recording machine&#x27;s clock skipped it" in box
    [gap] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["gaps"]
    assert (gap["room_id"], gap["after_event_id"], gap["from_start"]) == (ops, "", False)
    assert main(["verify", str(out)]) == 0
    said = capsys.readouterr().out
    assert "complete and untampered" in said and "; 1 known gap in its history\n" in said
    assert f"  Part of the history of room {ops} could not be read: a sync at " in said
