"""A dashboard opened while a value's batch is being archived counts the value once
(real Synapse, end-to-end encrypted).

Why this is pinned: the room's projection is read from the archive when the dashboard
first opens; read between the batch's commit and the feature's absorb of that batch, it
holds the value already, and the absorb judged it again: one report of 120 evacuated
was two rows in the chart's export (found by a full run, where it happened by chance).
Here the archive write is held on the store thread, so the dashboard's read is queued
behind it every time.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from app.core.charts import Reading
from app.core.roles import Role
from app.homeserver import EmbeddedHomeserver
from app.services.notices import ChartsLoaded, ChartsUpdated
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer
from tests.test_indicators_live import EVACUATED, evacuation_room, indicators, plotted
from tests.test_instructions_ack_first import WAIT_SECONDS, _hold_archive_write


async def test_a_dashboard_read_between_a_values_commit_and_its_absorb_counts_it_once(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    fac, amal = [
        await Peer(tmp_path / n, make_account(n)).login(homeserver) for n in ("fac", "amal")
    ]
    try:
        ops = await evacuation_room(fac, (amal, Role.EXPERT))
        await indicators(fac).define_chart(ops, EVACUATED)
        for peer in (fac, amal):  # fac's own check knows the chart; amal has read it
            await peer.wait_for(
                lambda p=peer: "evacuated" in indicators(p).room(ops).charts, "the chart"
            )
        # Restarted, her app reads a room's charts only when first needed.
        await amal.close()
        amal = Peer(tmp_path / "amal", amal.login_as)
        await amal.backend.start()
        assert not indicators(amal).room(ops).charts

        writing, release = _hold_archive_write(amal, "evacuated")
        now = int(time.time() * 1000) - 60_000
        assert await indicators(fac).publish(ops, Reading("evacuated", 120, now, "people"))
        assert await asyncio.to_thread(writing.wait, WAIT_SECONDS), "the write never started"
        # She opens the dashboard while the value is written: its read waits behind it.
        loading = asyncio.create_task(indicators(amal).load_charts(ops))
        queued = amal.account.store_calls_waiting
        await amal.wait_for(
            lambda: indicators(amal).watched == ops and queued() >= 1, "the dashboard's read"
        )
        absorbed = asyncio.create_task(amal.account.synced.wait())  # the batch, all done
        release.set()
        loaded = await loading
        await absorbed

        assert plotted(amal, ops) == {("", now): 120}
        csv = tmp_path / "evacuated.csv"
        assert await indicators(amal).export(ops, "evacuated", "csv", str(csv))
        rows = csv.read_text("utf-8").splitlines()[1:]
        assert [row.split(",")[3] for row in rows] == ["120"]  # one report, one row
        line = next(f.figure["data"] for f in loaded.charts if f.chart.chart_id == "evacuated")
        assert [t["y"] for t in line] == [[120]]  # the read held it already
        after = amal.notices[amal.notices.index(loaded) + 1 :]
        assert not [n for n in after if isinstance(n, ChartsUpdated | ChartsLoaded)]
    finally:
        for peer in (fac, amal):
            await peer.close()
