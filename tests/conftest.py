"""Shared test set-up: offscreen Qt, file credentials, a real Synapse, no leaked threads."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

T = TypeVar("T")

# Before Qt or keyring load: tests never touch the user's screen or keyring.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["OOR_CREDENTIALS"] = "file"
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

pytest_plugins = [
    "tests.fixtures_homeserver",
    "tests.fixtures_gui",
    "tests.fixtures_postgres",
    "tests.plain_member",
]

# A test that asks for a Synapse (directly or through `make_account`, `peer`, ...) is an
# integration test; one that drives widgets (`qtbot`) is a GUI test; the rest need
# neither and form the fast `unit` tier (`make test-fast`). Tests that start a Synapse of
# their own carry `@pytest.mark.integration` by hand.
_INTEGRATION_FIXTURES = frozenset({"homeserver"})
_GUI_FIXTURES = frozenset({"qtbot"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Sort every test into its tier by the fixtures it uses."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & _INTEGRATION_FIXTURES:
            item.add_marker(pytest.mark.integration)
        if fixtures & _GUI_FIXTURES:
            item.add_marker(pytest.mark.gui)
        tiers = ("integration", "gui", "deployment", "package")
        if not any(any(item.iter_markers(name=tier)) for tier in tiers):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(autouse=True)
def no_leaked_backend_threads() -> Iterator[None]:
    """A test that leaves one of our threads running has skipped an ordered shutdown."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.name.startswith("oor-")]
    for thread in leaked:
        thread.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture(scope="session")
def qapp(qapp):  # pytest-qt's, with the English catalogue `oor` itself installs
    """Counts read as the app shows them: "1 role assigned", not "1 roles assigned"."""
    from app.ui.i18n import install_language

    kept = install_language(qapp, "en")
    yield qapp
    for translator in kept:
        qapp.removeTranslator(translator)


def dispose_widget(widget) -> None:
    """Close and delete a top-level widget now, on the GUI thread, as a person quitting
    does (a warning about messages still waiting is answered Quit: they stay on disk).

    Left to Python's garbage collector, a QWidget may be destroyed on whichever thread
    happens to collect (the store thread, say), which crashes Qt.
    """
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer

    QTimer.singleShot(0, answer_quit_warning)
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def disposed(qtbot) -> Iterator[Callable[[T], T]]:
    """``disposed(widget)``: the widget is kept until the test ends, then closed and
    deleted on the GUI thread (``dispose_widget``). pytest-qt's ``addWidget`` keeps only a
    weak reference: a top-level widget of a helper is otherwise collected the moment the
    test returns, its models torn down by Python while Qt still lays its views out."""
    kept: list[T] = []

    def keep(widget: T) -> T:
        kept.append(widget)
        return widget

    yield keep
    for widget in kept:
        dispose_widget(widget)


def answer_quit_warning(leave: bool = True) -> bool:
    """Press Quit (or, with ``leave`` false, Stay) on the quit warning if it is up;
    whether it was."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.ui.shell.quit_warning import OBJECT_NAME

    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox) or box.objectName() != OBJECT_NAME:
        return False
    role = QMessageBox.ButtonRole.AcceptRole if leave else QMessageBox.ButtonRole.RejectRole
    next(b for b in box.buttons() if box.buttonRole(b) == role).click()
    return True
