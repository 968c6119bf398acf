"""A dashboard lists the newest refusals, as many as the room keeps: a history gap
filled with thousands of junk values does not grow the list (nor the UI's work) until
the dashboard is reloaded. Every refusal stays in the archive, marked."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core.charts import MAX_REJECTED_SHOWN, Rejected
from app.services.notices import ChartsLoaded, ChartsUpdated
from app.ui.charts.view import ChartsPage

OPS = "!ops:ops.example"


def _junk(first: int, count: int) -> tuple[Rejected, ...]:
    return tuple(
        Rejected(f"$j{n}", "@x:ops.example", f"series {n}", "not plausible", n)
        for n in range(first, first + count)
    )


def _listed(page: ChartsPage) -> list[str]:
    return [page.rejected.item(i).text() for i in range(page.rejected.count())]


def test_a_flood_of_refused_values_lists_only_the_newest(qtbot: QtBot) -> None:
    page = ChartsPage()
    qtbot.addWidget(page)
    page.room_id = OPS
    page.apply_loaded(ChartsLoaded(OPS, "", (), _junk(0, 10)))
    page.apply_updates(ChartsUpdated(OPS, (), (), _junk(10, 5_000)))  # a gap fill's batch
    page.apply_updates(ChartsUpdated(OPS, (), (), _junk(5_010, 3)))
    listed = _listed(page)
    assert len(listed) == MAX_REJECTED_SHOWN
    assert "series 4513" in listed[0] and "series 5012" in listed[-1]  # the newest 500
    newest = ChartsPage()
    qtbot.addWidget(newest)
    newest.room_id = OPS
    newest.apply_loaded(ChartsLoaded(OPS, "", (), _junk(5_013 - MAX_REJECTED_SHOWN, 500)))
    assert listed == _listed(newest)  # in the order they came
