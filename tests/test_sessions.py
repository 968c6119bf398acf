"""Crisis sessions on a real Synapse: rooms, memberships, power levels, both locks."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.cli import main
from app.core import roles
from app.core.errors import SendFailed
from app.core.records import EventStatus, OutboxState
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant, role_key
from app.homeserver import EmbeddedHomeserver
from app.services.notices import OutboxChanged, Problem, RosterChanged
from app.services.sessions import SessionError, Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer


def _blueprint(amal: str, omar: str, sara: str, lina: str) -> Blueprint:
    return Blueprint(
        title="Evacuation from Port Sable",
        kind="evacuation",
        capital_tz="Africa/Cairo",
        classification="RESTRICTED",
        exercise=True,
        outreach_encrypted=False,  # the facilitator deliberately opens outreach
        delegations=(
            Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),
            Delegation("doha", "Corridor talks", "Asia/Qatar", "Doha"),
        ),
        participants=(
            Participant(amal, Role.OFFICIAL, title="Director, Crisis Unit"),
            Participant(omar, Role.DELEGATE, "geneva"),
            Participant(sara, Role.DELEGATE, "doha"),
            Participant(lina, Role.INFLUENCER),
        ),
    )


def _members(state: list[dict], membership: str) -> set[str]:
    return {
        e["state_key"]
        for e in state
        if e["type"] == "m.room.member" and e["content"].get("membership") == membership
    }


def _content(state: list[dict], event_type: str, key: str = "") -> dict:
    return next(e["content"] for e in state if e["type"] == event_type and e["state_key"] == key)


def _outbox_state(peer: Peer, txn_id: str) -> OutboxState | None:
    states = [
        n.item.state
        for n in peer.notices
        if isinstance(n, OutboxChanged) and n.item.txn_id == txn_id
    ]
    return states[-1] if states else None


async def test_session_layout_locks_and_lifecycle(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    accounts = {name: make_account(name) for name in ("fac", "amal", "omar", "sara", "lina")}
    peers = {n: await Peer(tmp_path / n, a).login(homeserver) for n, a in accounts.items()}
    fac, amal, omar, lina = peers["fac"], peers["amal"], peers["omar"], peers["lina"]
    ids = {n: a.user_id for n, a in accounts.items()}
    try:
        info = await Sessions.of(fac.account).convene(
            _blueprint(ids["amal"], ids["omar"], ids["sara"], ids["lina"])
        )
        client = fac.account.client
        operations = info.room(RoomKind.OPERATIONS)
        restricted = info.room(RoomKind.RESTRICTED)
        geneva = info.room(RoomKind.DELEGATION, "geneva")
        doha = info.room(RoomKind.DELEGATION, "doha")
        outreach = info.room(RoomKind.OUTREACH)
        assert None not in (operations, restricted, geneva, doha, outreach)

        # Membership: exactly who the roles entitle, nobody else.
        expected = {
            operations: {ids["amal"], ids["omar"], ids["sara"], ids["lina"]},
            restricted: {ids["amal"]},
            geneva: {ids["amal"], ids["omar"]},
            doha: {ids["amal"], ids["sara"]},
            outreach: {ids["amal"], ids["lina"]},
        }
        for room_id, invited in expected.items():
            state = await client.all_state(room_id)
            assert _members(state, "invite") == invited, room_id
            encrypted = any(e["type"] == "m.room.encryption" for e in state)
            assert encrypted is (room_id != outreach)
            levels = _content(state, "m.room.power_levels")
            for event_type, level in roles.EVENT_LEVELS.items():
                assert levels["events"][event_type] == level
            assert levels["users"][ids["amal"]] == 80 and levels["users"][ids["lina"]] == 20
        geneva_state = await client.all_state(geneva)
        # Protocol 1.2: the delegation's state is its id; name, place and zone are encrypted.
        assert _content(geneva_state, roles.DELEGATION) == {
            "body": "Delegation geneva",
            "id": "geneva",
        }
        space_state = await client.all_state(info.space_id)
        # Who negotiates where is known only in the delegation's own room, never in the
        # space every participant (influencers included) can read.
        assert _content(space_state, roles.ROLE, role_key(ids["omar"]))["delegation"] == ""
        assert _content(geneva_state, roles.ROLE, role_key(ids["omar"]))["delegation"] == "geneva"
        session_state = _content(space_state, roles.SESSION)
        assert "exercise" not in session_state and "title" not in session_state
        assert "Zurich" not in str(session_state) and "Geneva" not in str(session_state)
        for room_id in (info.space_id, operations):
            reasons = [
                e["content"].get("reason", "")
                for e in await client.all_state(room_id)
                if e["type"] == "m.room.member"
            ]
            assert not [r for r in reasons if "geneva" in r], room_id

        # The server's lock: influencers and other delegations cannot join.
        for intruder, room_id in ((lina, restricted), (lina, geneva), (omar, doha)):
            with pytest.raises(SendFailed, match="M_FORBIDDEN"):
                await intruder.account.client.join(room_id)
        for peer in (amal, lina):
            await Sessions.of(peer.account).join(info.space_id)
        await fac.wait_for(lambda: fac.has_joined(operations, ids["lina"]), "lina's join")
        await fac.wait_for(lambda: fac.has_joined(operations, ids["amal"]), "amal's join")
        await lina.wait_for(lambda: lina.has_joined(operations, ids["amal"]), "amal seen by lina")

        # Unencrypted outreach: the server refuses a custom type above the sender's level.
        order = {"body": "Evacuate now", "subject": "Go", "priority": "flash", "requires_ack": True}
        refused = await lina.account.send(outreach, roles.INSTRUCTION, order)
        await lina.wait_for(
            lambda: _outbox_state(lina, refused.txn_id) is OutboxState.FAILED, "refusal"
        )

        # Encrypted operations room: the server cannot tell; the receiving client marks it forged.
        await lina.account.send(operations, roles.INSTRUCTION, order)
        real = {**order, "body": "Hold the convoy", "subject": "Hold"}
        await amal.account.send(operations, roles.INSTRUCTION, real)

        def received(body: str) -> EventStatus | None:
            found = [
                e.status
                for e in fac.events()
                if e.type == roles.INSTRUCTION and e.content.get("body") == body
            ]
            return found[-1] if found else None

        await fac.wait_for(lambda: received("Evacuate now") is not None, "the forged instruction")
        await fac.wait_for(lambda: received("Hold the convoy") is not None, "the real instruction")
        assert received("Evacuate now") is EventStatus.FORGED
        assert received("Hold the convoy") is EventStatus.OK

        # Re-role: power levels and role state follow; lost entitlements lose membership.
        sessions = Sessions.of(fac.account)
        await sessions.set_role(info.space_id, Participant(ids["lina"], Role.EXPERT))
        await sessions.set_role(info.space_id, Participant(ids["amal"], Role.INFLUENCER))
        ops_levels = await client.get_state(operations, "m.room.power_levels")
        assert ops_levels["users"][ids["lina"]] == 40 and ops_levels["users"][ids["amal"]] == 20
        role = await client.get_state(info.space_id, roles.ROLE, role_key(ids["lina"]))
        assert role["role"] == "expert"
        assert ids["amal"] not in _members(await client.all_state(restricted), "invite")
        assert ids["amal"] in _members(await client.all_state(restricted), "leave")

        # Removing: out of every room, the removal on record in the role state.
        await sessions.remove(info.space_id, ids["sara"])
        for room_id in (info.space_id, operations, doha):
            assert ids["sara"] in _members(await client.all_state(room_id), "leave"), room_id
        removed = await client.get_state(info.space_id, roles.ROLE, role_key(ids["sara"]))
        assert removed["removed"] is True
        assert ids["sara"] not in {
            m.user_id for m in (await sessions.roster(info.space_id)).members
        }

        # Closing: read-only for all but facilitators; the record stays.
        await sessions.close(info.space_id)
        late = await lina.account.send_text(operations, "Can I still post?")
        await lina.wait_for(
            lambda: _outbox_state(lina, late.txn_id) is OutboxState.FAILED, "refusal"
        )
        final = await fac.account.send_text(operations, "Session closed by the facilitator")
        await fac.wait_for(lambda: fac.sent(final.txn_id), "the facilitator's last word")
        assert (await client.get_state(info.space_id, roles.SESSION))["status"] == "closed"
        roster = await sessions.roster(info.space_id)
        assert {m.user_id: m.membership for m in roster.members}[ids["lina"]] == "join"
        assert {m.user_id: m.delegation for m in roster.members}[ids["omar"]] == "geneva"
        seen_by_lina = await Sessions.of(lina.account).roster(info.space_id)
        assert {m.user_id: m.delegation for m in seen_by_lina.members}[ids["omar"]] == ""
        assert not seen_by_lina.session.delegations
    finally:
        for peer in peers.values():
            await peer.close()


async def test_cli_convenes_from_a_blueprint_and_refuses_a_bad_one(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, capsys
) -> None:
    facilitator, guest = make_account("fac"), make_account("guest")
    peer = await Peer(tmp_path / "fac", facilitator).login(homeserver)
    await peer.close()  # the CLI uses the stored login of the data dir
    data = str(tmp_path / "fac")

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "title: X\nkind: evacuation\ncapital_tz: UTC\nparticipants:\n"
        "  - {user: '@a:localhost', role: ambassador}\n",
        encoding="utf-8",
    )
    assert await asyncio.to_thread(main, ["convene", str(bad), "--data-dir", data]) == 2
    err = capsys.readouterr().err
    assert "line 5: unknown role 'ambassador'" in err and "nothing was created" in err

    good = tmp_path / "good.yaml"
    good.write_text(
        "title: Hostage case\nkind: hostage\ncapital_tz: Europe/Berlin\n"
        "delegations:\n  - {id: oslo, name: Oslo channel, tz: Europe/Oslo}\n"
        f"participants:\n  - {{user: '{guest.user_id}', role: delegate, delegation: oslo}}\n",
        encoding="utf-8",
    )
    code = await asyncio.to_thread(main, ["convene", str(good), "--data-dir", data, "--json"])
    assert code == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["title"] == "Hostage case"
    assert set(reply["rooms"]) == {"operations", "restricted", "outreach", "delegations"}
    assert set(reply["rooms"]["delegations"]) == {"oslo"}

    space = reply["space_id"]
    args = ["role", space, guest.user_id, "--role", "expert", "--data-dir", data, "--json"]
    assert await asyncio.to_thread(main, args) == 0
    assert json.loads(capsys.readouterr().out)["role"] == "expert"
    assert await asyncio.to_thread(main, ["close", space, "--data-dir", data]) == 0


async def test_hostile_spaces_and_session_edge_cases(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    fac_account, lina = make_account("fac"), make_account("lina")
    fac = await Peer(tmp_path / "fac", fac_account).login(homeserver)
    intruder = await Peer(tmp_path / "lina", lina).login(homeserver)
    try:
        sessions = Sessions.of(fac.account)
        info = await sessions.convene(
            Blueprint(
                "Hostage case",
                "hostage",
                "UTC",
                participants=(Participant(lina.user_id, Role.INFLUENCER),),
            )
        )
        outreach = info.room(RoomKind.OUTREACH)
        await Sessions.of(intruder.account).join(info.space_id)

        # The space is state only: no one but facilitators can talk in it.
        chat = await intruder.account.send_text(info.space_id, "the convoy is in building 4")
        await intruder.wait_for(
            lambda: _outbox_state(intruder, chat.txn_id) is OutboxState.FAILED, "refusal"
        )

        # A space of the influencer's claiming the real outreach room as "restricted",
        # and a session state that is not even well-formed: neither may take effect.
        lina_client = intruder.account.client
        # (Its words are its own: the server keeps them in clear, and test_privacy reads
        # the whole server for the session's words, whatever order the tests run in.)
        fake = await lina_client.create_room(
            "Decoy case (cell)", (fac_account.user_id,), space=True
        )
        await lina_client.put_state(
            fake,
            roles.SESSION,
            {
                "body": "x",
                "title": "Decoy case",
                "kind": "evacuation",
                "status": "active",
                "capital_tz": "UTC",
                "classification": "SECRET",
                "exercise": False,
                "rooms": {"restricted": outreach, "delegations": ["not", "a", "mapping"]},
            },
        )
        await fac.account.client.join(fake)
        await fac.wait_for(
            lambda: any(
                isinstance(n, RosterChanged) and n.roster.session.space_id == fake
                for n in fac.notices
            ),
            "the other space's roster",
        )
        claimed = [
            n
            for n in fac.notices
            if isinstance(n, RosterChanged) and n.roster.session.space_id == fake
        ]
        assert all(outreach not in n.room_ids for n in claimed)
        assert not [n for n in fac.notices if isinstance(n, Problem)]

        # A name nobody holds (a typo) is refused with a sentence, never invited silently.
        ghost = (
            f"@nobody-{fac_account.user_id[1:].split(':')[0]}:{fac_account.user_id.split(':')[1]}"
        )
        with pytest.raises(SessionError, match=f"no such user on the server: {ghost}"):
            await sessions.invite(info.space_id, Participant(ghost, Role.EXPERT))
        with pytest.raises(SessionError, match="no such user"):
            await sessions.convene(
                Blueprint("Typo", "hostage", "UTC", participants=(Participant(ghost, Role.EXPERT),))
            )

        # Closing, then removing someone, leaves every room read-only.
        await sessions.close(info.space_id)
        await sessions.close(info.space_id)  # twice is harmless
        await sessions.remove(info.space_id, lina.user_id)
        for room_id in (info.space_id, *(r.room_id for r in info.rooms)):
            levels = await fac.account.client.get_state(room_id, "m.room.power_levels")
            assert levels["events_default"] == 100, room_id
        # The last facilitator cannot remove themselves.
        with pytest.raises(SessionError, match="last facilitator"):
            await sessions.remove(info.space_id, fac_account.user_id)
    finally:
        await intruder.close()
        await fac.close()
