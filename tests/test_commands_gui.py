"""Commands answer the code that sent them, and notices reach whoever subscribed by type:
on the real window and backend, signed out (no homeserver needed to be refused)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import shiboken6
from PySide6.QtCore import QObject

from app.core.charts import ChartDef
from app.services import notices
from app.ui.charts.dialogs import ChartDialog
from app.ui.commands import Command
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, press_ok

CHART = ChartDef("evacuated", "Citizens evacuated", ("evacuated",), "timeseries", "people")


def test_a_refused_command_is_told_to_its_form_which_stays_open(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    dialog = ChartDialog(window)
    qtbot.addWidget(dialog)
    dialog.send_with(
        lambda: window.bridge.define_chart("!ops:localhost", dialog.chart()),
        window.host.explain,
    )
    dialog.open()
    dialog.title.setText(CHART.title)
    dialog.series.setText("evacuated")
    press_ok(dialog)
    qtbot.waitUntil(lambda: dialog.command is not None and dialog.command.done, timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.title.text() == CHART.title  # nothing typed is lost
    assert dialog.error.text() == "Sign in first."
    assert dialog.command.problem == notices.Problem("not_signed_in")
    assert not window.problems  # told to the form, not also to the status bar


def test_a_command_nobody_waits_on_reports_its_failure_in_the_status_bar(
    qtbot, window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    command: Command = window.bridge.define_chart("!ops:localhost", CHART)
    qtbot.waitUntil(lambda: command.done, timeout=WAIT_MS)
    assert [p.what for p in window.problems] == ["not_signed_in"]
    assert "Sign in first." in window.statusBar().currentMessage()


def test_notices_register_themselves_and_are_immutable(qtbot, window: MainWindow) -> None:
    @dataclass(frozen=True, slots=True)
    class OpenRoundChanged(notices.Notice):  # a new feature's notice: no bridge edit needed
        round_id: str

    seen: list[OpenRoundChanged] = []
    window.bridge.on(OpenRoundChanged, seen.append)
    window.bridge.noticed.emit(OpenRoundChanged("r1"))  # as the backend thread would
    qtbot.waitUntil(lambda: seen == [OpenRoundChanged("r1")], timeout=WAIT_MS)

    assert {notices.Problem, notices.InstructionsChanged, OpenRoundChanged} <= (
        notices.notice_types()
    )
    for kind in notices.notice_types():  # shared between threads: nothing may change
        assert kind.__dataclass_params__.frozen and "__slots__" in vars(kind), kind
    with pytest.raises(TypeError, match="not a notice"):
        window.bridge.on(str, print)


def test_a_subscriber_that_is_destroyed_is_forgotten(qtbot, window: MainWindow) -> None:
    class Listener(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.heard: list[notices.Notice] = []

        def hear(self, notice: notices.Problem) -> None:
            self.heard.append(notice)

    listener = Listener()
    window.bridge.on(notices.Problem, listener.hear)
    window.bridge.noticed.emit(notices.Problem("sync_failed"))
    qtbot.waitUntil(lambda: len(listener.heard) == 1, timeout=WAIT_MS)
    listener.deleteLater()
    qtbot.waitSignal(listener.destroyed, timeout=WAIT_MS)
    window.bridge.noticed.emit(notices.Problem("send_failed"))
    qtbot.waitUntil(lambda: len(window.problems) == 2, timeout=WAIT_MS)  # delivered, no crash


def test_an_answer_to_a_closed_asker_is_dropped(qtbot, window: MainWindow) -> None:
    """A view closed while its command was on the way (a window closed at shutdown) no
    longer hears the answer: no error from a deleted widget."""
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    heard: list[object] = []

    class Asker(QObject):
        def answered(self, outcome: object) -> None:
            heard.append(outcome)

    asker = Asker()
    command: Command = window.bridge.define_chart("!ops:localhost", CHART)
    command.on_failure(asker.answered)
    shiboken6.delete(asker)  # before the backend's answer reaches the UI thread
    qtbot.waitUntil(lambda: command.done, timeout=WAIT_MS)
    assert command.problem == notices.Problem("not_signed_in")
    assert heard == []
