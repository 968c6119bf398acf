"""Sitreps on a real Synapse: compiled, returned with a comment, revised, approved by a
second official and published to the operations room and every delegation room, where a
plain matrix-nio client reads it; approvals by the author or a non-official are refused,
and one forged by a raw client is shown as forged and publishes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.core import roles
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant, SessionInfo
from app.core.sitrep import Board, Stage, Why, review_message, review_payload
from app.core.timeline import EntryDraft
from app.homeserver import Account, EmbeddedHomeserver
from app.services.records import Records
from app.services.sessions import Sessions
from app.services.sitrep import LatestSitrep, SitrepError, Sitreps, SitrepsChanged
from app.services.timeline import Timeline
from tests.cross_signing_peer import CrossSigningPeer
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client
from tests.test_plain_clients import PlainClient, knows_device, message_with

NAMES = ("fac", "amal", "badr", "omar")  # facilitator, two officials, a Geneva delegate


def board(peer: Peer, space: str) -> Board:
    for notice in reversed(peer.notices):
        if isinstance(notice, SitrepsChanged) and notice.space_id == space:
            return notice.board
    return Board()


def stage_is(peer: Peer, space: str, stage: Stage, revision: int = 1):
    def check() -> bool:
        found = board(peer, space).sitreps
        return bool(found) and (found[-1].stage, found[-1].revision) == (stage, revision)

    return check


def entries(peer: Peer, room: str) -> int:
    return sum(e.room_id == room and e.type == roles.ENTRY for e in peer.events())


def sitreps(peer: Peer) -> Sitreps:
    return peer.account.feature(Sitreps)


async def refused(call) -> Why:
    with pytest.raises(SitrepError) as caught:
        await call
    return caught.value.why


def blueprint(amal: str, badr: str, omar: str, cara: str) -> Blueprint:
    return Blueprint(
        title="Corridor crisis",
        kind="escalation",
        capital_tz="Africa/Cairo",
        exercise=True,
        delegations=(
            Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),
            Delegation("doha", "Corridor talks", "Asia/Qatar", "Doha"),
        ),
        participants=(
            Participant(amal, Role.OFFICIAL),
            Participant(badr, Role.OFFICIAL),
            Participant(omar, Role.DELEGATE, "geneva"),
            Participant(cara, Role.OFFICIAL),
        ),
    )


@pytest.fixture
async def session(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> AsyncIterator[tuple[list[Peer], SessionInfo, PlainClient, dict[str, Account]]]:
    """The four in a convened session, and cara, an official reading from a plain client
    in the operations room and both delegation rooms."""
    accounts = {n: make_account(n) for n in (*NAMES, "cara")}
    peers = [await Peer(tmp_path / n, accounts[n]).login(homeserver) for n in NAMES]
    cara = accounts["cara"]
    raw = await raw_nio_client(homeserver, cara.user_id, cara.password, tmp_path / "plain-cara")
    try:
        # A trusted official: her only device is cross-signed (delegation rooms share keys
        # only with such devices).
        await CrossSigningPeer(raw, cara.password).set_up()
        fac, amal, badr, omar = peers
        bp = blueprint(amal.user_id, badr.user_id, omar.user_id, cara.user_id)
        info = await Sessions.of(fac.account).convene(bp)
        for peer in (amal, badr, omar):
            await Sessions.of(peer.account).join(info.space_id)
        rooms = [
            r.room_id for r in info.rooms if r.kind in (RoomKind.OPERATIONS, RoomKind.DELEGATION)
        ]
        for room in rooms:
            await raw_join(raw, room)
        for peer in (amal, badr):
            await peer.wait_for(
                lambda p=peer: knows_device(p, raw.user_id, raw.device_id), "cara's device"
            )
            await peer.wait_for(
                lambda p=peer: any(
                    isinstance(n, SitrepsChanged) and n.space_id == info.space_id and n.my_role
                    for n in p.notices
                ),
                "the session's sitreps",
            )
        yield peers, info, PlainClient(raw), accounts
    finally:
        await raw.close()
        for peer in peers:
            await peer.close()


async def test_a_sitrep_returned_revised_approved_and_published_everywhere(
    session: tuple[list[Peer], SessionInfo, PlainClient, dict[str, Account]], tmp_path: Path
) -> None:
    (_fac, amal, badr, omar), info, cara, _ = session
    space, ops = info.space_id, info.room(RoomKind.OPERATIONS)
    assert ops is not None
    timeline = amal.account.feature(Timeline)
    await timeline.post(
        ops, EntryDraft("sitrep", "Bridge closed", "Both lanes.", verification="confirmed")
    )
    await timeline.post(ops, EntryDraft("rumour", "Convoy attacked", "One source."))
    await amal.wait_for(lambda: entries(amal, ops) >= 2, "the entries' echoes")

    draft = await sitreps(amal).compile(space)
    assert "Bridge closed" in draft.section("situation")
    assert "[unverified] Convoy attacked" in draft.unverified
    sitrep_id = await sitreps(amal).submit(space, replace(draft, title="Morning sitrep"))
    for peer in (amal, badr, omar):
        await peer.wait_for(stage_is(peer, space, Stage.SUBMITTED), "the submission")

    # The two-person rule, checked before anything is sent.
    assert await refused(sitreps(amal).approve(space, sitrep_id)) is Why.OWN_SITREP
    assert await refused(sitreps(omar).approve(space, sitrep_id)) is Why.NOT_OFFICIAL
    assert await refused(sitreps(badr).return_to_author(space, sitrep_id, " ")) is Why.NO_COMMENT

    await sitreps(badr).return_to_author(space, sitrep_id, "Say what Geneva needs")
    await amal.wait_for(stage_is(amal, space, Stage.RETURNED), "the return")
    assert board(amal, space).sitreps[0].comment == "Say what Geneva needs"
    revised = replace(draft, title="Morning sitrep", sitrep_id=sitrep_id)
    revised = replace(revised, sections=(*draft.sections[:3], ("needs", "• Water for Geneva")))
    await sitreps(amal).submit(space, revised)
    await badr.wait_for(stage_is(badr, space, Stage.SUBMITTED, 2), "the revision")
    await sitreps(badr).approve(space, sitrep_id)
    for peer in (amal, badr, omar):
        await peer.wait_for(stage_is(peer, space, Stage.PUBLISHED, 2), "the publication")

    latest = next(n for n in reversed(amal.notices) if isinstance(n, LatestSitrep))
    assert latest.sitrep is not None and latest.sitrep.approved_by == badr.user_id
    assert "Water for Geneva" in latest.sitrep.draft.section("needs")
    published = board(badr, space).sitreps[0]
    delegation_rooms = [r.room_id for r in info.rooms if r.kind is RoomKind.DELEGATION]
    await badr.wait_for(
        lambda: set(board(badr, space).sitreps[0].published_in) == {ops, *delegation_rooms},
        "the publication in every room",
    )
    assert published.reviews[0].verdict == "returned" and published.reviews[1].verdict == "approved"
    assert not board(badr, space).refused

    # A plain client finds a readable report in the operations room and each delegation room.
    for room in (ops, *delegation_rooms):
        found = await cara.find(room, message_with("SITREP (approved): Morning sitrep"), room)
        body = found["content"]["body"]
        assert body.startswith("[EXERCISE]")
        assert "Bridge closed" in body and "Water for Geneva" in body and "Convoy attacked" in body
        assert f"approved by {badr.user_id}" in body
        assert "<strong>" in found["content"]["formatted_body"]

    # The record: the sitrep as published, with its return and its approval.
    await badr.account.feature(Records).export(space, str(tmp_path / "record"))
    record = (tmp_path / "record" / "record.html").read_text(encoding="utf-8")
    section = record[record.index("<h2>Situation reports</h2>") :]
    assert "Morning sitrep" in section and "published" in section
    assert f"approved by {badr.user_id}" in section and "Say what Geneva needs" in section


async def test_forged_approvals_from_raw_clients_are_shown_and_publish_nothing(
    homeserver: EmbeddedHomeserver,
    session: tuple[list[Peer], SessionInfo, PlainClient, dict[str, Account]],
    tmp_path: Path,
) -> None:
    (_fac, amal, badr, omar), info, _cara, accounts = session
    space, ops = info.space_id, info.room(RoomKind.OPERATIONS)
    assert ops is not None
    await amal.account.feature(Timeline).post(
        ops, EntryDraft("decision", "Open the consulate", "", verification="confirmed")
    )
    await amal.wait_for(lambda: entries(amal, ops) >= 1, "the entry's echo")
    draft = replace(await sitreps(amal).compile(space), title="Noon sitrep")
    await sitreps(amal).submit(space, draft)
    await badr.wait_for(stage_is(badr, space, Stage.SUBMITTED), "the submission")
    sitrep = board(badr, space).sitreps[0]

    # Other clients of the delegate and of the author send approvals the app would never send.
    forged = review_message(review_payload(sitrep, "approved"), sitrep)
    forged_ids = []
    for name in ("omar", "amal"):
        account = accounts[name]
        raw = await raw_nio_client(
            homeserver, account.user_id, account.password, tmp_path / f"raw-{name}"
        )
        try:
            await raw_join(raw, ops)
            sent = await raw.room_send(
                ops, "m.room.message", forged, ignore_unverified_devices=True
            )
            forged_ids.append(str(sent.event_id))
        finally:
            await raw.close()
    for peer in (amal, badr):
        await peer.wait_for(
            lambda p=peer: {r.event_id for r in board(p, space).refused} == set(forged_ids),
            "the forged approvals listed",
        )
    by_author = next(r for r in board(badr, space).refused if r.by == amal.user_id)
    assert by_author.why is Why.OWN_SITREP  # an official, but the author: the app's rule
    by_delegate = next(r for r in board(badr, space).refused if r.by == omar.user_id)
    assert by_delegate.why is Why.LOCKED and "power level" in by_delegate.note  # below 80
    assert board(badr, space).sitreps[0].stage is Stage.SUBMITTED
    assert board(badr, space).latest_published is None
