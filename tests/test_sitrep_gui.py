"""Sitreps in the desktop app: the author compiles one from the timeline, edits it in the
form and submits it; the page says why the author cannot approve it; a second official
(another client) approves, and the window shows it published."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Participant
from app.core.sitrep import Stage
from app.core.timeline import EntryDraft
from app.homeserver import EmbeddedHomeserver
from app.services.sessions import Sessions
from app.services.sitrep import LatestSitrep, Sitreps, SitrepsChanged
from app.services.timeline import Timeline
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn
from tests.peers import ThreadedPeer


def _stage(peer: ThreadedPeer, space: str) -> Stage | None:
    boards = [
        n.board for n in list(peer.notices) if isinstance(n, SitrepsChanged) and n.space_id == space
    ]
    return boards[-1].sitreps[-1].stage if boards and boards[-1].sitreps else None


def _shows_entry(window: MainWindow) -> bool:
    model = window.workspace.timeline
    return any(model.row(i).entry is not None for i in range(model.rowCount()))


def test_author_compiles_edits_and_submits_and_a_second_official_approves(
    qtbot,
    *,
    window: MainWindow,
    peer: ThreadedPeer,
    signed_in: SignIn,
    homeserver: EmbeddedHomeserver,
    make_account,
    tmp_path: Path,
) -> None:
    amal, _fac = signed_in("amal", "fac")
    badr_account = make_account("badr")
    badr = ThreadedPeer(tmp_path / "badr", window.bridge.runtime)
    try:
        badr.run(badr.backend.login(homeserver.url, badr_account.user_id, badr_account.password))
        blueprint = Blueprint(
            "Corridor crisis",
            "escalation",
            "Africa/Cairo",
            exercise=True,
            participants=(
                Participant(amal.user_id, Role.OFFICIAL),
                Participant(badr_account.user_id, Role.OFFICIAL, name="Badr Saleh"),
            ),
        )
        info = peer.run(Sessions.of(peer.account).convene(blueprint))
        space, ops = info.space_id, info.room(RoomKind.OPERATIONS)
        assert ops is not None
        badr.run(Sessions.of(badr.account).join(space))
        qtbot.waitUntil(lambda: window.workspace.invitations.list.count() > 0, timeout=WAIT_MS)
        window.bridge.join(space, True)
        entry = EntryDraft("sitrep", "Bridge closed", "Both lanes.", verification="confirmed")
        peer.run(peer.account.feature(Timeline).post(ops, entry))

        # The author opens the operations room and the Sitreps page follows its session.
        rooms = window.workspace.rooms
        qtbot.waitUntil(lambda: rooms.row_of(ops) >= 0, timeout=WAIT_MS)
        window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(ops)))
        controller = window.sitreps
        page = controller.page
        window.workspace.pages.setCurrentWidget(page)
        qtbot.waitUntil(page.compile_button.isEnabled, timeout=WAIT_MS)
        assert page.banner.isVisible()  # an exercise says so
        qtbot.waitUntil(lambda: _shows_entry(window), timeout=WAIT_MS)  # archived here too

        # Compile: the form opens with the confirmed entry in its section; edit and submit.
        qtbot.mouseClick(page.compile_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: controller.dialog is not None and controller.dialog.isVisible(),
            timeout=WAIT_MS,
        )
        form = controller.dialog
        assert form is not None
        qtbot.waitUntil(lambda: "Bridge closed" in form.sections["situation"].toPlainText())
        form.title.clear()
        qtbot.keyClicks(form.title, "Morning sitrep")
        qtbot.keyClicks(form.sections["needs"], "Water for the crossing")
        ok = form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.dialog is None, timeout=WAIT_MS)  # sent, closed

        # On the page: waiting for approval, and the author is told why they cannot approve.
        qtbot.waitUntil(lambda: page.list.count() == 1, timeout=WAIT_MS)
        assert "Waiting for approval" in page.list.item(0).text()
        assert not page.approve_button.isEnabled()
        assert "author cannot approve" in page.hint.text()
        assert "Water for the crossing" in page.detail.toPlainText()

        # The second official approves from their client; the window shows it published.
        qtbot.waitUntil(lambda: _stage(badr, space) is Stage.SUBMITTED, timeout=WAIT_MS)
        sitrep_id = page.selected().sitrep_id
        badr.run(badr.account.feature(Sitreps).approve(space, sitrep_id))
        qtbot.waitUntil(lambda: "Published" in page.list.item(0).text(), timeout=WAIT_MS)
        assert not page.hint.text()  # nothing left to approve
        detail = page.detail.toPlainText().translate({0x2068: None, 0x2069: None})
        assert "approved by Badr Saleh" in detail and badr_account.user_id not in detail
        window.grab().save(str(tmp_path / "sitrep.png"))

        # The overview, the desk's first look, shows it: title, approver, its situation.
        overview = window.overview
        window.workspace.pages.setCurrentWidget(overview)
        qtbot.waitUntil(lambda: "Morning sitrep" in overview.sitrep.text(), timeout=WAIT_MS)
        assert "Bridge closed" in overview.sitrep.text()

        # What the overview shows: the latest published sitrep, on every client.
        def latest() -> str:
            found = [n for n in list(badr.notices) if isinstance(n, LatestSitrep) and n.sitrep]
            return found[-1].sitrep.draft.title if found else ""

        qtbot.waitUntil(lambda: latest() == "Morning sitrep", timeout=WAIT_MS)
    finally:
        badr.close()
