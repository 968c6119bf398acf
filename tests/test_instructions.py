"""Instructions to delegations on a real Synapse: the lifecycle, forgeries, offline issuing."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest

from app.cli import main
from app.core import roles
from app.core.instructions import (
    Addressed,
    Doubt,
    Draft,
    Feed,
    Stage,
    ack_content,
    instruction_content,
)
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant, SessionInfo
from app.homeserver import EmbeddedHomeserver
from app.services.instructions import InstructionError, Instructions
from app.services.notices import InstructionAlert, InstructionOverdue, InstructionsChanged
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer


def blueprint(official: str, geneva: str, doha: str) -> Blueprint:
    return Blueprint(
        title="Ceasefire corridor",
        kind="escalation",
        capital_tz="Africa/Cairo",
        classification="CONFIDENTIAL",
        exercise=True,
        delegations=(
            Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),
            Delegation("doha", "Corridor talks", "Asia/Qatar", "Doha"),
        ),
        participants=(
            Participant(official, Role.OFFICIAL, title="Director, Crisis Unit"),
            Participant(geneva, Role.DELEGATE, "geneva"),
            Participant(doha, Role.DELEGATE, "doha"),
        ),
    )


def feed(peer: Peer, space_id: str) -> Feed:
    """The newest board this client was shown for the session."""
    for notice in reversed(peer.notices):
        if isinstance(notice, InstructionsChanged) and notice.desk.space_id == space_id:
            return notice.feed
    return Feed()


def row(peer: Peer, space_id: str, ref: str, delegation: str) -> Addressed | None:
    rows = feed(peer, space_id).by_ref.get(ref, ())
    return next((r for r in rows if r.instruction.delegation == delegation), None)


def stage_is(peer: Peer, space: str, ref: str, delegation: str, stage: Stage) -> Callable[[], bool]:
    def check() -> bool:
        found = row(peer, space, ref, delegation)
        return found is not None and found.stage is stage

    return check


def instructions(peer: Peer) -> Instructions:
    return peer.account.feature(Instructions)


async def convene(fac: Peer, *joiners: Peer) -> SessionInfo:
    """Fac convenes; everyone joins; each client has read its delegation rooms."""
    official, geneva, doha = joiners
    info = await Sessions.of(fac.account).convene(
        blueprint(official.user_id, geneva.user_id, doha.user_id)
    )
    for peer in joiners:
        await Sessions.of(peer.account).join(info.space_id)
    for peer, delegations in ((official, {"geneva", "doha"}), (geneva, {"geneva"})):
        await peer.wait_for(
            lambda p=peer, d=delegations: (
                (desk := instructions(p).desk(info.space_id)) is not None
                and set(desk.rooms.values()) == d
                and desk.my_role is not None
            ),
            "the session's delegation rooms",
        )
    return info


async def set_time_zone(homeserver: EmbeddedHomeserver, peer: Peer, zone: str) -> None:
    """What another client's settings page does: the m.tz profile field."""
    user = quote(peer.user_id, safe="")
    headers = {"Authorization": f"Bearer {peer.account.client.creds.access_token}"}
    async with aiohttp.ClientSession() as http:
        url = f"{homeserver.url}/_matrix/client/v3/profile/{user}/m.tz"
        async with http.put(url, json={"m.tz": zone}, headers=headers) as reply:
            assert reply.status == 200


NAMES = ("fac", "amal", "omar", "sara")  # facilitator, official, Geneva and Doha delegates


@pytest.fixture
async def peers(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> AsyncIterator[list[Peer]]:
    """The four, signed in; whoever is in the list at the end is closed (a test may
    restart one in place)."""
    signed_in = [await Peer(tmp_path / n, make_account(n)).login(homeserver) for n in NAMES]
    yield signed_in
    for peer in signed_in:
        await peer.close()


def in_a_minute() -> int:
    return int(time.time() * 1000) + 60_000


async def test_instruction_lifecycle_between_capital_and_two_delegations(
    homeserver: EmbeddedHomeserver, peers: list[Peer]
) -> None:
    fac, amal, omar, sara = peers
    await set_time_zone(homeserver, omar, "Asia/Tokyo")  # omar's own clock, not Zurich's
    info = await convene(fac, amal, omar, sara)
    space = info.space_id
    await omar.wait_for(
        lambda: (d := instructions(omar).desk(space)) is not None and d.my_tz == "Asia/Tokyo",
        "omar's own time zone",
    )
    await sara.wait_for(
        lambda: (d := instructions(sara).desk(space)) is not None and d.my_delegation == "doha",
        "sara's desk",
    )

    # Issued to both delegations; each delegate's device says "received" by itself.
    draft = Draft(
        "Hold the corridor line",
        "Do not concede the northern checkpoint.\nتمسكوا بالممر الشمالي.",
        priority="flash",
        action=("geneva", "doha"),
        deadline=in_a_minute(),
        classification="CONFIDENTIAL",
    )
    ref = await instructions(amal).issue(space, draft)
    for delegation in ("geneva", "doha"):
        await amal.wait_for(
            stage_is(amal, space, ref, delegation, Stage.RECEIVED), f"{delegation} received"
        )
    seen = row(omar, space, ref, "geneva")
    assert seen is not None and seen.open and seen.instruction.subject == draft.subject
    assert seen.instruction.body == draft.body and seen.instruction.priority == "flash"
    assert row(omar, space, ref, "doha") is None  # omar sees only his delegation's copy
    alerts = [n for n in omar.notices if isinstance(n, InstructionAlert)]
    assert [a.row.instruction.ref for a in alerts] == [ref]

    # A deliberate acknowledgement, then done; "unable" needs a reason.
    geneva_copy = seen.instruction.event_id
    await instructions(omar).acknowledge(geneva_copy, "acknowledged")
    await amal.wait_for(
        stage_is(amal, space, ref, "geneva", Stage.ACKNOWLEDGED), "geneva acknowledged"
    )
    await instructions(omar).acknowledge(geneva_copy, "done", "Line held at 14:00.")
    await amal.wait_for(stage_is(amal, space, ref, "geneva", Stage.DONE), "geneva done")
    doha_copy = row(sara, space, ref, "doha")
    assert doha_copy is not None
    with pytest.raises(InstructionError):
        await instructions(sara).acknowledge(doha_copy.instruction.event_id, "unable", " ")
    await instructions(sara).acknowledge(
        doha_copy.instruction.event_id, "unable", "The mediator left the talks."
    )
    await amal.wait_for(stage_is(amal, space, ref, "doha", Stage.UNABLE), "doha unable")
    unable = row(amal, space, ref, "doha")
    assert unable is not None and unable.note == "The mediator left the talks."
    assert [a.state for a in unable.history] == [Stage.RECEIVED, Stage.UNABLE]

    # Clarification thread on the instruction.
    await instructions(omar).clarify(geneva_copy, "Does this include the eastern gate?")
    await amal.wait_for(
        lambda: bool((r := row(amal, space, ref, "geneva")) and r.thread),
        "the clarification",
    )

    # A request for instructions, answered by an instruction that supersedes the first.
    await instructions(sara).request(space, "May we accept a 48h pause?", "", in_a_minute())
    await amal.wait_for(lambda: bool(feed(amal, space).requests), "sara's request")
    request = feed(amal, space).requests[0]
    assert request.delegation == "doha" and not request.answered_by
    answer = Draft(
        "Accept a 48h pause",
        "Accept, with monitors.",
        priority="immediate",
        action=("doha",),
        info=("geneva",),
        supersedes=ref,
        answers=request.event_id,
    )
    ref2 = await instructions(amal).issue(space, answer)
    await sara.wait_for(
        lambda: bool((r := row(sara, space, ref, "doha")) and r.superseded_by == ref2),
        "the first instruction struck through",
    )
    await amal.wait_for(
        lambda: feed(amal, space).requests[0].answered_by == ref2, "the request answered"
    )
    await omar.wait_for(lambda: row(omar, space, ref2, "geneva") is not None, "info copy")
    info_copy = row(omar, space, ref2, "geneva")
    assert info_copy is not None and not info_copy.instruction.action and not info_copy.open


async def test_overdue_and_forgeries_are_shown_to_the_capital(
    peers: list[Peer], tmp_path: Path
) -> None:
    fac, amal, omar, sara = peers
    info = await convene(fac, amal, omar, sara)
    space, geneva = info.space_id, info.room(RoomKind.DELEGATION, "geneva")
    assert geneva is not None

    # Not acknowledged by its deadline: overdue on the board, the issuer told once.
    soon = int(time.time() * 1000) + 4_000
    draft = Draft("Report the delegation's position", "", action=("geneva",), deadline=soon)
    ref = await instructions(amal).issue(space, draft)
    await amal.wait_for(
        lambda: any(isinstance(n, InstructionOverdue) for n in amal.notices), "overdue"
    )
    # The delegate's device says "received" once it can read the instruction: under
    # load (its room key in a later sync) that may be after the deadline, and the row
    # stays overdue, since only an acknowledgement settles it.
    await amal.wait_for(stage_is(amal, space, ref, "geneva", Stage.RECEIVED), "'received'")
    overdue = row(amal, space, ref, "geneva")
    assert overdue is not None and overdue.overdue
    await instructions(amal).issue(space, Draft("Later", "", action=("geneva",)))
    told = [n for n in amal.notices if isinstance(n, InstructionOverdue)]
    assert [n.row.instruction.ref for n in told] == [ref]

    # An official may not acknowledge for the delegation; a delegate may not instruct.
    copy = overdue.instruction.event_id
    await amal.account.send(geneva, roles.ACK, ack_content(copy, "done"))
    forged_instruction = instruction_content(Draft("Concede", "", action=("geneva",)), "x")
    await omar.account.send(geneva, roles.INSTRUCTION, forged_instruction)
    for peer in (amal, omar):
        await peer.wait_for(
            lambda p=peer: len(feed(p, space).suspects) == 2, "both forgeries audited"
        )
        suspects = feed(peer, space).suspects
        assert {s.type for s in suspects} == {roles.ACK, roles.INSTRUCTION}
        doubts = [(s.type, s.doubt, s.reason) for s in suspects]
        assert all(s.doubt is Doubt.FORGED and s.reason for s in suspects), doubts
        assert all(r.instruction.subject != "Concede" for r in feed(peer, space).rows)
    geneva_row = row(amal, space, ref, "geneva")
    assert geneva_row is not None and geneva_row.stage is Stage.RECEIVED

    # Both restart: the issuer is not told again; the delegate does not say "received"
    # again (a marker in the thread shows the restarted delegate's sends have arrived).
    for index in (1, 2):
        await peers[index].close()
        peers[index] = Peer(tmp_path / NAMES[index])
        await peers[index].backend.start()
    amal, omar = peers[1], peers[2]
    await omar.wait_for(lambda: row(omar, space, ref, "geneva") is not None, "omar's feed")
    await instructions(omar).clarify(copy, "Still on it after a restart.")
    await amal.wait_for(
        lambda: bool((r := row(amal, space, ref, "geneva")) and r.thread), "the marker"
    )
    after = row(amal, space, ref, "geneva")
    assert after is not None and after.overdue
    receipts = [a for a in after.history if a.sender == omar.user_id]
    assert [a.state for a in receipts] == [Stage.RECEIVED]
    assert not any(isinstance(n, InstructionOverdue) for n in amal.notices)


@pytest.mark.integration  # starts and restarts a Synapse of its own
async def test_instruction_issued_offline_arrives_once_after_a_restart(tmp_path: Path) -> None:
    server = EmbeddedHomeserver(tmp_path / "homeserver")
    server.start()
    try:
        peers = [
            await Peer(tmp_path / n, server.create_account(n)).login(server)
            for n in ("fac", "amal", "omar", "sara")
        ]
        fac, amal, omar, sara = peers
        try:
            info = await convene(fac, amal, omar, sara)
            space = info.space_id
            server.stop()
            ref = await instructions(amal).issue(
                space, Draft("Sent from the plane", "Offline.", action=("geneva",))
            )
            pending = row(amal, space, ref, "geneva")
            assert pending is not None and pending.stage is Stage.PENDING
            await amal.close()  # the app closes (or crashes) before the server is back

            server.start()
            amal = Peer(tmp_path / "amal")
            peers[1] = amal
            await amal.backend.start()
            await omar.wait_for(lambda: row(omar, space, ref, "geneva") is not None, "arrival")
            await amal.wait_for(
                stage_is(amal, space, ref, "geneva", Stage.RECEIVED), "the delegation's receipt"
            )
            await instructions(amal).issue(space, Draft("Marker", "", action=("geneva",)))
            await omar.wait_for(
                lambda: any(r.instruction.subject == "Marker" for r in feed(omar, space).rows),
                "the marker",
            )
            copies = [r for r in feed(omar, space).rows if r.instruction.ref == ref]
            assert len(copies) == 1
        finally:
            for peer in peers:
                await peer.close()
    finally:
        server.stop()


async def test_scripts_instruct_acknowledge_and_read_the_board(
    peers: list[Peer], tmp_path: Path, capsys
) -> None:
    info = await convene(*peers)
    for peer in peers:  # the commands use these data dirs' stored logins, one at a time
        await peer.close()
    space = info.space_id

    async def oor(*args: str) -> dict:
        capsys.readouterr()
        code = await asyncio.to_thread(main, [*args, "--json"])
        out = capsys.readouterr()
        assert code == 0, out.err
        return json.loads(out.out)

    amal, omar = str(tmp_path / "amal"), str(tmp_path / "omar")
    issued = await oor(
        "instruct", "--data-dir", amal, "--session", space, "--to", "geneva",
        "--subject", "Table the corridor map", "--priority", "immediate",
        "--deadline-minutes", "30",
    )  # fmt: skip
    assert issued["sent"] is True and issued["delegations"] == ["geneva"]
    board = await oor("instructions", "--data-dir", omar, "--session", space)
    rows = board["sessions"][0]["instructions"]
    assert [(r["subject"], r["ref"]) for r in rows] == [("Table the corridor map", issued["ref"])]
    acked = await oor(
        "ack", issued["ref"], "--data-dir", omar, "--state", "done", "--note", "Tabled."
    )
    assert acked["sent"] is True
    board = await oor("instructions", "--data-dir", amal)
    (session,) = [s for s in board["sessions"] if s["space_id"] == space]
    (row,) = session["instructions"]
    assert row["stage"] == "done" and row["note"] == "Tabled." and session["exercise"] is True

    refused = await asyncio.to_thread(
        main, ["instruct", "--data-dir", omar, "--session", space, "--to", "geneva",
               "--subject", "Delegates do not instruct", "--json"]
    )  # fmt: skip
    assert refused == 2 and "officials" in capsys.readouterr().err
