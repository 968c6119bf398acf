"""An outbox set aside at the account's start is told to the person, once.

Why: an outbox another key made (the archive moved aside after a lost key, or an older
release's archive converted under a new key) is renamed and a new one begins; any
messages it holds are neither sent nor lost. Only the log said so, and a person who had
queued messages before the move would have believed them sent, or gone. Every opening
makes an outbox, so one is set aside after any such move, most often holding only sent
rows; nobody can read it without its key, so the words say where unsent ones would be,
not that there are any (a person told so would resend acks already sent).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.cli import main
from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.services.at_rest import open_account_archive
from app.services.notices import OUTBOX_SET_ASIDE, Notice, Problem
from app.store import Outbox, sqlite_url
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from app.store.database import open_outbox_database
from app.store.outbox_file import outbox_path
from app.ui.bridge import Bridge
from app.ui.shell.lasting_notice import LastingNotice
from app.ui.shell.main_window import MainWindow
from app.ui.texts import LRI, PDI
from tests.conftest import dispose_widget
from tests.fixtures_gui import WAIT_MS
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer

ME = "@omar:ops.example"
ROOM = "!geneva:ops.example"


def _keys(data: DataDir) -> ArchiveKeys:
    return ArchiveKeys(data.account(ME), ME, keyring=None, passphrase=lambda: None)


def _outbox_of_another_key(data: DataDir) -> None:
    """The account's archive, beside an outbox holding a message under another key."""
    archive, outbox, _key = open_archive(data.archive(ME), _keys(data), lambda _d, _t: None)
    archive.dispose()
    outbox.dispose()
    _another_key_s_outbox_beside(data.archive(ME))


def _another_key_s_outbox_beside(archive: Path) -> None:
    """The archive's outbox replaced by one another key made, holding a message."""
    path = outbox_path(archive)
    path.unlink()
    other = open_outbox_database(sqlite_url(path), b"\x01" * 32)
    Outbox(other).enqueue(ROOM, "m.room.message", {"body": "queued before the move"})
    other.dispose()


def _start(data: DataDir, notify: Callable[[Notice], None]) -> None:
    """The account's start opening its archive, on a thread of its own as the backend's."""

    async def opening() -> None:
        opened = await open_account_archive(data, ME, notify, keys=_keys(data))
        opened.dispose()

    thread = threading.Thread(target=asyncio.run, args=(opening(),))
    thread.start()
    thread.join()


def test_the_start_that_sets_an_outbox_aside_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = DataDir(Path("data"))  # a data folder given relative to where the app started
    _outbox_of_another_key(data)
    heard: list[Notice] = []
    _start(data, heard.append)
    [aside] = data.account(ME).glob(f"{outbox_path(data.archive(ME)).name}.set-aside-*")
    # Where it is kept, all of it: a path a person can find from the window's words
    assert heard == [Problem(OUTBOX_SET_ASIDE, str(tmp_path / aside))]

    heard.clear()
    _start(data, heard.append)  # the next start: the new outbox is the archive's own
    assert heard == []


def test_the_window_keeps_saying_where_any_unsent_messages_are_until_dismissed(
    qtbot, tmp_path: Path
) -> None:
    data = DataDir(tmp_path / "بيانات" / "data")  # a folder with an Arabic name on the way
    _outbox_of_another_key(data)
    window = MainWindow(Bridge(DataDir(tmp_path / "gui")))  # fed by the start: no backend
    window.show()
    try:
        _start(data, window.bridge.noticed.emit)
        bar = window.statusBar()
        qtbot.waitUntil(lambda: bool(bar.findChildren(LastingNotice)), timeout=WAIT_MS)
        [notice] = bar.findChildren(LastingNotice)
        said = notice.label.text()
        assert "kept aside" in said and notice.isVisible()
        # Whether it holds anything unsent, nobody can read without its key: only "any"
        assert "any messages in it not yet sent are there, unsent" in said
        [aside] = data.account(ME).glob(f"{outbox_path(data.archive(ME)).name}.set-aside-*")
        assert f"{LRI}{aside}{PDI}" in said  # whole, read left to right from its root

        window.bridge.noticed.emit(Problem("sync_failed"))  # a later status line
        qtbot.waitUntil(lambda: "Receiving failed" in bar.currentMessage(), timeout=WAIT_MS)
        assert notice.isVisible() and notice.label.text() == said  # still said

        qtbot.mouseClick(notice.dismiss, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not bar.findChildren(LastingNotice), timeout=WAIT_MS)
    finally:
        dispose_widget(window)


def test_a_command_that_sets_an_outbox_aside_says_so(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, capsys
) -> None:
    """Why: the rename happens once; a command that kept the notice to itself would leave
    the window, started later, nothing to say."""
    omar = asyncio.run(_signed_in(homeserver, make_account, tmp_path / "omar"))
    archive = DataDir(tmp_path / "omar").archive(omar)
    _another_key_s_outbox_beside(archive)
    assert main(["instructions", "--data-dir", str(tmp_path / "omar"), "--json"]) == 0
    [aside] = archive.parent.glob(f"{outbox_path(archive).name}.set-aside-*")
    assert (
        f"An outbox made under another key was kept aside as {aside}; any messages in it "
        "not yet sent are there, unsent."
    ) in capsys.readouterr().err


async def _signed_in(homeserver: EmbeddedHomeserver, make_account: MakeAccount, data: Path) -> str:
    """A data dir with a stored login and its archive; the user id."""
    peer = await Peer(data, make_account("omar")).login(homeserver)
    user_id = peer.user_id
    await peer.close()
    return user_id


def test_an_exercise_that_did_not_start_blames_its_own_problem_not_the_outbox(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, capsys
) -> None:
    """The outbox set aside at the opening is told on its own line; it is no reason the
    exercise did not start (here: no cast logins for a remote homeserver)."""
    omar = asyncio.run(_signed_in(homeserver, make_account, tmp_path / "omar"))
    archive = DataDir(tmp_path / "omar").archive(omar)
    _another_key_s_outbox_beside(archive)
    assert main(["exercise", "run", "--remote", "--data-dir", str(tmp_path / "omar")]) == 2
    [aside] = archive.parent.glob(f"{outbox_path(archive).name}.set-aside-*")
    told, [failed] = _split(capsys.readouterr().err, "oor: the exercise did not start: ")
    assert f"kept aside as {aside};" in told
    assert failed.startswith("no login for ") and aside.name not in failed  # as worded


def _split(err: str, marker: str) -> tuple[str, list[str]]:
    """What stderr said before the line starting with ``marker``, and that line's rest."""
    before, _, line = err.partition(marker)
    return before, [line.splitlines()[0]] if line else []
