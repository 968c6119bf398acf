"""pytest plugin: the app's main window on a fresh data dir, and a second client.

The second client runs on the window's backend loop (one nio thread per process, see
docs/architecture.md) and is shut down before the window closes.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
from nio import AsyncClient
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from app.core.paths import DataDir
from app.core.records import Invitation
from app.core.roles import RoomKind
from app.core.session import Blueprint, Participant, SessionInfo
from app.homeserver import Account, EmbeddedHomeserver
from app.services.notices import InvitationsChanged, LoggedIn
from app.services.sessions import Sessions
from app.ui.bridge import Bridge
from app.ui.i18n import install_language
from app.ui.shell.main_window import MainWindow
from tests.conftest import dispose_widget
from tests.peers import WAIT_SECONDS, ThreadedPeer, raw_nio_client

WAIT_MS = 60_000
T = TypeVar("T")


@pytest.fixture(params=["en", "ar"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The test once in English, once in Arabic; ask for it before `window` so the window
    is built in that language. English is put back after."""
    kept = install_language(qapp, request.param)
    yield request.param
    for translator in kept:
        qapp.removeTranslator(translator)
    install_language(qapp, "en")


def start_window(data: DataDir, at_login: Callable[[LoggedIn], object] | None = None) -> MainWindow:
    """The main window on ``data``, shown and its backend started, as a start of ``oor``
    opens it; ``at_login`` hears the login confirmed, hooked before the start so it cannot
    be missed. The caller closes it (``dispose_widget``: the ordered shutdown)."""
    main = MainWindow(Bridge(data))
    if at_login is not None:
        main.bridge.on(LoggedIn, at_login)
    main.show()
    main.bridge.start()
    return main


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window, backend started; closing it is the ordered shutdown."""
    main = start_window(DataDir(tmp_path / "gui"))
    yield main
    dispose_widget(main)


def answer_form(open_form: Callable[[], None], answer: Callable[[Any], None]) -> None:
    """Open a modal form as the user does (``open_form`` blocks while it is up) and let
    ``answer`` fill it in and press its buttons; a form left open is cancelled."""
    answered: list[bool] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        try:
            answer(dialog)
            answered.append(True)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, fill)
    open_form()
    assert answered, "the form did not open"


def press_ok(dialog: QDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def sign_in(qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, account: Account) -> None:
    """Sign the window in from its login screen; returns with the workspace shown."""
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_page, timeout=WAIT_MS)
    window.bridge.login(homeserver.url, account.user_id, account.password)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=WAIT_MS)


def room_names(window: MainWindow) -> list[str]:
    """The room list's names, top to bottom."""
    rooms = window.workspace.rooms
    return [rooms.room(row).name for row in range(rooms.rowCount())]


def select_room(qtbot, window: MainWindow, name: str) -> str:
    """Select the room of this name in the room list, as a click does, once it is
    listed; returns its id."""
    rooms = window.workspace.rooms
    qtbot.waitUntil(lambda: name in room_names(window), timeout=WAIT_MS)
    row = room_names(window).index(name)
    window.workspace.room_list.setCurrentIndex(rooms.index(row))
    return rooms.room(row).room_id


def sign_in_with_a_room(
    qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, account: Account, room: str
) -> None:
    """Sign the window in and create ``room``; returns once the list shows it (so a
    restart finds the login stored and the room archived)."""
    sign_in(qtbot, window, homeserver, account)
    window.bridge.create_room(room)
    qtbot.waitUntil(lambda: room_names(window) == [room], timeout=WAIT_MS)


def session_invitation(qtbot, peer: ThreadedPeer) -> Invitation:
    """The session (space) invitation the peer was last told of, once one has come."""

    def newest() -> Invitation | None:
        found = [n for n in list(peer.notices) if isinstance(n, InvitationsChanged)]
        spaces = [i for i in found[-1].invitations if i.is_space] if found else []
        return spaces[0] if spaces else None

    qtbot.waitUntil(lambda: newest() is not None, timeout=WAIT_MS)
    invitation = newest()
    assert invitation is not None
    return invitation


class SignIn(Protocol):
    """``signed_in(on_window, on_peer) -> (window's account, peer's account)``; display
    names as given, else as ``make_account`` names people."""

    def __call__(
        self, on_window: str, on_peer: str, *, window_name: str = "", peer_name: str = ""
    ) -> tuple[Account, Account]: ...


@pytest.fixture
def signed_in(
    qtbot, window: MainWindow, peer: ThreadedPeer, homeserver: EmbeddedHomeserver, make_account
) -> SignIn:
    """Two new accounts: one signed in on the window through its login form, the other on
    the peer. Every two-client GUI test starts this way."""

    def both(
        on_window: str, on_peer: str, *, window_name: str = "", peer_name: str = ""
    ) -> tuple[Account, Account]:
        mine, theirs = make_account(on_window, window_name), make_account(on_peer, peer_name)
        peer.run(peer.backend.login(homeserver.url, theirs.user_id, theirs.password))
        sign_in(qtbot, window, homeserver, mine)
        return mine, theirs

    return both


class WithPlainClient(Protocol):
    """``with_plain_client(on_window, on_plain, plain_name="")`` -> (the window's account,
    the plain client's account, the plain client)."""

    def __call__(
        self, on_window: str, on_plain: str, plain_name: str = ""
    ) -> tuple[Account, Account, AsyncClient]: ...


@pytest.fixture
def with_plain_client(
    qtbot, window: MainWindow, homeserver: EmbeddedHomeserver, make_account, tmp_path: Path
) -> Iterator[WithPlainClient]:
    """Two new accounts: one signed in on the window through its login form, the other on
    a plain matrix-nio client (the side a delivery or trust test judges by, not ours), on
    the window's backend loop; the plain clients are closed after the test, before the
    window."""
    opened: list[AsyncClient] = []

    def run(coro: Coroutine[Any, Any, T]) -> T:
        return window.bridge.runtime.submit(coro).result(WAIT_SECONDS)

    def both(
        on_window: str, on_plain: str, plain_name: str = ""
    ) -> tuple[Account, Account, AsyncClient]:
        mine, theirs = make_account(on_window), make_account(on_plain, plain_name)
        sign_in(qtbot, window, homeserver, mine)
        store = tmp_path / f"plain-{len(opened)}"
        opened.append(run(raw_nio_client(homeserver, theirs.user_id, theirs.password, store)))
        return mine, theirs, opened[-1]

    yield both
    for raw in opened:
        run(raw.close())


@pytest.fixture
def peer(window: MainWindow, tmp_path: Path) -> Iterator[ThreadedPeer]:
    """Another client of the app, on the window's backend loop."""
    other = ThreadedPeer(tmp_path / "peer", window.bridge.runtime)
    yield other
    other.close()


def open_exercise_session(
    qtbot, window: MainWindow, peer: ThreadedPeer, participant: Participant
) -> tuple[SessionInfo, str]:
    """The peer (a facilitator) convenes an exercise session with one participant, the
    window's account, which joins and opens its operations room; (session, that room)."""
    blueprint = Blueprint(
        "Port Sable evacuation",
        "evacuation",
        "Africa/Cairo",
        exercise=True,
        outreach=False,
        participants=(participant,),
    )
    info = peer.run(Sessions.of(peer.account).convene(blueprint))
    ops = info.room(RoomKind.OPERATIONS)
    assert ops is not None
    window.bridge.join(info.space_id, True)
    rooms = window.workspace.rooms
    qtbot.waitUntil(lambda: rooms.row_of(ops) >= 0, timeout=WAIT_MS)
    window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(ops)))
    qtbot.waitUntil(lambda: window.workspace.roster_of_selected() is not None, timeout=WAIT_MS)
    return info, ops
