"""Live situation charts between clients on a real Synapse, end-to-end encrypted.

A value published by one participant reaches every other participant's series; late
values and corrections land at their time with the history kept; a value from a role
below the ladder is recorded as forged and not plotted; bad values are refused with
the reason, on the sender's side before sending and on the receivers' side after.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.core import roles
from app.core.charts import ChartDef, Reading, indicator_content
from app.core.records import EventStatus
from app.core.roles import Role
from app.core.session import Blueprint, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.charts import Charts
from app.services.notices import (
    ChartsLoaded,
    ChartsUpdated,
    IndicatorRefused,
    OutboxChanged,
    Refused,
)
from app.services.sessions import Sessions
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, join_operations

HOUR = 3_600_000
EVACUATED = ChartDef("evacuated", "Citizens evacuated", ("evacuated",), "timeseries", "people")
BY_REGION = ChartDef("by-region", "Evacuated by region", ("evacuated",), "bar", "people")


def indicators(peer: Peer) -> Charts:
    return peer.account.feature(Charts)


def plotted(peer: Peer, room_id: str) -> dict[tuple[str, int], float]:
    """What this client's chart of 'evacuated' shows: (region, at) -> value in force."""
    series = indicators(peer).room(room_id).series.get("evacuated")
    return {key: slot.current.value for key, slot in (series.slots if series else {}).items()}


def refused(peer: Peer, room_id: str) -> dict[str, str]:
    """Values this client refused, by event id, with the reason it lists."""
    return {r.event_id: r.reason for r in indicators(peer).room(room_id).rejected}


async def evacuation_room(fac: Peer, *joiners: tuple[Peer, Role]) -> str:
    """The facilitator convenes an evacuation session with these participants, who join
    it; returns its operations room (where the charts are)."""
    info = await Sessions.of(fac.account).convene(
        Blueprint(
            title="Evacuation from Port Sable",
            kind="evacuation",
            capital_tz="Africa/Cairo",
            classification="RESTRICTED",
            exercise=True,
            participants=tuple(Participant(peer.user_id, role) for peer, role in joiners),
        )
    )
    return await join_operations(fac, info, *(peer for peer, _ in joiners))


async def test_values_flow_between_participants_with_corrections_and_forgeries(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    names = ("fac", "amal", "lina")
    fac, amal, lina = [await Peer(tmp_path / n, make_account(n)).login(homeserver) for n in names]
    try:
        ops = await evacuation_room(fac, (amal, Role.EXPERT), (lina, Role.INFLUENCER))

        # The facilitator defines two charts; amal watches the dashboard.
        await indicators(fac).define_chart(ops, EVACUATED)
        await indicators(fac).define_chart(ops, BY_REGION)
        for peer in (fac, amal):  # both watch the dashboard: told of every change
            await indicators(peer).load_charts(ops)
            await peer.wait_for(
                lambda p=peer: set(indicators(p).room(ops).charts) == {"evacuated", "by-region"},
                "both charts",
            )
        # An expert may publish, and she may not define charts (the server's lock).
        with pytest.raises(Refused) as refusal:  # told to her, the one who tried
            await indicators(amal).define_chart(ops, ChartDef("x", "X", ("x",), "kpi"))
        assert refusal.value.problem.what == "chart_refused" and refusal.value.problem.detail

        now = int(time.time() * 1000) - 3 * HOUR
        await indicators(fac).publish(ops, Reading("evacuated", 120, now, "people", "North"))
        await amal.wait_for(lambda: plotted(amal, ops) == {("North", now): 120}, "fac's value")
        update = next(n for n in amal.notices if isinstance(n, ChartsUpdated))
        assert [chart_id for chart_id, _ in update.extend] == [] and {
            f.chart.chart_id for f in update.redraw
        } == {"evacuated", "by-region"}  # a new line: both charts are drawn again

        # amal's value extends the line in place; then a late value and a correction.
        await indicators(amal).publish(ops, Reading("evacuated", 180, now + 2 * HOUR, "", "North"))
        await fac.wait_for(lambda: ("North", now + 2 * HOUR) in plotted(fac, ops), "amal's")
        await amal.wait_for(lambda: ("North", now + 2 * HOUR) in plotted(amal, ops), "her own")
        extended = [n for n in amal.notices if isinstance(n, ChartsUpdated)][-1]
        assert [(c, p["y"]) for c, p in extended.extend] == [("evacuated", [[180]])]
        assert [f.chart.chart_id for f in extended.redraw] == ["by-region"]

        await indicators(fac).publish(ops, Reading("evacuated", 150, now + HOUR, "", "North"))
        await indicators(fac).publish(ops, Reading("evacuated", 175, now + 2 * HOUR, "", "North"))
        expected = {("North", now): 120, ("North", now + HOUR): 150, ("North", now + 2 * HOUR): 175}
        await amal.wait_for(lambda: plotted(amal, ops) == expected, "the correction")
        slot = indicators(amal).room(ops).series["evacuated"].slots[("North", now + 2 * HOUR)]
        assert [(p.value, p.sender) for p in slot.history] == [(180, amal.user_id)]
        points = indicators(amal).room(ops).series["evacuated"].points("North")
        assert [p.at for p in points] == sorted(p.at for p in points)

        # An influencer is below the ladder: her app says so and sends nothing; from a
        # client without that check the server passes the ciphertext, and every client
        # records the value as forged and plots nothing.
        reading = Reading("evacuated", 9999, now, "", "North")
        assert await indicators(lina).publish(ops, reading) is None
        (told,) = [n.reason for n in lina.notices if isinstance(n, IndicatorRefused)]
        assert "power level 20" in told
        item = await lina.account.send(ops, roles.INDICATOR, indicator_content(reading))
        await lina.wait_for(lambda: lina.sent(item.txn_id), "lina's send")
        await amal.wait_for(lambda: len(refused(amal, ops)) == 1, "the forged value")
        (reason,) = refused(amal, ops).values()
        assert "power level 20" in reason and roles.INDICATOR in reason
        assert plotted(amal, ops) == expected

        # Bad values straight from another client (no local checks): refused with reasons.
        bad = {
            "absurd": {"body": "x", "series": "evacuated", "value": 1e13, "at": now},
            "unknown": {"body": "x", "series": "rumours", "value": 1, "at": now},
            "future": {"body": "x", "series": "evacuated", "value": 1, "at": now + 99 * HOUR},
            "text": {"body": "x", "series": "evacuated", "value": "many", "at": now},
        }
        for content in bad.values():
            await fac.account.send(ops, roles.INDICATOR, content)
        await amal.wait_for(lambda: len(refused(amal, ops)) == 5, "the bad values")
        reasons = sorted(refused(amal, ops).values())
        for words in ("plausible", "in no chart", "in the future", "not a finite number"):
            assert any(words in r for r in reasons), (words, reasons)
        assert plotted(amal, ops) == expected
        malformed = [e for e in amal.events() if e.content.get("value") == "many"]
        assert malformed and malformed[0].status is EventStatus.MALFORMED  # kept, on record

        # Before sending, the sender is told why a value cannot go out; nothing is queued.
        queued = sum(isinstance(n, OutboxChanged) for n in fac.notices)
        assert await indicators(fac).publish(ops, Reading("evacuated", float("inf"), now)) is None
        assert await indicators(fac).publish(ops, Reading("flights", 3, now)) is None
        refusals = [n.reason for n in fac.notices if isinstance(n, IndicatorRefused)]
        assert "value is not a finite number" in refusals[-2] and "in no chart" in refusals[-1]
        assert sum(isinstance(n, OutboxChanged) for n in fac.notices) == queued

        # After a restart (the stored login restored) the dashboard opens from the archive
        # on disk: the series, the history and the refused values as they were.
        await amal.close()
        amal = Peer(tmp_path / "amal", amal.login_as)
        assert await amal.backend.start() is None  # the stored login, restored
        loaded = await indicators(amal).load_charts(ops)
        assert isinstance(loaded, ChartsLoaded) and Path(loaded.page).exists()
        assert {f.chart.chart_id for f in loaded.charts} == {"evacuated", "by-region"}
        line = next(f.figure["data"] for f in loaded.charts if f.chart.chart_id == "evacuated")
        assert [(t["name"], t["y"]) for t in line] == [("evacuated — North", [120, 150, 175])]
        assert len(loaded.rejected) == 5
    finally:
        for peer in (fac, amal, lina):
            await peer.close()
