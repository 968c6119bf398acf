"""The server learns little (protocol 1.2), on a real Synapse.

After a session is convened through our services, Synapse's own database holds none of
the session's title, kind, classification, zones, delegation names and places, role
titles or organisations, while every participant's app still shows them. A forged
details message renames nothing, a participant who joins late still reads them, and a
session written the 1.1 way (metadata in state) is still read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.core import roles
from app.core.roles import Role, RoomKind
from app.core.session import (
    Blueprint,
    Delegation,
    Participant,
    Roster,
    info_message,
    info_payload,
    role_key,
)
from app.homeserver import EmbeddedHomeserver
from app.matrix import MatrixClient
from app.services.notices import RosterChanged
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer
from tests.synapse_db import leaked, server_text

TITLE = "Operation Thistledown Quandary"
CLASSIFICATION = "COBALTVEIL"
CAPITAL_TZ = "Pacific/Chatham"
DELEGATION_NAME = "Marigold Backchannel"
PLACE = "Vexmoor Harbour"
DELEGATION_TZ = "Atlantic/Faroe"
ROLE_TITLE = "Zephyrine Liaison Director"
ORGANISATION = "Quillon Bureau"
LATE_TITLE = "Orrery Night Analyst"
SECRETS = (
    TITLE,
    CLASSIFICATION,
    CAPITAL_TZ,
    DELEGATION_NAME,
    PLACE,
    DELEGATION_TZ,
    ROLE_TITLE,
    ORGANISATION,
    LATE_TITLE,
    "hostage",
)


def _latest_roster(peer: Peer, space_id: str) -> Roster | None:
    found = [
        n.roster
        for n in peer.notices
        if isinstance(n, RosterChanged) and n.roster.session.space_id == space_id
    ]
    return found[-1] if found else None


def _shows(peer: Peer, space_id: str, check: Any) -> bool:
    roster = _latest_roster(peer, space_id)
    return roster is not None and bool(check(roster))


def _titles(roster: Roster) -> dict[str, str]:
    return {m.user_id: m.title for m in roster.members}


async def test_server_database_holds_no_session_secrets_yet_members_see_them(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    accounts = {n: make_account(n) for n in ("fac", "amal", "omar", "lina", "late")}
    peers = {n: await Peer(tmp_path / n, a).login(homeserver) for n, a in accounts.items()}
    fac, amal, omar, lina, late = (peers[n] for n in ("fac", "amal", "omar", "lina", "late"))
    ids = {n: a.user_id for n, a in accounts.items()}
    try:
        blueprint = Blueprint(
            title=TITLE,
            kind="hostage",
            capital_tz=CAPITAL_TZ,
            classification=CLASSIFICATION,
            exercise=True,
            outreach_encrypted=False,  # an open room: the details must stay out of it
            delegations=(Delegation("d1", DELEGATION_NAME, DELEGATION_TZ, PLACE),),
            participants=(
                Participant(
                    ids["amal"], Role.OFFICIAL, title=ROLE_TITLE, organisation=ORGANISATION
                ),
                Participant(ids["omar"], Role.DELEGATE, "d1"),
                Participant(ids["lina"], Role.INFLUENCER),
            ),
        )
        sessions = Sessions.of(fac.account)
        info = await sessions.convene(blueprint)
        space = info.space_id
        for peer in (amal, omar, lina):
            await Sessions.of(peer.account).join(space)

        # Everyone's app shows what they may know: title, roster titles, their delegation.
        def complete(roster: Roster) -> bool:
            names = {d.id: (d.name, d.location, d.tz) for d in roster.session.delegations}
            return (
                roster.session.title == TITLE
                and roster.session.classification == CLASSIFICATION
                and _titles(roster).get(ids["amal"]) == ROLE_TITLE
                and names.get("d1") == (DELEGATION_NAME, PLACE, DELEGATION_TZ)
            )

        for peer in (fac, omar, amal):
            await peer.wait_for(lambda p=peer: _shows(p, space, complete), "the session details")
        omar_roster = _latest_roster(omar, space)
        assert omar_roster is not None and omar_roster.session.capital_tz == CAPITAL_TZ
        assert omar_roster.session.exercise and omar_roster.session.kind == "hostage"
        assert {m.user_id: m.organisation for m in omar_roster.members}[ids["amal"]] == ORGANISATION
        # The influencer reads the session but not the delegation's name or place.
        await lina.wait_for(
            lambda: _shows(lina, space, lambda r: r.session.title == TITLE), "the title"
        )
        lina_roster = _latest_roster(lina, space)
        assert lina_roster is not None
        assert DELEGATION_NAME not in repr(lina_roster) and PLACE not in repr(lina_roster)

        # The details are pinned in each encrypted room (ids only travel).
        def pinned_details(room_id: str) -> bool:
            pins = [
                e.content.get("pinned") or []
                for e in fac.events()
                if e.room_id == room_id and e.type == "m.room.pinned_events"
            ]
            details = {
                e.event_id
                for e in fac.events()
                if e.room_id == room_id and roles.SESSION_INFO in e.content
            }
            return bool(pins) and bool(set(pins[-1]) & details)

        delegation_room = info.room(RoomKind.DELEGATION, "d1")
        for room_id in (info.room(RoomKind.OPERATIONS), delegation_room):
            await fac.wait_for(lambda r=room_id: pinned_details(r), "the pinned details")
        assert not pinned_details(info.room(RoomKind.OUTREACH))  # open: no details at all

        # A participant invited later, with a title, joins and reads it all.
        await sessions.invite(space, Participant(ids["late"], Role.EXPERT, title=LATE_TITLE))
        await Sessions.of(late.account).join(space)
        await late.wait_for(
            lambda: _shows(
                late,
                space,
                lambda r: r.session.title == TITLE and _titles(r).get(ids["late"]) == LATE_TITLE,
            ),
            "the details re-sent after the late join",
        )

        # A details message from an influencer is forged: it renames nothing.
        operations = info.room(RoomKind.OPERATIONS)
        assert operations is not None
        forged = info_message({"title": "Renamed by the influencer", "people": {}})
        item = await lina.account.send(operations, "m.room.message", forged)
        await fac.wait_for(
            lambda: any(e.txn_id == item.txn_id or e.content == forged for e in fac.events()),
            "the forged details",
        )
        [rebuilt] = await fac.account.rosters([space])
        assert rebuilt.roster.session.title == TITLE

        # And the server's database: not one of those strings, in any table.
        leaks = leaked(homeserver, SECRETS)
        assert not leaks, leaks
        # What the server holds instead, found by the same dump: neutral names, reasons.
        name = (await fac.account.client.get_state(space, "m.room.name") or {})["name"]
        held = [text for _t, text, _l in server_text(homeserver)]
        assert name.startswith("Session ") and any(name in text for text in held)
        assert any("Invitation to a crisis session" in text for text in held)
    finally:
        for peer in peers.values():
            await peer.close()


async def _convene_old_style(client: MatrixClient, title: str) -> tuple[str, str, str]:
    """A session as protocol 1.1 wrote it: metadata in state, names in room names."""
    space = await client.create_room(title, space=True, topic="RESTRICTED · evacuation")
    parent = {"type": "m.space.parent", "state_key": space, "content": {"via": ["localhost"]}}
    operations = await client.create_room(f"{title} · Operations", initial_state=[parent])
    delegation_state = {
        "type": roles.DELEGATION,
        "state_key": "",
        "content": {
            "body": "Delegation Old channel (Lisbon, Europe/Lisbon)",
            "id": "lisbon",
            "name": "Old channel",
            "location": "Lisbon",
            "tz": "Europe/Lisbon",
        },
    }
    delegation = await client.create_room(
        f"{title} · Old channel", initial_state=[parent, delegation_state]
    )
    for room_id in (operations, delegation):
        await client.put_state(space, "m.space.child", {"via": ["localhost"]}, state_key=room_id)
    await client.put_state(
        space,
        roles.SESSION,
        {
            "body": f"Crisis session: {title} (evacuation, convened)",
            "title": title,
            "kind": "evacuation",
            "status": "convened",
            "capital_tz": "Europe/Madrid",
            "classification": "RESTRICTED",
            "exercise": False,
            "rooms": {"operations": operations, "delegations": [delegation]},
            "protocol": "1.1",
        },
    )
    me = client.user_id
    role = {
        "body": f"{me} is facilitator (Old desk)",
        "role": "facilitator",
        "delegation": "",
        "title": "Old desk",
        "organisation": "Old ministry",
    }
    await client.put_state(space, roles.ROLE, role, role_key(me))
    return space, operations, delegation


async def test_a_session_written_the_old_way_is_still_read(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("fac")
    fac = await Peer(tmp_path / "fac", account).login(homeserver)
    try:
        space, operations, _delegation = await _convene_old_style(
            fac.account.client, "Legacy evacuation"
        )

        def legacy(roster: Roster) -> bool:
            return (
                roster.session.title == "Legacy evacuation"
                and roster.session.capital_tz == "Europe/Madrid"
                and [d.name for d in roster.session.delegations] == ["Old channel"]
                and _titles(roster).get(account.user_id) == "Old desk"
            )

        await fac.wait_for(lambda: _shows(fac, space, legacy), "the 1.1 session read from state")

        # Encrypted details, once sent, are preferred to what state says.
        payload = info_payload(None, [Participant(account.user_id, Role.FACILITATOR, title="New")])
        newer = info_message({**payload, "title": "Legacy evacuation, renamed"})
        await fac.account.send(operations, "m.room.message", newer)
        await fac.wait_for(
            lambda: _shows(
                fac,
                space,
                lambda r: (
                    r.session.title == "Legacy evacuation, renamed"
                    and _titles(r).get(account.user_id) == "New"
                    and [d.name for d in r.session.delegations] == ["Old channel"]
                ),
            ),
            "the encrypted details preferred",
        )
    finally:
        await fac.close()
