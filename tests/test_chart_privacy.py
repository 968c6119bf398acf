"""Chart definitions travel encrypted, on a real Synapse.

The server's administrator reads room state and Synapse's database: after charts are
defined, neither holds a chart's title or series, while every member's app draws them and
a plain matrix-nio client reads them only by decrypting. A chart written the 1.x way (room
state) is still shown and a later encrypted definition overrides it; a definition from
someone below the officials' level is recorded as forged, listed, and not applied; a
member who joins later still gets the charts, repeated once by one official's device
and marked as repeats (a display-name change repeats nothing).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from nio import RoomGetStateResponse

from app.core import roles
from app.core.charts import ChartDef, chart_content
from app.core.records import EventStatus, OutboxState
from app.core.roles import Role
from app.core.session import Blueprint, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.charts import Charts
from app.services.notices import Refused
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, join_operations, raw_join, raw_nio_client
from tests.synapse_db import leaked
from tests.test_plain_clients import PlainClient, knows_device

SECRET = ChartDef(
    "freed", "Zorblat captives freed", ("quokka-hostages", "marmot-evacuees"), "timeseries"
)
LEGACY_TITLE = "Gannet flights (1.x)"
LEGACY = {"body": "Chart", "title": LEGACY_TITLE, "series": ["flights"], "kind": "bar"}
OVERRIDE = ChartDef("flights", "Vantablack airlift sorties", ("flights", "ferry-kestrel"), "bar")
FORGED = ChartDef("forged", "Plumbago renamed by an expert", ("plumbago-count",), "kpi")
SECRETS = (SECRET.title, *SECRET.series, OVERRIDE.title, "ferry-kestrel", FORGED.title)


def charts(peer: Peer) -> Charts:
    return peer.account.feature(Charts)


def drawn(peer: Peer, room_id: str) -> dict[str, ChartDef]:
    return dict(charts(peer).room(room_id).charts)


def chart_rows_in_clear(homeserver: EmbeddedHomeserver, room_id: str) -> list[tuple[str, str]]:
    """(type, state key) of the room's events that the server stored as chart events
    (anything else of ours it holds only as m.room.encrypted)."""
    [db] = list(homeserver.data_dir.rglob("homeserver.db"))
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        query = "SELECT type, state_key FROM events WHERE room_id = ? AND type = ?"
        return list(conn.execute(query, (room_id, roles.CHART)))
    finally:
        conn.close()


async def as_served(
    homeserver: EmbeddedHomeserver, token: str, room_id: str, event_id: str
) -> dict[str, Any]:
    """One event exactly as the server hands it to a member (no client decrypts it)."""
    url = f"{homeserver.url}/_matrix/client/v3/rooms/{quote(room_id)}/event/{quote(event_id)}"
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http,
        http.get(url) as resp,
    ):
        return await resp.json()


async def test_the_server_reads_no_chart_titles_or_series_yet_every_member_draws_them(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    accounts = {n: make_account(n) for n in ("fac", "amal", "lina", "late")}
    peers = {n: await Peer(tmp_path / n, a).login(homeserver) for n, a in accounts.items()}
    fac, amal, lina, late = peers.values()
    plain: PlainClient | None = None
    try:
        info = await Sessions.of(fac.account).convene(
            Blueprint(
                title="Session under test",
                kind="hostage",
                capital_tz="Africa/Cairo",
                classification="RESTRICTED",
                exercise=True,
                participants=(
                    Participant(amal.user_id, Role.OFFICIAL),
                    Participant(lina.user_id, Role.EXPERT),
                ),
            )
        )
        ops = await join_operations(fac, info, amal, lina)
        # amal also reads on a plain matrix-nio client, another device of hers.
        amal_account = accounts["amal"]
        raw = await raw_nio_client(
            homeserver, amal_account.user_id, amal_account.password, tmp_path / "plain"
        )
        plain = PlainClient(raw)
        await raw_join(raw, ops)
        await fac.wait_for(
            lambda: knows_device(fac, raw.user_id, raw.device_id), "the plain device"
        )

        # A chart as a 1.x client wrote it, in room state: still shown.
        await fac.account.client.put_state(ops, roles.CHART, LEGACY, "flights")
        for peer in (fac, amal, lina):
            await charts(peer).load_charts(ops)
            await peer.wait_for(
                lambda p=peer: (
                    drawn(p, ops).get("flights")
                    == ChartDef("flights", LEGACY_TITLE, ("flights",), "bar")
                ),
                "the chart from state",
            )

        # The facilitator defines a chart; an official redefines the 1.x one: both
        # travel encrypted, through the outbox, and every member's app draws them.
        item = await charts(fac).define_chart(ops, SECRET)
        await fac.wait_for(lambda: fac.sent(item.txn_id), "the definition sent")
        await charts(amal).define_chart(ops, OVERRIDE)
        for peer in (fac, amal, lina):
            await peer.wait_for(
                lambda p=peer: drawn(p, ops) == {"freed": SECRET, "flights": OVERRIDE},
                "both encrypted definitions",
            )

        # A plain matrix-nio client reads the definition, once decrypted.
        source = await plain.find(
            ops,
            lambda s: s.get("type") == roles.CHART and s["content"].get("id") == "freed",
            "the chart definition",
        )
        assert source["content"]["title"] == SECRET.title
        assert source["content"]["series"] == list(SECRET.series)
        # ... and only so: the server hands out the same event as ciphertext.
        served = await as_served(homeserver, raw.access_token, ops, source["event_id"])
        assert served["type"] == "m.room.encrypted"
        assert SECRET.title not in json.dumps(served, ensure_ascii=False)

        # An expert may not define charts: her app says so and queues nothing; from a
        # client without that check, every app records it as forged and applies nothing.
        with pytest.raises(Refused) as refusal:
            await charts(lina).define_chart(ops, FORGED)
        assert "power level 40" in refusal.value.problem.detail
        # Nor is a chart defined where the server would read it: the space is in clear.
        with pytest.raises(Refused) as refusal:
            await charts(fac).define_chart(info.space_id, FORGED)
        assert "not encrypted" in refusal.value.problem.detail
        forged = await lina.account.send(ops, roles.CHART, chart_content(FORGED))
        await lina.wait_for(lambda: lina.sent(forged.txn_id), "the forged definition sent")
        for peer in (fac, amal):
            await peer.wait_for(
                lambda p=peer: any(r.chart == FORGED.title for r in charts(p).room(ops).rejected),
                "the forged definition listed",
            )
            assert "forged" not in drawn(peer, ops)
            [recorded] = [e for e in peer.events() if e.content.get("id") == "forged"]
            assert recorded.status is EventStatus.FORGED and "power level 40" in recorded.note

        # Someone who joins later cannot read earlier messages: the official who defined
        # the newest chart sends the room's charts again, and the newcomer draws them.
        await Sessions.of(fac.account).invite(info.space_id, Participant(late.user_id, Role.EXPERT))
        await Sessions.of(late.account).join(info.space_id)
        await charts(late).load_charts(ops)
        await late.wait_for(
            lambda: drawn(late, ops) == {"freed": SECRET, "flights": OVERRIDE},
            "the charts re-sent after the late join",
        )
        resent = [e for e in late.events() if e.type == roles.CHART and e.sender == amal.user_id]
        assert {e.content.get("id") for e in resent} == {"freed", "flights"}
        # the facilitator defined "freed"; amal, the newest definer, repeated it, marked
        # with the original so every client folds it at the original's time
        assert all(e.content.get("resent_of") and e.content.get("resent_ts") for e in resent)
        by_fac = [e for e in late.events() if e.sender == fac.user_id and e.type == roles.CHART]
        assert [e.state_key for e in by_fac] == ["flights"]  # only the 1.x state: no re-send
        # A display-name change is a join after a join: no one repeats the charts again.
        renamed = {"membership": "join", "displayname": "Late, renamed"}
        await late.account.client.put_state(ops, "m.room.member", renamed, late.user_id)
        await late.account.send(ops, "m.room.message", {"msgtype": "m.text", "body": "renamed"})
        await amal.wait_text(ops, "renamed")
        # A later batch: amal's app is done with the one that carried the rename.
        await late.account.send(ops, "m.room.message", {"msgtype": "m.text", "body": "after"})
        await amal.wait_text(ops, "after")
        queued = amal.account.outbox.items(ops, list(OutboxState))
        assert len([i for i in queued if "resent_of" in i.content]) == 2

        # The administrator's view: the room's state and the server's database.
        state = await raw.room_get_state(ops)
        assert isinstance(state, RoomGetStateResponse), state
        as_text = json.dumps(state.events, ensure_ascii=False).lower()
        assert not [s for s in SECRETS if s.lower() in as_text]
        assert not leaked(homeserver, SECRETS)
        assert leaked(homeserver, (LEGACY_TITLE,))  # what 1.x wrote in state stays readable
        # Only the 1.x state is a chart event in clear; every definition since, ciphertext.
        assert chart_rows_in_clear(homeserver, ops) == [(roles.CHART, "flights")]
    finally:
        if plain is not None:
            await plain.raw.close()
        for peer in peers.values():
            await peer.close()
