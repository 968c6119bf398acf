"""Exercises on a real Synapse: the built-in scenario plays at high speed with a real cast,
and the facilitator's controls move the schedule."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from app.core import roles
from app.core.exercise import FACILITATOR, ClockState, Inject, parse_scenario
from app.core.instructions import Stage
from app.core.records import EventStatus, RoomEvent
from app.core.roles import RoomKind
from app.core.session import SessionInfo
from app.homeserver import EmbeddedHomeserver
from app.scenarios import CORRIDOR
from app.services.exercise import ExerciseRunner
from app.services.instructions import Instructions
from app.services.notices import ExerciseProgress
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer

pytestmark = pytest.mark.integration  # one test runs `oor exercise run` on its own Synapse

INJECT_TYPES = {
    "message": "m.room.message",
    "entry": roles.ENTRY,
    "verification": roles.VERIFICATION,
    "instruction": roles.INSTRUCTION,
    "ack": roles.ACK,
    "request": roles.REQUEST,
    "indicator": roles.INDICATOR,
}


def expected_rooms(inject: Inject, info: SessionInfo) -> list[str | None]:
    """Where an inject must arrive."""
    f = inject.fields
    if inject.do == "instruction":
        return [info.room(RoomKind.DELEGATION, d) for d in [*f["to"], *f.get("info", [])]]
    if inject.do in ("ack", "request"):
        return [None]  # the sender's own delegation room: checked by sender and type
    kind, _, delegation = str(f.get("room", "operations")).partition(":")
    return [info.room(RoomKind(kind), delegation)]


def arrived(events: list[RoomEvent], inject: Inject, sender: str, room: str | None) -> bool:
    return any(
        e.sender == sender
        and e.type == INJECT_TYPES[inject.do]
        and e.status is EventStatus.OK
        and (room is None or e.room_id == room)
        for e in events
    )


async def test_the_built_in_scenario_plays_out_in_the_right_rooms(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    scenario = parse_scenario(CORRIDOR.read_text(encoding="utf-8"))
    fac = await Peer(tmp_path / "fac", make_account("fac")).login(homeserver)
    host = fac.backend.exercise_host(
        scenario, tmp_path / "cast", homeserver.create_account,
        prefix=f"x{secrets.token_hex(3)}-",
    )  # fmt: skip
    try:
        runner = await host.start(speed=60.0)  # four minutes in four seconds
        await host.finished()
        assert runner.failures == [] and runner.done == len(scenario.injects)
        info = runner.session
        assert info is not None and info.exercise

        users = {
            h: runner.account(h).user_id for h in [FACILITATOR, *(c.handle for c in scenario.cast)]
        }
        checks = [
            (inject, users[inject.by], room)
            for inject in scenario.injects
            for room in expected_rooms(inject, info)
        ]
        await fac.wait_for(
            lambda: all(arrived(fac.events(), i, s, r) for i, s, r in checks), "every inject"
        )
        # The facilitator's board: both instructions, each with the stage the MSEL gave it.
        feature = fac.account.feature(Instructions)

        def stages() -> dict[tuple[str, str], Stage]:
            rows = feature.feed(info.space_id).rows
            return {(r.instruction.subject[:4], r.instruction.delegation): r.stage for r in rows}

        wanted = {
            ("Hold", "geneva"): Stage.DONE,
            ("Hold", "nicosia"): Stage.RECEIVED,  # informed only: received, nothing to act on
            ("Char", "nicosia"): Stage.ACKNOWLEDGED,
        }
        await fac.wait_for(lambda: stages() == wanted, f"the board to read {wanted}")
        requests = feature.feed(info.space_id).requests
        assert len(requests) == 1 and requests[0].delegation == "nicosia"
        assert requests[0].answered_by  # the ferry instruction answers it
        progress = [n for n in fac.notices if isinstance(n, ExerciseProgress)]
        assert progress[-1].state is ClockState.FINISHED and progress[-1].done == 22
    finally:
        await host.stop()
        await fac.close()


async def test_start_pause_speed_and_next_inject_move_the_schedule(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    scenario = parse_scenario(
        "title: Drill\nkind: evacuation\ncapital_tz: Africa/Cairo\n"
        "cast: [{handle: amal, role: official}]\n"
        "injects:\n"
        "  - {at: 0, by: amal, do: message, text: first}\n"
        "  - {at: '1:00:00', by: amal, do: message, text: an hour later}\n"
        "  - {at: '2:00:00', by: amal, do: message, text: two hours later}\n"
    )
    fac = await Peer(tmp_path / "fac", make_account("fac")).login(homeserver)
    host = fac.backend.exercise_host(
        scenario, tmp_path / "cast", homeserver.create_account,
        prefix=f"y{secrets.token_hex(3)}-",
    )  # fmt: skip

    def latest() -> ExerciseProgress:
        return [n for n in fac.notices if isinstance(n, ExerciseProgress)][-1]

    try:
        runner: ExerciseRunner = await host.start(autostart=False)  # convened, held at T+0
        await fac.wait_for(lambda: latest().state is ClockState.READY, "the ready clock")
        assert latest().done == 0 and latest().elapsed == 0
        runner.start()
        await fac.wait_for(lambda: latest().done == 1, "the first inject")
        assert latest().next_at == 3600 and latest().state is ClockState.RUNNING
        runner.pause()
        assert latest().state is ClockState.PAUSED
        runner.skip_to_next()  # jumps the clock; paused, so nothing is played yet
        assert latest().elapsed >= 3600 and latest().done == 1
        runner.resume()
        await fac.wait_for(lambda: latest().done == 2, "the jumped-to inject")
        runner.set_speed(10_000.0)  # the last hour passes in a third of a second
        assert latest().speed == 10_000.0
        await fac.wait_for(lambda: latest().state is ClockState.FINISHED, "the end")
        assert latest().done == 3 and latest().elapsed >= 7200
        operations = runner.session.room(RoomKind.OPERATIONS) if runner.session else None
        # (the session's details are re-sent as people join: not necessarily the last text)
        await fac.wait_for(lambda: "two hours later" in fac.texts(operations), "the text")
    finally:
        await host.stop()
        await fac.close()


def test_exercise_run_plays_a_scenario_headless(tmp_path: Path, capsys) -> None:
    """`oor exercise run` on its own embedded homeserver, then stops it."""
    from app.cli import main

    drill = tmp_path / "drill.yaml"
    drill.write_text(
        "title: Drill\nkind: pandemic\ncapital_tz: Asia/Riyadh\n"
        "delegations: [{id: who, name: WHO liaison, tz: Europe/Zurich}]\n"
        "cast: [{handle: amal, role: official}, {handle: omar, role: delegate, delegation: who}]\n"
        "injects:\n"
        "  - {at: 0, by: amal, do: instruction, id: i, to: [who], subject: Report cases}\n"
        "  - {at: 5, by: omar, do: ack, instruction: i, state: done, note: Reported.}\n",
        encoding="utf-8",
    )
    data = str(tmp_path / "data")
    assert main(["exercise", "run", str(drill), "--speed", "20", "--data-dir", data, "--json"]) == 0
    reply = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert reply["played"] == reply["injects"] == 2 and reply["failures"] == []
    assert not EmbeddedHomeserver(tmp_path / "data" / "homeserver").running_elsewhere()
